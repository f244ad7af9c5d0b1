"""Sweep progress and health per source, beside its cursor in `source_state` (counts only, never review text).

A sweep may span runs: `sweep_run` is the run that began the sweep still in progress (NULL when none), so
reviews seen in any run since then count as seen by it; `sweep_seen` and `sweep_pages` add up what its
stored chunks held. `baseline_count` is what the last complete sweep saw, against which a sudden drop is
judged; `last_full_sweep` dates the last complete one. The health columns describe the source's last run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils


@dataclass
class SweepState:
    """A source's saved cursor and sweep bookkeeping."""

    cursor: dict[str, Any] = field(default_factory=dict)
    sweep_run: int | None = None
    sweep_full: bool = False
    sweep_seen: int = 0
    sweep_pages: int = 0
    last_full_sweep: str | None = None
    baseline_count: int | None = None
    stated_count: int | None = None


def load(db: sqlite_utils.Database, source: str) -> SweepState:
    """The source's state (an empty one before its first run)."""
    row = db.execute("SELECT cursor, sweep_run, sweep_full, sweep_seen, sweep_pages, last_full_sweep, "
                     "baseline_count, stated_count FROM source_state WHERE source = ?", (source,)).fetchone()
    if row is None:
        return SweepState()
    cursor, run, full, seen, pages, last_full, baseline, stated = row
    return SweepState(json.loads(cursor) if cursor else {}, run, bool(full), seen or 0, pages or 0, last_full,
                      baseline, stated)


def save_progress(db: sqlite_utils.Database, source: str, cursor: dict[str, Any], state: SweepState,
                  now: str) -> None:
    """After a chunk that is not the sweep's last: the cursor that resumes after it, and the sweep so far."""
    db.conn.execute(
        "INSERT INTO source_state (source, cursor, last_attempt, sweep_run, sweep_full, sweep_seen, sweep_pages) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET cursor = excluded.cursor, "
        "last_attempt = excluded.last_attempt, sweep_run = excluded.sweep_run, sweep_full = excluded.sweep_full, "
        "sweep_seen = excluded.sweep_seen, sweep_pages = excluded.sweep_pages",
        (source, _json(cursor), now, state.sweep_run, int(state.sweep_full), state.sweep_seen, state.sweep_pages))


def end_sweep(db: sqlite_utils.Database, source: str, now: str, complete_count: int | None) -> None:
    """The sweep is over: clear its progress; a complete one dates the last full sweep and sets the baseline."""
    db.conn.execute(
        "UPDATE source_state SET sweep_run = NULL, sweep_full = NULL, sweep_seen = NULL, sweep_pages = NULL, "
        "last_full_sweep = CASE WHEN ? IS NULL THEN last_full_sweep ELSE ? END, "
        "baseline_count = coalesce(?, baseline_count) WHERE source = ?",
        (complete_count, now, complete_count, source))


def abandon_sweep(db: sqlite_utils.Database, source: str, cursor: dict[str, Any]) -> None:
    """Forget the sweep in progress (it found something wrong): the next run starts a new one from `cursor`."""
    db.conn.execute("UPDATE source_state SET cursor = ?, sweep_run = NULL, sweep_full = NULL, sweep_seen = NULL, "
                    "sweep_pages = NULL WHERE source = ?", (_json(cursor), source))


def reset_baseline(db: sqlite_utils.Database, source: str) -> bool:
    """Accept a listing's new size: forget the count baseline and stated count. False if the source is unknown."""
    cur = db.conn.execute("UPDATE source_state SET baseline_count = NULL, stated_count = NULL WHERE source = ?",
                          (source,))
    return cur.rowcount > 0


def record_health(db: sqlite_utils.Database, source: str, health: dict[str, Any]) -> None:
    """The last run's pages, HTTP statuses, selector health, counts and error kind."""
    db.conn.execute(
        "INSERT INTO source_state (source, last_pages, statuses, selector_health, last_counts, error_kind) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET last_pages = excluded.last_pages, "
        "statuses = excluded.statuses, selector_health = excluded.selector_health, "
        "last_counts = excluded.last_counts, error_kind = excluded.error_kind",
        (source, health.get("pages", 0), _json(health.get("statuses", {})), _json(health.get("selector_health", {})),
         _json(health.get("counts", {})), health.get("error_kind")))


def health_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every source's state with its JSON columns decoded, by source name."""
    cur = db.execute("SELECT * FROM source_state ORDER BY source")
    names = [d[0] for d in cur.description]
    rows = []
    for row in cur.fetchall():
        item = dict(zip(names, row))
        for key in ("statuses", "selector_health", "last_counts"):
            item[key] = json.loads(item[key]) if item.get(key) else {}
        item.pop("cursor", None)
        rows.append(item)
    return rows


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def save_stated(db: sqlite_utils.Database, source: str, rating: float | None, count: int | None) -> None:
    """The listing's own stated rating and review count (AggregateRating, an API's totals), where given."""
    db.conn.execute("UPDATE source_state SET stated_rating = coalesce(?, stated_rating), "
                    "stated_count = coalesce(?, stated_count) WHERE source = ?", (rating, count, source))
