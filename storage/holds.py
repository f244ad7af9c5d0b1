"""Held reviews: what the pipeline keeps from suggestion and why, and what a person decided about each.

A hold is one reason (crisis, mismatch, non_english, spam, suspicious) on one review. It stays open until a
person marks it handled or releases the review to the queue; a later version of the review that still carries
the reason opens it again. Rows hold ids, reasons and decisions, never review text.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

OPEN, HANDLED, RELEASED = "open", "handled", "released"
STATES = (OPEN, HANDLED, RELEASED)


def record_holds(db: sqlite_utils.Database, holds: list[tuple[str, str, str, int]], now: str) -> int:
    """Record (review_id, reason, detail, version) holds; reopen decided ones held again at a newer version.

    Returns how many holds are newly open.
    """
    before = db.conn.total_changes
    db.conn.executemany(
        "INSERT INTO holds (review_id, reason, detail, review_version, held_at, state) VALUES (?, ?, ?, ?, ?, 'open') "
        "ON CONFLICT (review_id, reason) DO UPDATE SET state = 'open', detail = excluded.detail, "
        "review_version = excluded.review_version, held_at = excluded.held_at, decided_by = NULL, "
        "decided_at = NULL, note = NULL WHERE holds.state != 'open' AND holds.review_version < excluded.review_version",
        [(rid, reason, detail, version, now) for rid, reason, detail, version in holds])
    return db.conn.total_changes - before


def open_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Open holds per reason."""
    return dict(db.execute("SELECT reason, count(*) FROM holds WHERE state = 'open' GROUP BY reason").fetchall())


_HOLD_VIEW = ("SELECT h.*, r.source, r.rating, r.author, r.text, r.location, r.published, r.deleted_at, "
              "r.version AS current_version, q.id AS quote_id, q.status AS quote_status "
              "FROM holds h JOIN reviews r ON r.id = h.review_id LEFT JOIN quotes q ON q.review_id = h.review_id")


def list_holds(db: sqlite_utils.Database, states: tuple[str, ...] = (OPEN,), order: tuple[str, ...] = (),
               limit: int = 1000) -> list[dict[str, Any]]:
    """Holds in these states joined with their reviews, reasons in `order` first, then oldest first."""
    marks = ",".join("?" * len(states))
    rank = " ".join(f"WHEN ? THEN {i}" for i in range(len(order)))
    order_by = f"CASE h.reason {rank} ELSE {len(order)} END, h.held_at, h.id" if order else "h.held_at, h.id"
    sql = f"{_HOLD_VIEW} WHERE h.state IN ({marks}) ORDER BY {order_by} LIMIT ?"
    return [dict(row) for row in db.query(sql, [*states, *order, limit])]


def get_hold(db: sqlite_utils.Database, hold_id: int) -> dict[str, Any] | None:
    """One hold joined with its review."""
    rows = list(db.query(f"{_HOLD_VIEW} WHERE h.id = ?", [hold_id]))
    return dict(rows[0]) if rows else None


def holds_of_review(db: sqlite_utils.Database, review_id: str) -> list[dict[str, Any]]:
    """Every hold of one review."""
    return list(db.query("SELECT * FROM holds WHERE review_id = ? ORDER BY id", [review_id]))


def decide_hold(db: sqlite_utils.Database, hold_id: int, state: str, actor: str, now: str, note: str | None) -> None:
    """Record a person's decision on a hold (handled or released)."""
    if state not in (HANDLED, RELEASED):
        raise ValueError(state)
    db.conn.execute("UPDATE holds SET state = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ?",
                    (state, actor, now, note, hold_id))
