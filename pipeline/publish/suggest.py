"""Choosing which reviews become suggested quotes, and keeping suggestions in step with their reviews.

A review is suggested when it is the canonical member of its duplicate cluster, still present with text, from
a source whose policy allows publishing, positive enough (compound and stars, settings `suggest_min_compound`
and `suggest_min_rating`), does not warn others away ("Avoid for surgery", "Never again": the reviewer's
verdict, whatever the other sentences praise), is not held for a person (`pipeline.publish.holds`), and yields
a clean excerpt.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlite_utils

from pipeline.judge.sentiment import phrase_matches
from pipeline.publish.holds import hold_reasons
from pipeline.publish.quotes import attribution, suggest_excerpt
from pipeline.settings import Settings
from storage import quotes as quote_store
from storage.db import utc_now, write_transaction

BATCH = 5000
VERDICTS_AGAINST = frozenset({"warning", "never_again"})
_COLUMNS = "r.id, r.text, r.rating, r.author, r.compound, r.sentences, r.flags, r.version, r.source"


def eligible(row: dict[str, Any], settings: Settings, read_verdicts: bool = True) -> bool:
    """Whether a scored review qualifies for a suggested quote (before its excerpt is built).

    `read_verdicts=False` skips the clinic rules' warning veto (for measuring plain VADER as it was).
    """
    if row["compound"] is None or row["compound"] < settings.suggest_min_compound:
        return False
    if row["rating"] is not None and row["rating"] < settings.suggest_min_rating:
        return False
    if read_verdicts and warns_others(row.get("text") or ""):
        return False
    return not hold_reasons(row["flags"])  # held reviews wait for a person (pipeline.publish.holds)


def warns_others(text: str) -> bool:
    """Whether the review tells other patients to stay away (the warning and never-again phrase rules)."""
    return any(name in VERDICTS_AGAINST for _, _, name in phrase_matches(text))


def suggestion(row: dict[str, Any], settings: Settings) -> dict[str, Any] | None:
    """The suggested quote for an eligible review, or None when no clean excerpt exists."""
    excerpt = suggest_excerpt(row["text"], row["sentences"], row["flags"], settings.excerpt_max_chars)
    if not excerpt:
        return None
    return {"review_id": row["id"], "suggested_excerpt": excerpt, "suggested_attribution": attribution(row["author"]),
            "review_version": row["version"], "tags": []}


def candidates_sql(where: str, source_count: int) -> str:
    """One batch of matching reviews after an id: parameters are the source names, then the last id."""
    marks = ",".join("?" * source_count)
    # "+r.source": walk the id index in order; the source index would sort every remaining row per batch
    return (f"SELECT {_COLUMNS} FROM reviews r LEFT JOIN quotes q ON q.review_id = r.id WHERE {where} "
            f"AND +r.source IN ({marks}) AND r.id > ? ORDER BY r.id LIMIT {BATCH}")


def _candidates(db: sqlite_utils.Database, settings: Settings, where: str) -> Iterator[list[dict[str, Any]]]:
    """Matching reviews in id order, BATCH at a time (a backfill may hold a million of them)."""
    sources = [s.name for s in settings.sources if s.policy == "publish"] or [""]
    sql = candidates_sql(where, len(sources))
    after = ""
    while True:
        cur = db.execute(sql, [*sources, after])
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, row)) for row in cur]
        if not rows:
            return
        for row in rows:
            row["sentences"] = json.loads(row["sentences"] or "[]")
            row["flags"] = json.loads(row["flags"] or "[]")
        yield rows
        after = rows[-1]["id"]


_LIVE = "r.is_canonical = 1 AND r.deleted_at IS NULL AND r.text IS NOT NULL AND r.needs_score = 0"


def _suggestions(rows: list[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    return [s for r in rows if eligible(r, settings) for s in [suggestion(r, settings)] if s]


def suggest_quotes(db: sqlite_utils.Database, settings: Settings) -> dict[str, Any]:
    """Add suggestions for new qualifying reviews; refresh changed ones; withdraw ones that no longer qualify."""
    counts = {"suggested": 0, "refreshed": 0, "withdrawn": 0}
    for rows in _candidates(db, settings, f"q.id IS NULL AND {_LIVE}"):
        fresh = _suggestions(rows, settings)
        with write_transaction(db):
            quote_store.insert_suggestions(db, fresh, utc_now())
        counts["suggested"] += len(fresh)
    for rows in _candidates(db, settings, f"q.status = 'suggested' AND q.review_version != r.version AND {_LIVE}"):
        refreshed = _suggestions(rows, settings)
        kept = {s["review_id"] for s in refreshed}
        with write_transaction(db):
            quote_store.refresh_suggestions(db, refreshed, utc_now())
            quote_store.withdraw_suggestions(db, [r["id"] for r in rows if r["id"] not in kept])
        counts["refreshed"] += len(refreshed)
        counts["withdrawn"] += len(rows) - len(kept)
    stale = [r[0] for r in db.execute(
        f"SELECT q.review_id FROM quotes q JOIN reviews r ON r.id = q.review_id WHERE q.status = 'suggested' "
        f"AND NOT ({_LIVE})")]
    with write_transaction(db):
        quote_store.withdraw_suggestions(db, stale)
    counts["withdrawn"] += len(stale)
    return counts
