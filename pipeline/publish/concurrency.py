"""Two staff deciding on one quote at once: the first decision wins, the second is told who changed it.

A page carries the quote's `edits` counter (migration m_staff_app_1: a trigger grows it on every change a
person could be looking at). A decision goes ahead only if the counter is unchanged, checked in the same
`BEGIN IMMEDIATE` transaction as the decision itself, so nothing in between can slip through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlite_utils

from pipeline.errors import PlauditError, QuoteNotFound
from storage.db import write_transaction

T = TypeVar("T")


class ChangedMeanwhile(PlauditError):
    """The quote changed after the page was shown; carries who changed it and when."""

    def __init__(self, quote_id: int, actor: str, at: str):
        super().__init__(f"quote {quote_id} was changed by {actor} at {at}; nothing was recorded")
        self.quote_id, self.actor, self.at = quote_id, actor, at


def edits(db: sqlite_utils.Database, quote_id: int) -> int:
    """The quote's change counter."""
    row = db.execute("SELECT edits FROM quotes WHERE id = ?", (quote_id,)).fetchone()
    if row is None:
        raise QuoteNotFound(f"no quote {quote_id}")
    return int(row[0] or 0)


def last_change(db: sqlite_utils.Database, quote_id: int) -> tuple[str, str]:
    """Who last acted on the quote and when, from the audit log (the nightly run when no person did)."""
    row = db.execute("SELECT actor, at FROM audit_log WHERE object = ? ORDER BY id DESC LIMIT 1",
                     (f"quote:{quote_id}",)).fetchone()
    return (row[0], row[1]) if row else ("the nightly run", "")


def if_unchanged(db: sqlite_utils.Database, quote_id: int, seen: int, decide: Callable[[], T]) -> T:
    """Run a decision only if the quote's counter is still `seen`; else raise ChangedMeanwhile."""
    with write_transaction(db):
        if edits(db, quote_id) != seen:
            raise ChangedMeanwhile(quote_id, *last_change(db, quote_id))
        return decide()
