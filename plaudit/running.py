"""Running the nightly job once from the command line: one run at a time, Prefect embedded by default."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from typing import Any

from pipeline.errors import PlauditError
from pipeline.runs import run_nightly
from pipeline.settings import Settings


class RunInProgress(PlauditError):
    """Another run holds the lock on this data folder."""


@contextlib.contextmanager
def run_lock(settings: Settings) -> Iterator[None]:
    """Hold an exclusive lock on the data folder so overlapping schedules never run twice at once."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / ".run.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RunInProgress(f"another plaudit run is using {settings.data_dir}; try again when it ends") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def configure_prefect(settings: Settings) -> None:
    """Embedded-mode defaults for Prefect; anything already set in the environment wins."""
    defaults = {
        "PREFECT_HOME": str(settings.prefect_home),
        "PREFECT_SERVER_EPHEMERAL_ENABLED": "true",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_LOGGING_EXTRA_LOGGERS": "pipeline,storage",
        "PREFECT_LOGGING_LEVEL": settings.log_level,
        # staff decisions log outside any flow run; those lines stay local
        "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)


def run_once(settings: Settings, use_prefect: bool = True, trigger: str = "cli",
             dask_workers: int = 0) -> dict[str, Any]:
    """Run the nightly job once and return its counts-only report (setting `prefect_mode` says how).

    With `dask_workers`, the score stage runs on a local Dask cluster of that many processes (backfills).
    """
    if dask_workers and (not use_prefect or settings.prefect_mode == "off"):
        raise PlauditError("--dask-workers runs the score stage as Prefect tasks on Dask; it needs Prefect "
                           "(drop --no-prefect, or set prefect_mode to embedded or server)")
    with run_lock(settings):
        if not use_prefect or settings.prefect_mode == "off":
            return run_nightly(settings, trigger=trigger)
        if settings.prefect_mode == "embedded":
            configure_prefect(settings)
        elif not os.environ.get("PREFECT_API_URL"):
            raise PlauditError("prefect_mode is 'server' but PREFECT_API_URL is not set (e.g. "
                               "http://127.0.0.1:4200/api for `prefect server start`)")
        from flows.nightly import run_flow  # imports Prefect, which must see the settings above

        return run_flow(settings, dask_workers)
