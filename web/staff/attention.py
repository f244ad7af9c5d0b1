"""What staff must look at, each from one pipeline function: held reviews, the gate's reasons in plain words
with their fixes, and a quote's real state after the last publish. The command line shows the same lists."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from pipeline.publish.attention import attention
from pipeline.publish.holds import HOLD_ORDER, RELEASABLE

__all__ = ["HOLD_ORDER", "RELEASABLE", "attention_lists", "explain", "quote_state"]


def attention_lists(db: sqlite_utils.Database) -> dict[str, list[dict[str, Any]]]:
    """Held reviews (crisis first), approved quotes held back from the website, authorizations ending soon."""
    return attention(db)


def explain(reasons: list) -> list[dict[str, str]]:
    """Each reason the publish gate gave (plain words), with what a person can do about it."""
    return [{"text": str(r)[:1].upper() + str(r)[1:], "fix": getattr(r, "fix", "")} for r in reasons]


def quote_state(quote: dict[str, Any]) -> dict[str, Any]:
    """Where a quote stands after the last publish: on the website, held back (with every reason), or its status."""
    if quote["status"] != "approved":
        return {"state": quote["status"], "reasons": []}
    if quote.get("live"):
        return {"state": "published", "reasons": []}
    reasons = [{"text": r["reason"][:1].upper() + r["reason"][1:], "fix": r.get("fix", "")}
               for r in quote.get("held_reasons") or []]
    return {"state": "held back", "reasons": reasons}
