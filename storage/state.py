"""Per-source cursors and health, and the record of each run (counts only, never review text)."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils


def record_success(db: sqlite_utils.Database, source: str, cursor: dict[str, Any], now: str,
                   stated: tuple[float | None, int | None] | None = None) -> None:
    """Advance a source's cursor after it succeeded (call in the same transaction as its reviews)."""
    rating, count = stated or (None, None)
    db.conn.execute(
        "INSERT INTO source_state (source, cursor, last_attempt, last_success, last_error, consecutive_failures, "
        "stated_rating, stated_count) VALUES (?, ?, ?, ?, NULL, 0, ?, ?) "
        "ON CONFLICT(source) DO UPDATE SET cursor = excluded.cursor, last_attempt = excluded.last_attempt, "
        "last_success = excluded.last_success, last_error = NULL, consecutive_failures = 0, "
        "stated_rating = coalesce(excluded.stated_rating, stated_rating), "
        "stated_count = coalesce(excluded.stated_count, stated_count)",
        (source, json.dumps(cursor, sort_keys=True), now, now, rating, count))


def record_failure(db: sqlite_utils.Database, source: str, error: str, now: str) -> None:
    """Note a failed attempt; the cursor is left where it was."""
    db.conn.execute(
        "INSERT INTO source_state (source, last_attempt, last_error, consecutive_failures) VALUES (?, ?, ?, 1) "
        "ON CONFLICT(source) DO UPDATE SET last_attempt = excluded.last_attempt, last_error = excluded.last_error, "
        "consecutive_failures = consecutive_failures + 1", (source, now, error[:500]))


def source_states(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    """All source_state rows by source name."""
    return {row["source"]: row for row in db["source_state"].rows}


def start_run(db: sqlite_utils.Database, now: str, trigger: str) -> int:
    """Open a run record and return its id."""
    cur = db.conn.execute("INSERT INTO runs (started_at, status, trigger) VALUES (?, 'running', ?)", (now, trigger))
    return int(cur.lastrowid)


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, report: dict[str, Any], now: str) -> None:
    """Close a run record with its status and counts-only report."""
    db.conn.execute("UPDATE runs SET finished_at = ?, status = ?, report = ? WHERE id = ?",
                    (now, status, json.dumps(report, sort_keys=True), run_id))


def last_run(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The most recent run record, report decoded."""
    rows = list(db["runs"].rows_where(order_by="id desc", limit=1))
    if not rows:
        return None
    run = dict(rows[0])
    run["report"] = json.loads(run["report"]) if run["report"] else {}
    return run


def list_runs(db: sqlite_utils.Database, limit: int = 20) -> list[dict[str, Any]]:
    """The newest runs first, reports decoded, with their duration in seconds (None while running)."""
    runs = []
    for row in db.query("SELECT *, (julianday(finished_at) - julianday(started_at)) * 86400.0 AS seconds "
                        "FROM runs ORDER BY id DESC LIMIT ?", [limit]):
        runs.append({**row, "report": json.loads(row["report"]) if row["report"] else {}})
    return runs


def stage_value(db: sqlite_utils.Database, name: str) -> str | None:
    """A value a nightly stage keeps between runs (stage_state), or None."""
    row = db.execute("SELECT value FROM stage_state WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def set_stage_value(db: sqlite_utils.Database, name: str, value: str) -> None:
    """Keep a value for a nightly stage's next run."""
    db.execute("INSERT OR REPLACE INTO stage_state (name, value) VALUES (?, ?)", (name, value))
