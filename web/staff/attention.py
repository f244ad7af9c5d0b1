"""What staff must look at, each from one function: held reviews, plain-words reasons, a quote's real state.

These are the single places the pages get them from. Today they read the flags and the publish gate
directly; when the pipeline grows its own functions for them (issue 9), only these bodies change.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from pipeline.publish.build import gate_case
from pipeline.publish.gate import publish_blockers
from pipeline.settings import Settings
from storage import overview as stats
from storage import quotes as quote_store
from storage.db import utc_now

# Held back from suggestion until a person looks: the order staff should read them in.
HELD_ORDER = ("crisis", "mismatch", "non_english", "spam", "suspicious")


def held_reviews(db: sqlite_utils.Database, limit: int = 200) -> list[dict[str, Any]]:
    """Reviews held for a person, crisis first, then mismatch, non-English, spam, suspicious; with reasons."""
    rows = stats.reviews_with_flags(db, HELD_ORDER, limit)
    for row in rows:
        names = [f["name"] for f in row["flags"] if f["name"] in HELD_ORDER
                 and not (f["name"] == "spam" and f.get("detail") == "link")]
        row["held_for"] = sorted(set(names), key=HELD_ORDER.index)
    held = [r for r in rows if r["held_for"]]
    return sorted(held, key=lambda r: HELD_ORDER.index(r["held_for"][0]))


def explain(reasons: list[str]) -> list[dict[str, str]]:
    """Each reason the publish gate gave, in plain words with what to do about it."""
    return [{"text": reason[:1].upper() + reason[1:], "fix": ""} for reason in reasons]


def quote_state(db: sqlite_utils.Database, settings: Settings, quote: dict[str, Any]) -> dict[str, Any]:
    """Where a quote really stands: on the website, held back (and why), or its decision status."""
    if quote["status"] != "approved":
        return {"state": quote["status"], "reasons": []}
    auths = quote_store.authorizations_for(db, [quote["review_id"]])[quote["review_id"]]
    reasons = publish_blockers(gate_case(quote, settings, auths), utc_now())
    return {"state": "held back" if reasons else "published", "reasons": explain(reasons)}
