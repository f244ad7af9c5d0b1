"""Staff decisions on quotes: approve, reject, unpublish, record or revoke an authorization, clinician sign-off.

`seen` (from the staff app) is the quote's change counter when the person looked at it: a decision on a quote
that changed meanwhile is refused (`ChangedMeanwhile`, naming who changed it) before anything is written.

Each decision is checked, recorded with an audit entry in the same transaction, and followed at once by a
publish, so the website reflects it in seconds rather than the next night. The command line and the staff
web app call these same functions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from pipeline.dates import normalise_instant
from pipeline.errors import NothingToRevoke, NotPublishable, QuoteNotFound
from pipeline.models import FORM_KINDS
from pipeline.publish.build import gate_case, publish
from pipeline.publish.concurrency import check_unchanged
from pipeline.publish.gate import publish_blockers
from pipeline.settings import Settings
from storage import audit
from storage import quotes as quote_store
from storage.db import utc_now, write_transaction


@dataclass(frozen=True)
class Approval:
    """What an approver chose: excerpt and attribution (default: the suggestion), consent evidence, disclosure."""

    excerpt: str | None = None
    attribution: str | None = None
    authorization_ref: str | None = None  # e.g. a scanned signed form's reference
    authorization_expires: str | None = None  # ISO date
    tags: tuple[str, ...] = ()
    disclosure: str | None = None  # shown with the quote, e.g. "Staff member" or "Received a discount"
    provider: str | None = None  # the clinician the quote is about, e.g. "Dr. Alvarez" (the API filters on it)


@dataclass(frozen=True)
class Authorization:
    """A signed authorization to record: its evidence, consent text version, expiry and scope."""

    reference: str
    text_version: str | None = None
    expires: str | None = None
    scope_attribution: str | None = None  # the only name form allowed, e.g. "Patsy R."
    scope_excerpt: str | None = None  # the only text allowed (excerpts must be deletions of it)


def audit_anchor(settings: Settings) -> Path:
    """Where the audit chain's head is copied after every decision."""
    return settings.internal_db.with_name(settings.internal_db.name + ".audit-head")


def _after_decision(db: sqlite_utils.Database, settings: Settings, trigger: str) -> dict[str, Any]:
    """Anchor the audit chain and republish at once."""
    audit.write_anchor(audit_anchor(settings), db)
    return publish(db, settings, trigger=trigger)


def _quote(db: sqlite_utils.Database, quote_id: int, seen: int | None = None) -> dict[str, Any]:
    """The quote, checked unchanged since a person saw it (`seen`, from the staff app; None: no check)."""
    quote = quote_store.quote_with_review(db, quote_id)
    if quote is None:
        raise QuoteNotFound(f"no quote {quote_id}; `plaudit queue` lists them")
    check_unchanged(db, quote_id, seen)
    return quote


def _form_consent(quote: dict[str, Any], settings: Settings, known: list[dict], actor: str, now: str) -> list[dict]:
    """An authorization row for consent given on the practice's own form, unless one was ever recorded."""
    source = next((s for s in settings.sources if s.name == quote["source"]), None)
    if not source or source.kind not in FORM_KINDS or quote.get("consent_given") != 1:
        return []
    if any(k["kind"] == "form_consent" for k in known):  # a revoked consent is never silently renewed
        return []
    return [{"review_id": quote["review_id"], "kind": "form_consent", "reference": f"form entry in {source.name}",
             "text_version": quote.get("consent_version"), "given_at": quote.get("consent_at"),
             "recorded_by": actor, "recorded_at": now}]


def _signed(quote: dict[str, Any], auth: Authorization, actor: str, now: str) -> dict[str, Any]:
    return {"review_id": quote["review_id"], "kind": "signed", "reference": auth.reference,
            "text_version": auth.text_version, "given_at": now, "expires_at": normalise_instant(auth.expires),
            "scope_attribution": auth.scope_attribution, "scope_excerpt": auth.scope_excerpt,
            "recorded_by": actor, "recorded_at": now}


def _proposed(quote: dict[str, Any], approval: Approval) -> dict[str, Any]:
    """The quote as it would be once approved with these choices."""
    excerpt = (approval.excerpt or quote["excerpt"] or quote["suggested_excerpt"] or "").strip()
    attribution = (approval.attribution or quote["attribution"] or quote["suggested_attribution"] or "").strip()
    disclosure = approval.disclosure if approval.disclosure is not None else quote.get("disclosure")
    return {**quote, "status": "approved", "excerpt": excerpt, "attribution": attribution, "disclosure": disclosure}


def approve(db: sqlite_utils.Database, settings: Settings, quote_id: int, actor: str,
            approval: Approval = Approval(), *, seen: int | None = None) -> dict[str, Any]:
    """Approve a quote if the gate allows it; records authorizations and an audit entry, then republishes."""
    now = utc_now()
    with write_transaction(db):
        quote = _quote(db, quote_id, seen)
        proposed = _proposed(quote, approval)
        known = quote_store.authorizations_for(db, [quote["review_id"]])[quote["review_id"]]
        fresh = _form_consent(quote, settings, known, actor, now)
        if approval.authorization_ref:
            signed = Authorization(approval.authorization_ref, expires=approval.authorization_expires)
            fresh.append(_signed(quote, signed, actor, now))
        reasons = publish_blockers(gate_case(proposed, settings, known + fresh), now)
        if reasons:
            raise NotPublishable(quote_id, reasons)
        for row in fresh:
            quote_store.add_authorization(db, row)
        quote_store.set_decision(db, quote_id, "approved", actor, now, excerpt=proposed["excerpt"],
                                 attribution=proposed["attribution"])
        _set_extras(db, quote_id, approval)
        audit.append(db, actor, "approve", f"quote:{quote_id}",
                     {"review": quote["review_id"], "authorizations_added": len(fresh),
                      "excerpt_edited": proposed["excerpt"] != quote["suggested_excerpt"]}, now)
    return _after_decision(db, settings, f"approve {quote_id}")


def _set_extras(db: sqlite_utils.Database, quote_id: int, approval: Approval) -> None:
    if approval.tags:
        tags = json.dumps(sorted({t.strip().lower() for t in approval.tags if t.strip()}))
        db.conn.execute("UPDATE quotes SET tags = ? WHERE id = ?", (tags, quote_id))
    if approval.disclosure is not None:
        db.conn.execute("UPDATE quotes SET disclosure = ? WHERE id = ?", (approval.disclosure.strip(), quote_id))
    if approval.provider is not None:
        db.conn.execute("UPDATE quotes SET provider = ? WHERE id = ?", (approval.provider.strip() or None, quote_id))


def reject(db: sqlite_utils.Database, settings: Settings, quote_id: int, actor: str, note: str | None = None, *,
           seen: int | None = None) -> None:
    """Reject a suggested (or approved) quote; republishes when it was public."""
    now = utc_now()
    with write_transaction(db):
        quote = _quote(db, quote_id, seen)
        quote_store.set_decision(db, quote_id, "rejected", actor, now, note=note)
        audit.append(db, actor, "reject", f"quote:{quote_id}", {"previous": quote["status"]}, now)
    audit.write_anchor(audit_anchor(settings), db)
    if quote["status"] == "approved":
        publish(db, settings, trigger=f"reject {quote_id}")


def unpublish(db: sqlite_utils.Database, settings: Settings, quote_id: int, actor: str,
              note: str | None = None, *, seen: int | None = None) -> dict[str, Any]:
    """Take a quote off the public store now."""
    now = utc_now()
    with write_transaction(db):
        quote = _quote(db, quote_id, seen)
        quote_store.set_decision(db, quote_id, "unpublished", actor, now, note=note)
        audit.append(db, actor, "unpublish", f"quote:{quote_id}", {"previous": quote["status"]}, now)
    return _after_decision(db, settings, f"unpublish {quote_id}")


def authorize(db: sqlite_utils.Database, settings: Settings, quote_id: int, actor: str,
              auth: Authorization, *, seen: int | None = None) -> dict[str, Any]:
    """Record a signed authorization for the quote's review; republishes (an approved quote may now pass)."""
    now = utc_now()
    with write_transaction(db):
        quote = _quote(db, quote_id, seen)
        auth_id = quote_store.add_authorization(db, _signed(quote, auth, actor, now))
        audit.append(db, actor, "authorize", f"quote:{quote_id}",
                     {"review": quote["review_id"], "authorization": auth_id, "expires": auth.expires,
                      "scoped": bool(auth.scope_attribution or auth.scope_excerpt)}, now)
    return _after_decision(db, settings, f"authorize {quote_id}")


def revoke(db: sqlite_utils.Database, settings: Settings, quote_id: int, actor: str, *,
           seen: int | None = None) -> dict[str, Any]:
    """Revoke every active authorization of the quote's review; its quotes leave the public store at once.

    Consent given on the form but not yet used is recorded as revoked, so it is never used later; a quote with
    no authorization and no form consent has nothing to revoke, which is refused rather than recorded.
    """
    now = utc_now()
    with write_transaction(db):
        quote = _quote(db, quote_id, seen)
        known = quote_store.authorizations_for(db, [quote["review_id"]])[quote["review_id"]]
        unused_consent = _form_consent(quote, settings, known, actor, now)
        if not unused_consent and not any(a["revoked_at"] is None for a in known):
            raise NothingToRevoke(
                f"quote {quote_id} has no authorization on record, so there is nothing to revoke; to take it off "
                f"the website use `plaudit unpublish {quote_id}`")
        for row in unused_consent:
            quote_store.add_authorization(db, row)
        revoked = quote_store.revoke_authorizations(db, quote["review_id"], now, actor)
        audit.append(db, actor, "revoke", f"quote:{quote_id}", {"review": quote["review_id"], "revoked": revoked}, now)
    return {"revoked": revoked, **_after_decision(db, settings, f"revoke {quote_id}")}


def clinician_approve(db: sqlite_utils.Database, settings: Settings, quote_id: int, actor: str, *,
                      seen: int | None = None) -> dict[str, Any]:
    """Record a clinician's sign-off on the health-outcome claims of a quote's excerpt."""
    now = utc_now()
    with write_transaction(db):
        _quote(db, quote_id, seen)
        db.conn.execute("UPDATE quotes SET clinician_approved_by = ?, clinician_approved_at = ? WHERE id = ?",
                        (actor, now, quote_id))
        audit.append(db, actor, "clinician_approve", f"quote:{quote_id}", {}, now)
    return _after_decision(db, settings, f"clinician sign-off {quote_id}")
