"""The staff queue: quotes with their reviews' listing fields, filtered and paged, never the full review text.

Every filter is a bound parameter; the text search is a LIKE with its wildcards escaped. Indexes for the
common filters come from migration m_staff_app_2 (`bench/staff_queue.py` measures them at 100k reviews).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

SENTIMENTS = {"positive": ("r.compound >= ?", 0.05), "negative": ("r.compound <= ?", -0.05),
              "neutral": ("r.compound > -0.05 AND r.compound < ?", 0.05)}
# CROSS JOIN fixes the join order (SQLite's documented way): walk the quotes of a status in id order, then look
# each review up in the covering index (m_staff_app_2). Left to itself the planner may start from the reviews'
# source index and sort tens of thousands of rows, or read the large review rows through the primary key.
_FROM = "FROM quotes q CROSS JOIN reviews r INDEXED BY idx_staff_queue_reviews ON r.id = q.review_id"
_LISTING = ("q.id, q.status, q.edits, coalesce(q.excerpt, q.suggested_excerpt) AS excerpt, "
            "coalesce(q.attribution, q.suggested_attribution) AS attribution, q.decided_by, q.published_at, "
            "r.id AS review_id, r.source, r.location, r.rating, r.compound, r.flags, r.published, r.first_seen")


@dataclass(frozen=True)
class QueueFilter:
    """What staff filter the queue by; empty strings mean "any"."""

    status: str = "suggested"
    source: str = ""
    location: str = ""
    min_rating: str = ""
    sentiment: str = ""
    flag: str = ""  # a flag name, or "none" for reviews without flags
    date_from: str = ""  # YYYY-MM-DD, on the review's date (its first sighting when it has none)
    date_to: str = ""
    text: str = ""

    def as_dict(self) -> dict[str, str]:
        """The filter as plain values (kept with the session, never in a URL)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> QueueFilter:
        """A filter from stored or submitted values; unknown keys are ignored."""
        known = cls.__dataclass_fields__
        return cls(**{k: str(v).strip()[:200] for k, v in values.items() if k in known and v is not None})


def _where(f: QueueFilter) -> tuple[str, list[Any]]:
    clauses, params = ["q.status = ?"], [f.status or "suggested"]
    for column, value in (("r.source", f.source), ("r.location", f.location)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.min_rating:
        clauses.append("r.rating >= ?")
        params.append(float(f.min_rating))
    if f.sentiment in SENTIMENTS:
        clause, value = SENTIMENTS[f.sentiment]
        clauses.append(clause)
        params.append(value)
    if f.flag == "none":
        clauses.append("(r.flags IS NULL OR r.flags = '[]')")
    elif f.flag:
        clauses.append("instr(r.flags, ?) > 0")
        params.append(json.dumps({"name": f.flag})[1:-1])  # '"name": "crisis"', as the flags are stored
    if f.date_from:
        clauses.append("coalesce(r.published, substr(r.first_seen, 1, 10)) >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append("coalesce(r.published, substr(r.first_seen, 1, 10)) <= ?")
        params.append(f.date_to)
    if f.text:
        clauses.append("r.text LIKE ? ESCAPE '\\'")
        params.append("%" + f.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    return " AND ".join(clauses), params


def queue_page(db: sqlite_utils.Database, f: QueueFilter, page: int, size: int) -> tuple[list[dict[str, Any]], bool]:
    """One page of matching quotes, oldest first, and whether another page follows."""
    where, params = _where(f)
    cur = db.execute(f"SELECT {_LISTING} {_FROM} WHERE {where} "
                     f"ORDER BY q.id LIMIT ? OFFSET ?", (*params, size + 1, max(0, page - 1) * size))
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, row)) for row in cur]
    for row in rows:
        row["flags"] = json.loads(row["flags"]) if row["flags"] else []
    return rows[:size], len(rows) > size


def queue_count(db: sqlite_utils.Database, f: QueueFilter) -> int:
    """How many quotes match the filter."""
    where, params = _where(f)
    return db.execute(f"SELECT count(*) {_FROM} WHERE {where}",
                      params).fetchone()[0]


def neighbours(db: sqlite_utils.Database, f: QueueFilter, quote_id: int) -> tuple[int | None, int | None]:
    """The previous and next quote ids in the filtered queue around a quote (for keyboard navigation)."""
    where, params = _where(f)
    base = f"SELECT q.id {_FROM} WHERE {where}"
    before = db.execute(f"{base} AND q.id < ? ORDER BY q.id DESC LIMIT 1", (*params, quote_id)).fetchone()
    after = db.execute(f"{base} AND q.id > ? ORDER BY q.id LIMIT 1", (*params, quote_id)).fetchone()
    return (before[0] if before else None), (after[0] if after else None)
