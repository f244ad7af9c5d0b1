"""Each source's health, for `plaudit sources` and the staff: last success and error, counts, pages read, HTTP
statuses met, selector health and where its sweep stands. Counts and states only, never review text."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from pipeline.settings import Settings
from pipeline.sources.collect import selector_verdict
from storage import sweeps


def source_health(db: sqlite_utils.Database, settings: Settings) -> list[dict[str, Any]]:
    """One entry per configured source (then any the store knows that is no longer configured), by name."""
    states = {row["source"]: row for row in sweeps.health_rows(db)}
    stored = {source: (total, deleted) for source, total, deleted in db.execute(
        "SELECT source, count(*), coalesce(sum(deleted_at IS NOT NULL), 0) FROM reviews GROUP BY source")}
    configured = {config.name: config for config in settings.sources}
    entries = []
    for name in sorted(set(configured) | set(states)):
        config, state = configured.get(name), states.get(name, {})
        total, deleted = stored.get(name, (0, 0))
        entries.append({
            "source": name, "kind": config.kind if config else None, "policy": config.policy if config else None,
            "configured": config is not None, "verdict": verdict(state),
            "last_success": state.get("last_success"), "last_attempt": state.get("last_attempt"),
            "last_error": state.get("last_error"), "error_kind": state.get("error_kind"),
            "consecutive_failures": state.get("consecutive_failures") or 0,
            "stored": total, "deleted": deleted, "last_run": state.get("last_counts") or {},
            "pages": state.get("last_pages") or 0, "statuses": state.get("statuses") or {},
            "selector_health": selector_verdict(state.get("selector_health") or {}),
            "sweep_in_progress": state.get("sweep_run") is not None,
            "sweep_pages_so_far": state.get("sweep_pages") or 0,
            "last_full_sweep": state.get("last_full_sweep"), "baseline_count": state.get("baseline_count"),
            "stated_rating": state.get("stated_rating"), "stated_count": state.get("stated_count"),
        })
    return entries


def verdict(state: dict[str, Any]) -> str:
    """"never run", "ok", "stale selectors" or "failing"."""
    if not state.get("last_attempt"):
        return "never run"
    if state.get("last_error"):
        return "failing"
    if any(matched == 0 and tried for matched, tried in (state.get("selector_health") or {}).values()):
        return "stale selectors"
    return "ok"
