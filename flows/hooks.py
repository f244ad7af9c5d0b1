"""Prefect state hooks: tell someone when a nightly run fails or crashes."""

from __future__ import annotations

import logging

from pipeline import steps
from pipeline.ops.notify import send_failure_notice
from pipeline.settings import load_settings
from storage.state import last_run

log = logging.getLogger(__name__)


def notify_failure(flow, flow_run, state) -> None:
    """On failure or crash, POST a counts-only notice, unless the run was closed (and announced) normally."""
    params = flow_run.parameters or {}
    try:
        settings = load_settings(params.get("config_path"),
                                 **({"data_dir": params["data_dir"]} if params.get("data_dir") else {}))
        with steps.open_store(settings) as db:
            run = last_run(db)
    except Exception:  # the notice is best effort; the exit code still reports the failure
        log.warning("could not load settings to send a failure notice")
        return
    if run and run["finished_at"]:
        return  # end_run recorded the failure and already sent its notice (pipeline.ops.notify.notify_run)
    send_failure_notice(settings.notify_webhook, {"run_id": flow_run.name, "status": state.type.value.lower()})
