"""Notices: a JSON POST with counts only (no review text, no patient details).

- a failed run, to `notify_webhook`;
- reviews that need a person (crisis first), the same night, to `attention_webhook` (default `notify_webhook`).
"""

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
    """POST the failure notice; never raises (a broken notifier must not hide the failure it reports)."""
    return _post(webhook, failure_notice(run), "failure notice")


def attention_notice(run: dict[str, Any]) -> dict[str, Any] | None:
    """The notice body when a run held new reviews for a person, or None when nothing new needs one."""
    counts = run.get("hold") or {}
    new = {key.removeprefix("new_"): value for key, value in counts.items() if key.startswith("new_") and value}
    if not new:
        return None
    crisis = new.get("crisis", 0)
    text = (f"Plaudit: {crisis} review(s) with crisis language need a person today. " if crisis else "Plaudit: ") + \
        f"{counts.get('needs_attention', 0)} held review(s) need attention; run `plaudit attention` or open the " \
        f"staff app."
    return {"event": "plaudit.attention", "run_id": run.get("run_id"), "new": new, "crisis_new": crisis,
            "crisis_open": counts.get("crisis_open", 0), "needs_attention": counts.get("needs_attention", 0),
            "text": text}


def send_attention_notice(webhook: str, run: dict[str, Any]) -> bool:
    """POST the attention notice when the run held something new; never raises."""
    notice = attention_notice(run)
    return bool(notice) and _post(webhook, notice, "attention notice")


def _post(webhook: str, body: dict[str, Any], what: str) -> bool:
    if not webhook:
        return False
    try:
        response = requests.post(webhook, json=body, timeout=10)
        response.raise_for_status()
        return True
    except requests.RequestException as exc:
        log.warning("%s to webhook not delivered: %s", what, type(exc).__name__)
        return False
