"""Counts for the staff overview: new reviews, clinician sign-offs, and the figures behind its charts.

All counts are over reviews not deleted at their source; `location` narrows every figure to one location
("" for all). Weeks are ISO-like `YYYY-Www` labels of the review's date (its first sighting when it has none).
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

_DAY = "coalesce(r.published, substr(r.first_seen, 1, 10))"


def _loc(location: str) -> tuple[str, list[Any]]:
    return ("AND r.location = ?", [location]) if location else ("", [])



def new_by_sentiment(db: sqlite_utils.Database, since: str, location: str = "") -> dict[str, int]:
    """Reviews first seen since a time, counted as positive, neutral, negative or not yet scored."""
    extra, params = _loc(location)
    row = db.execute(
        f"SELECT sum(r.compound >= 0.05), sum(r.compound > -0.05 AND r.compound < 0.05), sum(r.compound <= -0.05), "
        f"sum(r.compound IS NULL) FROM reviews r WHERE r.deleted_at IS NULL AND r.first_seen >= ? {extra}",
        [since, *params]).fetchone()
    return dict(zip(("positive", "neutral", "negative", "not scored"), (v or 0 for v in row)))


def claims_awaiting_clinician(db: sqlite_utils.Database, blocked: tuple[str, ...], limit: int = 100) -> list[dict]:
    """Undecided or approved quotes whose review makes a health claim that a clinician may sign off."""
    cur = db.execute(
        "SELECT q.id, q.status, r.id AS review_id, r.source, r.flags FROM quotes q JOIN reviews r ON r.id = q.review_id "
        "WHERE q.status IN ('suggested', 'approved') AND q.clinician_approved_by IS NULL "
        "AND instr(r.flags, '\"name\": \"health_claim\"') > 0 ORDER BY q.id LIMIT ?", (limit,))
    rows = [dict(zip([d[0] for d in cur.description], row)) for row in cur]
    out = []
    for row in rows:
        kinds = {f.get("detail") for f in json.loads(row.pop("flags")) if f["name"] == "health_claim"}
        if kinds - set(blocked):
            out.append({**row, "claims": sorted(k for k in kinds if k)})
    return out



def weekly_by_source(db: sqlite_utils.Database, since_day: str, location: str = "") -> list[tuple[str, str, int]]:
    """(week, source, reviews) since a day."""
    extra, params = _loc(location)
    return [tuple(r) for r in db.execute(
        f"SELECT strftime('%Y-W%W', {_DAY}) AS week, r.source, count(*) FROM reviews r "
        f"WHERE r.deleted_at IS NULL AND {_DAY} >= ? {extra} GROUP BY week, r.source ORDER BY week",
        [since_day, *params])]


def rating_distribution(db: sqlite_utils.Database, location: str = "") -> dict[int, int]:
    """Reviews per whole star (1-5); unrated reviews are left out."""
    extra, params = _loc(location)
    found = {int(stars): n for stars, n in db.execute(
        f"SELECT CAST(round(r.rating) AS INTEGER), count(*) FROM reviews r WHERE r.deleted_at IS NULL "
        f"AND r.rating IS NOT NULL {extra} GROUP BY 1", params) if stars is not None}
    return {stars: found.get(stars, 0) for stars in range(1, 6)}


def weekly_sentiment(db: sqlite_utils.Database, since_day: str, location: str = "") -> list[tuple[str, float, int]]:
    """(week, average compound, scored reviews) since a day."""
    extra, params = _loc(location)
    return [(w, round(avg, 3), n) for w, avg, n in db.execute(
        f"SELECT strftime('%Y-W%W', {_DAY}) AS week, avg(r.compound), count(r.compound) FROM reviews r "
        f"WHERE r.deleted_at IS NULL AND r.compound IS NOT NULL AND {_DAY} >= ? {extra} GROUP BY week ORDER BY week",
        [since_day, *params])]


def quote_statuses(db: sqlite_utils.Database, location: str = "") -> dict[str, int]:
    """Quotes per status, approved ones split into published (on the website after the last publish) and held back."""
    extra, params = _loc(location)
    counts = {"pending": 0, "published": 0, "approved, held back": 0, "rejected": 0, "unpublished": 0}
    for status, shown, n in db.execute(
            f"SELECT q.status, coalesce(q.live, 0), count(*) FROM quotes q JOIN reviews r ON r.id = q.review_id "
            f"WHERE 1 {extra} GROUP BY 1, 2", params):
        key = {"suggested": "pending"}.get(status, status) if status != "approved" else (
            "published" if shown else "approved, held back")
        counts[key] = counts.get(key, 0) + n
    return counts
