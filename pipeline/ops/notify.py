"""Failure notices: a JSON POST to `notify_webhook` with counts only (no review text, no patient details)."""

from __future__ import annotations

import logging
from typing import Any

import requests

log = logging.getLogger(__name__)


def failure_notice(run: dict[str, Any]) -> dict[str, Any]:
    """The notice body for a failed run: status, run id and per-source statuses."""
    sources = {name: src.get("status") for name, src in run.get("sources", {}).items()}
    return {"event": "plaudit.run.failed", "run_id": run.get("run_id"), "status": run.get("status"),
            "sources": sources, "stage_errors": sorted(run.get("stage_errors", {}))}


def send_failure_notice(webhook: str, run: dict[str, Any]) -> bool:
    """POST the notice; never raises (a broken notifier must not hide the failure it reports)."""
    if not webhook:
        return False
    try:
        response = requests.post(webhook, json=failure_notice(run), timeout=10)
        response.raise_for_status()
        return True
    except requests.RequestException as exc:
        log.warning("failure notice to webhook not delivered: %s", type(exc).__name__)
        return False
