"""Quotes (suggested excerpts and staff decisions) and the authorizations that allow publishing them."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

STATUSES = ("suggested", "approved", "rejected", "unpublished")


def insert_suggestions(db: sqlite_utils.Database, rows: list[dict[str, Any]], now: str) -> int:
    """Add suggested quotes (review_id, suggested_excerpt, suggested_attribution, tags, review_version)."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO quotes (review_id, status, suggested_excerpt, suggested_attribution, tags, "
        "review_version, created_at, updated_at) VALUES (?, 'suggested', ?, ?, ?, ?, ?, ?)",
        [(r["review_id"], r["suggested_excerpt"], r["suggested_attribution"], json.dumps(r.get("tags", [])),
          r["review_version"], now, now) for r in rows])
    return len(rows)


def refresh_suggestions(db: sqlite_utils.Database, rows: list[dict[str, Any]], now: str) -> None:
    """Replace the suggestion of still-undecided quotes whose review changed."""
    db.conn.executemany(
        "UPDATE quotes SET suggested_excerpt = ?, suggested_attribution = ?, tags = ?, review_version = ?, "
        "updated_at = ? WHERE review_id = ? AND status = 'suggested'",
        [(r["suggested_excerpt"], r["suggested_attribution"], json.dumps(r.get("tags", [])), r["review_version"],
          now, r["review_id"]) for r in rows])


def withdraw_suggestions(db: sqlite_utils.Database, review_ids: list[str]) -> None:
    """Remove undecided suggestions whose review no longer qualifies (decided quotes stay for the record)."""
    db.conn.executemany("DELETE FROM quotes WHERE review_id = ? AND status = 'suggested'",
                        [(rid,) for rid in review_ids])


_QUOTE_VIEW = (
    "SELECT q.*, r.source, r.text, r.rating, r.author, r.location, r.published, r.version AS current_version, "
    "r.consent_given, r.consent_version, r.consent_at, r.flags, r.compound, r.deleted_at, r.text_purged_at, "
    "r.cluster_id, r.is_canonical FROM quotes q JOIN reviews r ON r.id = q.review_id")


def quote_with_review(db: sqlite_utils.Database, quote_id: int) -> dict[str, Any] | None:
    """One quote joined with its review's fields (flags decoded)."""
    cur = db.execute(_QUOTE_VIEW + " WHERE q.id = ?", (quote_id,))
    rows = _rows(cur)
    return rows[0] if rows else None


def quotes_with_reviews(db: sqlite_utils.Database, statuses: tuple[str, ...], limit: int = 10_000) -> list[dict]:
    """Quotes in these statuses joined with their reviews, oldest first."""
    marks = ",".join("?" * len(statuses))
    cur = db.execute(_QUOTE_VIEW + f" WHERE q.status IN ({marks}) ORDER BY q.id LIMIT ?", (*statuses, limit))
    return _rows(cur)


def _rows(cur) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, row)) for row in cur]
    for row in rows:
        row["flags"] = json.loads(row["flags"]) if row.get("flags") else []
        row["tags"] = json.loads(row["tags"]) if row.get("tags") else []
        row["held_reasons"] = json.loads(row["held_reasons"]) if row.get("held_reasons") else []
    return rows


def set_decision(db: sqlite_utils.Database, quote_id: int, status: str, actor: str, now: str, *,
                 excerpt: str | None = None, attribution: str | None = None, note: str | None = None) -> None:
    """Record a staff decision on a quote."""
    if status not in STATUSES:
        raise ValueError(status)
    db.conn.execute(
        "UPDATE quotes SET status = ?, excerpt = coalesce(?, excerpt), attribution = coalesce(?, attribution), "
        "note = coalesce(?, note), decided_by = ?, decided_at = ?, updated_at = ?, "
        "review_version = CASE WHEN ? = 'approved' THEN (SELECT version FROM reviews WHERE id = quotes.review_id) "
        "ELSE review_version END WHERE id = ?",
        (status, excerpt, attribution, note, actor, now, now, status, quote_id))


def mark_published(db: sqlite_utils.Database, quote_ids: list[int], now: str) -> None:
    """Stamp the first publication time of quotes that reached the public store."""
    db.conn.executemany("UPDATE quotes SET published_at = coalesce(published_at, ?) WHERE id = ?",
                        [(now, qid) for qid in quote_ids])


def record_public_state(db: sqlite_utils.Database, live_ids: list[int],
                        held: dict[int, list[dict[str, str]]]) -> None:
    """After a publish: which quotes are on the website, and the reasons (with fixes) for approved ones held back."""
    db.conn.execute("UPDATE quotes SET live = 0, held_reasons = NULL WHERE live = 1 OR held_reasons IS NOT NULL")
    db.conn.executemany("UPDATE quotes SET live = 1 WHERE id = ?", [(qid,) for qid in live_ids])
    db.conn.executemany("UPDATE quotes SET held_reasons = ? WHERE id = ?",
                        [(json.dumps(reasons), qid) for qid, reasons in held.items()])


def quote_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Quotes waiting for staff: suggested ones, and approved ones the last publish held back."""
    row = db.execute("SELECT quotes FROM quote_status_counts WHERE status = 'suggested'").fetchone()
    suggested = row[0] if row else 0
    held_back = db.execute("SELECT count(*) FROM quotes WHERE status = 'approved' AND coalesce(live, 0) = 0").fetchone()[0]
    return {"suggested": suggested, "held_back": held_back}


def add_authorization(db: sqlite_utils.Database, row: dict[str, Any]) -> int:
    """Record an authorization (kind, reference, text_version, given_at, expires_at) for a review."""
    cur = db.conn.execute(
        "INSERT INTO authorizations (review_id, kind, reference, text_version, given_at, expires_at, recorded_by, "
        "recorded_at, scope_attribution, scope_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (row["review_id"], row["kind"], row.get("reference"), row.get("text_version"), row.get("given_at"),
         row.get("expires_at"), row.get("recorded_by"), row.get("recorded_at"), row.get("scope_attribution"),
         row.get("scope_excerpt")))
    return int(cur.lastrowid)


def authorizations_for(db: sqlite_utils.Database, review_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Authorization rows grouped by review id."""
    grouped: dict[str, list[dict[str, Any]]] = {rid: [] for rid in review_ids}
    for part in [review_ids[i:i + 900] for i in range(0, len(review_ids), 900)]:
        marks = ",".join("?" * len(part))
        for row in db.query(f"SELECT * FROM authorizations WHERE review_id IN ({marks}) ORDER BY id", part):
            grouped[row["review_id"]].append(row)
    return grouped


def revoke_authorizations(db: sqlite_utils.Database, review_id: str, now: str, actor: str) -> int:
    """Revoke every active authorization of a review."""
    cur = db.conn.execute("UPDATE authorizations SET revoked_at = ?, revoked_by = ? "
                          "WHERE review_id = ? AND revoked_at IS NULL", (now, actor, review_id))
    return cur.rowcount


def prune_authorizations(db: sqlite_utils.Database, ended_before: str) -> int:
    """Delete authorizations that were revoked or expired before a time (kept at least the retention period)."""
    cur = db.conn.execute(
        "DELETE FROM authorizations WHERE (revoked_at IS NOT NULL AND revoked_at < ?) "
        "OR (revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at < ?)", (ended_before, ended_before))
    return cur.rowcount
