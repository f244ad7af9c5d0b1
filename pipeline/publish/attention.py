"""What needs a person, most urgent first: held reviews (crisis at the top), approved quotes the gate keeps off
the website, and authorizations that end soon. The command line and the staff app show this same list.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from pipeline.dates import format_instant
from pipeline.publish.holds import held_reviews
from storage import quotes as quote_store

EXPIRY_WARNING_DAYS = 30


def held_back_quotes(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Approved quotes that the last publish kept off the website, with every reason and its fix."""
    return [q for q in quote_store.quotes_with_reviews(db, ("approved",)) if not q.get("live")]


def expiring_authorizations(db: sqlite_utils.Database, days: int = EXPIRY_WARNING_DAYS,
                            now: datetime | None = None) -> list[dict[str, Any]]:
    """Active authorizations of approved quotes that end within `days`, soonest first."""
    now = now or datetime.now(timezone.utc)
    return list(db.query(
        "SELECT a.*, q.id AS quote_id FROM authorizations a JOIN quotes q ON q.review_id = a.review_id "
        "WHERE a.revoked_at IS NULL AND a.expires_at IS NOT NULL AND a.expires_at >= ? AND a.expires_at < ? "
        "AND q.status = 'approved' ORDER BY a.expires_at",
        [format_instant(now), format_instant(now + timedelta(days=days))]))


def attention(db: sqlite_utils.Database, include_decided: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Everything that needs a person, in the order it should be read."""
    return {"held": held_reviews(db, include_decided), "held_back": held_back_quotes(db),
            "expiring": expiring_authorizations(db)}
