"""Reviews held back from suggestion, and what a person does about them: held is never hidden.

The hold stage runs after scoring and dedupe. Every review whose flags keep it from suggestion gets one hold
per reason, listed for staff the same night (crisis first) and counted in the run report. A person marks a hold
handled (seen, nothing to publish) or, where the rules allow, releases the review to the queue.

Reasons, in the order staff see them: crisis (from every source: a person must read it), then for sources whose
policy allows publishing: mismatch (stars against text), non_english, shouting (mostly capitals), spam,
suspicious (machine-written or the same text under another name) and link. Crisis, spam and suspicious are never
published, so they cannot be released; mismatch, non_english, shouting and link can.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import sqlite_utils

from pipeline.errors import PlauditError
from pipeline.publish.quotes import attribution, fallback_excerpt, suggest_excerpt
from pipeline.settings import Settings
from storage import audit
from storage import holds as hold_store
from storage import quotes as quote_store
from storage import reviews as review_store
from storage.db import utc_now, write_transaction

HOLD_ORDER = ("crisis", "mismatch", "non_english", "shouting", "spam", "suspicious", "link")
RELEASABLE = frozenset({"mismatch", "non_english", "shouting", "link"})
BATCH = 5000


class HoldNotFound(PlauditError):
    """No hold with that id."""


class NotReleasable(PlauditError):
    """A hold whose reason the rules never let reach the website, or a review with no quotable text."""


def hold_reasons(flags: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(reason, detail) for every flag that keeps a review from being suggested, in HOLD_ORDER."""
    found: dict[str, str] = {}
    for f in flags:
        name, detail = f["name"], f.get("detail") or ""
        reason = "link" if name == "spam" and detail == "link" else name
        if reason in HOLD_ORDER:
            found.setdefault(reason, detail)
    return [(reason, found[reason]) for reason in HOLD_ORDER if reason in found]


def hold_new(db: sqlite_utils.Database, settings: Settings) -> dict[str, int]:
    """Record holds for reviews whose flags changed since the last run; counts of newly open holds and open ones."""
    publishable = {s.name for s in settings.sources if s.policy == "publish"}
    opened: Counter[str] = Counter()
    while ids := review_store.ids_needing(db, "needs_hold", BATCH):
        rows = review_store.fetch(db, ids, ("source", "flags", "version"))
        by_reason: dict[str, list[tuple[str, str, str, int]]] = {}
        for row in rows:
            for reason, detail in hold_reasons(json.loads(row["flags"] or "[]")):
                if reason == "crisis" or row["source"] in publishable:
                    by_reason.setdefault(reason, []).append((row["id"], reason, detail, row["version"]))
        with write_transaction(db):
            for reason, holds in by_reason.items():
                opened[reason] += hold_store.record_holds(db, holds, utc_now())
            db.conn.executemany("UPDATE reviews SET needs_hold = 0 WHERE id = ?", [(i,) for i in ids])
    still_open = hold_store.open_counts(db)
    return {**{f"new_{reason}": opened[reason] for reason in HOLD_ORDER if opened[reason]},
            "needs_attention": sum(still_open.values()), "crisis_open": still_open.get("crisis", 0)}


def held_reviews(db: sqlite_utils.Database, include_decided: bool = False, limit: int = 1000) -> list[dict]:
    """Holds with their reviews, crisis first; open ones only unless `include_decided`."""
    states = hold_store.STATES if include_decided else (hold_store.OPEN,)
    return hold_store.list_holds(db, states, HOLD_ORDER, limit)


def _hold(db: sqlite_utils.Database, hold_id: int) -> dict[str, Any]:
    hold = hold_store.get_hold(db, hold_id)
    if hold is None:
        raise HoldNotFound(f"no hold {hold_id}; `plaudit attention` lists them")
    return hold


def mark_handled(db: sqlite_utils.Database, hold_id: int, actor: str, note: str | None = None) -> dict[str, Any]:
    """A person has read the held review and dealt with it; it leaves the attention list."""
    now = utc_now()
    with write_transaction(db):
        hold = _hold(db, hold_id)
        hold_store.decide_hold(db, hold_id, hold_store.HANDLED, actor, now, note)
        audit.append(db, actor, "hold_handled", f"hold:{hold_id}",
                     {"review": hold["review_id"], "reason": hold["reason"], "noted": bool(note)}, now)
    return {**hold, "state": hold_store.HANDLED}


def release(db: sqlite_utils.Database, settings: Settings, hold_id: int, actor: str,
            note: str | None = None) -> int | None:
    """Release a held review to the queue where the rules allow; returns the new suggested quote's id."""
    now = utc_now()
    with write_transaction(db):
        hold = _hold(db, hold_id)
        blocking = [h["reason"] for h in hold_store.holds_of_review(db, hold["review_id"])
                    if h["reason"] not in RELEASABLE and h["state"] != hold_store.RELEASED]
        if hold["reason"] not in RELEASABLE or blocking:
            reason = hold["reason"] if hold["reason"] not in RELEASABLE else blocking[0]
            raise NotReleasable(f"hold {hold_id}: a review flagged {reason} is never published; mark it handled "
                                f"instead (`plaudit attention --handled {hold_id}`)")
        hold_store.decide_hold(db, hold_id, hold_store.RELEASED, actor, now, note)
        quote_id = _suggest_released(db, settings, hold["review_id"], now)
        audit.append(db, actor, "hold_released", f"hold:{hold_id}",
                     {"review": hold["review_id"], "reason": hold["reason"], "quote": quote_id}, now)
    return quote_id


def _suggest_released(db: sqlite_utils.Database, settings: Settings, review_id: str, now: str) -> int | None:
    """A suggested quote for a released review (none when it already has a quote)."""
    existing = db.execute("SELECT id FROM quotes WHERE review_id = ?", [review_id]).fetchone()
    if existing:
        return existing[0]
    row = review_store.fetch(db, [review_id], ("text", "author", "sentences", "flags", "version"))[0]
    if not row["text"]:
        raise NotReleasable("the review's text is gone (deleted or purged), so there is nothing to quote")
    sentences = json.loads(row["sentences"] or "[]")
    flags = json.loads(row["flags"] or "[]")
    excerpt = (suggest_excerpt(row["text"], sentences, flags, settings.excerpt_max_chars)
               or fallback_excerpt(row["text"], sentences, flags, settings.excerpt_max_chars))
    if not excerpt:
        raise NotReleasable("no sentence of the review is free of flagged details, so nothing can be quoted")
    quote_store.insert_suggestions(db, [{"review_id": review_id, "suggested_excerpt": excerpt,
                                         "suggested_attribution": attribution(row["author"]),
                                         "review_version": row["version"], "tags": []}], now)
    return db.execute("SELECT id FROM quotes WHERE review_id = ?", [review_id]).fetchone()[0]
