"""Staff decisions on quotes: approve (with excerpt, attribution and authorization), reject, unpublish.

Each decision is checked, recorded with an audit entry in the same transaction, and followed at once by a
publish, so the website reflects it in seconds rather than the next night. The command line and the staff
web app call these same functions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from pipeline.errors import NotPublishable, QuoteNotFound
from pipeline.policy import publish_blockers
from pipeline.publish import gate_case, publish
from pipeline.quotes import is_deletion
from pipeline.settings import Settings
from storage import audit
from storage import quotes as quote_store
from storage.db import utc_now, write_transaction


@dataclass(frozen=True)
class Approval:
    """What an approver chose: the excerpt and attribution (default: the suggestion) and evidence of consent."""

    excerpt: str | None = None
    attribution: str | None = None
    authorization_ref: str | None = None  # e.g. a scanned signed form's reference
    authorization_expires: str | None = None  # ISO date
    tags: tuple[str, ...] = ()


def _quote(db: sqlite_utils.Database, quote_id: int) -> dict[str, Any]:
    quote = quote_store.quote_with_review(db, quote_id)
    if quote is None:
        raise QuoteNotFound(f"no quote {quote_id}; `plaudit queue` lists them")
    return quote


def _form_consent(quote: dict[str, Any], settings: Settings, actor: str, now: str) -> dict[str, Any] | None:
    """An authorization row for consent given on the practice's own form, if the entry carries one."""
    source = next((s for s in settings.sources if s.name == quote["source"]), None)
    if not source or source.kind != "csv" or quote.get("consent_given") != 1:
        return None
    return {"review_id": quote["review_id"], "kind": "form_consent", "reference": f"form entry in {source.name}",
            "text_version": quote.get("consent_version"), "given_at": quote.get("consent_at"),
            "recorded_by": actor, "recorded_at": now}


def _new_authorizations(quote, approval: Approval, settings: Settings, actor: str, now: str) -> list[dict]:
    rows = []
    if approval.authorization_ref:
        rows.append({"review_id": quote["review_id"], "kind": "signed", "reference": approval.authorization_ref,
                     "given_at": now, "expires_at": approval.authorization_expires,
                     "recorded_by": actor, "recorded_at": now})
    consent = _form_consent(quote, settings, actor, now)
    return rows + ([consent] if consent else [])


def approve(db: sqlite_utils.Database, settings: Settings, quote_id: int, actor: str,
            approval: Approval = Approval()) -> dict[str, Any]:
    """Approve a quote if the gate allows it; records authorizations and an audit entry, then republishes."""
    now = utc_now()
    with write_transaction(db):
        quote = _quote(db, quote_id)
        excerpt = (approval.excerpt or quote["excerpt"] or quote["suggested_excerpt"] or "").strip()
        if quote["text"] is None or not is_deletion(quote["text"], excerpt):
            raise NotPublishable(quote_id, ["the excerpt must only delete text from the review (mark gaps with …)"])
        attribution = (approval.attribution or quote["attribution"] or quote["suggested_attribution"]).strip()
        known = quote_store.authorizations_for(db, [quote["review_id"]])[quote["review_id"]]
        fresh = _new_authorizations(quote, approval, settings, actor, now)
        fresh = [a for a in fresh if not any(k["kind"] == a["kind"] and k["reference"] == a["reference"]
                                             and not k["revoked_at"] for k in known)]
        case = gate_case({**quote, "status": "approved", "excerpt": excerpt, "attribution": attribution},
                         settings, known + fresh)
        reasons = publish_blockers(case, now)
        if reasons:
            raise NotPublishable(quote_id, reasons)
        for row in fresh:
            quote_store.add_authorization(db, row)
        quote_store.set_decision(db, quote_id, "approved", actor, now, excerpt=excerpt, attribution=attribution)
        if approval.tags:
            db.conn.execute("UPDATE quotes SET tags = ? WHERE id = ?", (_tags_json(approval.tags), quote_id))
        audit.append(db, actor, "approve", f"quote:{quote_id}",
                     {"review": quote["review_id"], "authorizations_added": len(fresh),
                      "excerpt_edited": excerpt != quote["suggested_excerpt"]}, now)
    return publish(db, settings, trigger=f"approve {quote_id}")


def _tags_json(tags: tuple[str, ...]) -> str:
    return json.dumps(sorted({t.strip().lower() for t in tags if t.strip()}))


def reject(db: sqlite_utils.Database, settings: Settings, quote_id: int, actor: str, note: str | None = None) -> None:
    """Reject a suggested (or approved) quote; republishes when it was public."""
    now = utc_now()
    with write_transaction(db):
        quote = _quote(db, quote_id)
        quote_store.set_decision(db, quote_id, "rejected", actor, now, note=note)
        audit.append(db, actor, "reject", f"quote:{quote_id}", {"previous": quote["status"]}, now)
    if quote["status"] == "approved":
        publish(db, settings, trigger=f"reject {quote_id}")


def unpublish(db: sqlite_utils.Database, settings: Settings, quote_id: int, actor: str,
              note: str | None = None) -> dict[str, Any]:
    """Take a quote off the public store now."""
    now = utc_now()
    with write_transaction(db):
        quote = _quote(db, quote_id)
        quote_store.set_decision(db, quote_id, "unpublished", actor, now, note=note)
        audit.append(db, actor, "unpublish", f"quote:{quote_id}", {"previous": quote["status"]}, now)
    return publish(db, settings, trigger=f"unpublish {quote_id}")
