"""Choosing which reviews become suggested quotes, and keeping suggestions in step with their reviews.

A review is suggested when it is the canonical member of its duplicate cluster, still present with text, from
a source whose policy allows publishing, positive enough (compound and stars, settings `suggest_min_compound`
and `suggest_min_rating`), carries no `warning` flag (scoring found "Avoid for surgery", "Never again":
the reviewer's verdict, whatever the other sentences praise), is not held for a person (`pipeline.publish.holds`), and yields
a clean excerpt.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from pipeline.publish.holds import hold_reasons
from pipeline.publish.quotes import attribution, suggest_excerpt
from pipeline.settings import Settings
from storage import quotes as quote_store
from storage import reviews as review_store
from storage.db import utc_now, write_transaction
from storage.state import set_stage_value, stage_value

BATCH = 5000
_COLUMNS = "r.id, r.text, r.rating, r.author, r.compound, r.sentences, r.flags, r.version, r.source"


def eligible(row: dict[str, Any], settings: Settings) -> bool:
    """Whether a scored review qualifies for a suggested quote (before its excerpt is built)."""
    if row["compound"] is None or row["compound"] < settings.suggest_min_compound:
        return False
    if row["rating"] is not None and row["rating"] < settings.suggest_min_rating:
        return False
    if any(f["name"] == "warning" for f in row["flags"]):  # the reviewer warns others away
        return False
    return not hold_reasons(row["flags"])  # held reviews wait for a person (pipeline.publish.holds)


def suggestion(row: dict[str, Any], settings: Settings) -> dict[str, Any] | None:
    """The suggested quote for an eligible review, or None when no clean excerpt exists."""
    excerpt = suggest_excerpt(row["text"], row["sentences"], row["flags"], settings.excerpt_max_chars)
    if not excerpt:
        return None
    return {"review_id": row["id"], "suggested_excerpt": excerpt, "suggested_attribution": attribution(row["author"]),
            "review_version": row["version"], "tags": []}


def candidates_sql(where: str, source_count: int, id_count: int) -> str:
    """Matching reviews among given ids: parameters are the source names, then the ids."""
    sources = ",".join("?" * source_count)
    ids = ",".join("?" * id_count)
    # "+r.source": look the ids up by primary key; the source index would sort every row of the source
    return (f"SELECT {_COLUMNS} FROM reviews r LEFT JOIN quotes q ON q.review_id = r.id WHERE {where} "
            f"AND +r.source IN ({sources}) AND r.id IN ({ids}) ORDER BY r.id")


def _candidates(db: sqlite_utils.Database, settings: Settings, where: str, ids: list[str]) -> list[dict[str, Any]]:
    """The reviews among `ids` (a batch of those needing a look) that match `where`, in id order."""
    sources = [s.name for s in settings.sources if s.policy == "publish"] or [""]
    cur = db.execute(candidates_sql(where, len(sources), len(ids)), [*sources, *ids])
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, row)) for row in cur]
    for row in rows:
        row["sentences"] = json.loads(row["sentences"] or "[]")
        row["flags"] = json.loads(row["flags"] or "[]")
    return rows


_LIVE = "r.is_canonical = 1 AND r.deleted_at IS NULL AND r.text IS NOT NULL AND r.needs_score = 0"


def _suggestions(rows: list[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    return [s for r in rows if eligible(r, settings) for s in [suggestion(r, settings)] if s]


def suggest_quotes(db: sqlite_utils.Database, settings: Settings) -> dict[str, Any]:
    """Add suggestions for new qualifying reviews; refresh changed ones; withdraw ones that no longer qualify.

    Only reviews whose suggestion may have changed are read (`needs_suggest`, raised by the store's triggers),
    all of them when the settings that decide a suggestion changed since the last run.
    """
    counts = {"suggested": 0, "refreshed": 0, "withdrawn": 0}
    _look_at_all_when_settings_changed(db, settings)
    after = ""
    while ids := review_store.ids_needing(db, "needs_suggest", BATCH, after):
        with write_transaction(db):
            _suggest_batch(db, settings, ids, counts)
            db.conn.executemany("UPDATE reviews SET needs_suggest = 0 WHERE id = ?", [(i,) for i in ids])
        after = ids[-1]
    return counts


def _suggest_batch(db: sqlite_utils.Database, settings: Settings, ids: list[str], counts: dict[str, int]) -> None:
    """Suggest, refresh and withdraw among one batch of reviews needing a look. Call inside a transaction."""
    fresh = _suggestions(_candidates(db, settings, f"q.id IS NULL AND {_LIVE}", ids), settings)
    quote_store.insert_suggestions(db, fresh, utc_now())
    counts["suggested"] += len(fresh)
    # "+q.status", "CROSS JOIN": start from the few reviews by id, never from every suggested quote
    rows = _candidates(db, settings, f"+q.status = 'suggested' AND q.review_version != r.version AND {_LIVE}", ids)
    refreshed = _suggestions(rows, settings)
    kept = {s["review_id"] for s in refreshed}
    quote_store.refresh_suggestions(db, refreshed, utc_now())
    quote_store.withdraw_suggestions(db, [r["id"] for r in rows if r["id"] not in kept])
    counts["refreshed"] += len(refreshed)
    counts["withdrawn"] += len(rows) - len(kept)
    marks = ",".join("?" * len(ids))
    stale = [r[0] for r in db.execute(
        f"SELECT q.review_id FROM reviews r CROSS JOIN quotes q ON q.review_id = r.id WHERE r.id IN ({marks}) "
        f"AND +q.status = 'suggested' AND NOT ({_LIVE})", ids)]
    quote_store.withdraw_suggestions(db, stale)
    counts["withdrawn"] += len(stale)


def _look_at_all_when_settings_changed(db: sqlite_utils.Database, settings: Settings) -> None:
    """Raise needs_suggest on every review once when the thresholds or the publishing sources changed."""
    decisive = json.dumps([settings.suggest_min_compound, settings.suggest_min_rating, settings.excerpt_max_chars,
                           sorted(s.name for s in settings.sources if s.policy == "publish")])
    if stage_value(db, "suggest_settings") != decisive:
        with write_transaction(db):
            db.execute("UPDATE reviews SET needs_suggest = 1 WHERE needs_suggest = 0")
            set_stage_value(db, "suggest_settings", decisive)
