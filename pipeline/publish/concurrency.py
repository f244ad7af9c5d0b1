"""Two staff deciding on one quote at once: the first decision wins, the second is told who changed it.

A page carries the quote's `edits` counter (migration m_staff_app_1: a trigger grows it on every change a
person could be looking at). Each decision in `pipeline.publish.decisions` takes the counter the person saw
(`seen`) and goes ahead only if it is unchanged, checked in the decision's own `BEGIN IMMEDIATE` transaction,
so nothing in between can slip through; the publish that follows runs after that transaction commits.
"""

from __future__ import annotations

import sqlite_utils

from pipeline.errors import PlauditError, QuoteNotFound


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


def check_unchanged(db: sqlite_utils.Database, quote_id: int, seen: int | None) -> None:
    """Raise ChangedMeanwhile when the quote's counter moved since `seen` (None: no check, the command line).

    Call it inside the decision's own write transaction, before anything is written.
    """
    if seen is not None and edits(db, quote_id) != seen:
        raise ChangedMeanwhile(quote_id, *last_change(db, quote_id))
