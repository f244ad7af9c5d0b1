"""The publish gate: one pure function that says whether a quote may be published, with every reason it may not.

Called for every quote on every publish, so a quote whose authorization lapsed, whose review changed or
disappeared, or whose source policy changed leaves the public store at the next publish without anyone acting.
The rules, from COMPLIANCE.md:
- a testimonial needs the patient's active authorization, in scope for the excerpt and the name shown (§1, HIPAA);
- excerpts may only delete text (§3, FTC Endorsement Guides), and flagged patient details or profanity may be
  in the review but never inside the excerpt (§1);
- crisis language, spam and suspected fake or machine-written reviews are never published (§2, §3);
- cure, comparative and safety claims are blocked by default; other health-outcome claims need a clinician's
  sign-off (§3); a claim counts only when the excerpt itself contains it;
- insider and incentivised reviews need a disclosure shown with the quote (§2);
- each source's policy decides whether its text may be shown at all (§4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pipeline.dates import stored_instant
from pipeline.judge.detectors.patient_details import find_patient_details
from pipeline.judge.detectors.risk import BLOCKED_CLAIMS
from pipeline.models import FORM_KINDS
from pipeline.publish.quotes import (
    FALLBACK_ATTRIBUTION,
    attribution,
    attribution_allowed,
    excerpt_coverage,
    is_deletion,
)

NEVER_PUBLISHED = frozenset({"crisis", "spam", "suspicious"})
OUTSIDE_EXCERPT = frozenset({"patient_detail", "profanity"})
NEEDS_DISCLOSURE = frozenset({"insider", "incentivized"})
DEFAULT_BLOCKED_CLAIMS = BLOCKED_CLAIMS
# Patient details that may never stand in an attribution (a name form is checked separately).
ATTRIBUTION_DETAILS = frozenset({"phone", "email", "address", "date_of_birth", "age", "record_number"})
DETAIL_WORDS = {"name": "a person's name", "phone": "a phone number", "email": "an email address",
                "address": "a street address", "date_of_birth": "a date of birth", "age": "an age",
                "record_number": "a record number"}


class Blocker(str):
    """One reason a quote may not be published, in plain words, with how a person can fix it (`fix`, words any
    interface can show) and, where one exists, the command line that does it (`command`)."""

    fix: str
    command: str

    def __new__(cls, reason: str, fix: str = "", command: str = "") -> Blocker:
        blocker = super().__new__(cls, reason)
        blocker.fix, blocker.command = fix, command
        return blocker


@dataclass(frozen=True)
class GateCase:
    """Everything the gate needs about one quote, as plain values."""

    status: str
    excerpt: str
    attribution: str
    review_text: str | None  # None once retention purged it
    review_deleted: bool
    source_kind: str  # "csv" or "inbox" (the practice's own forms) or a public listing kind
    source_policy: str  # publish / summary_only / ignore
    authorizations: tuple[dict[str, Any], ...] = ()
    flags: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    clinician_approved: bool = False
    disclosure: str = ""
    blocked_claims: frozenset[str] = DEFAULT_BLOCKED_CLAIMS
    author: str | None = None  # the name the patient gave; attributions are derived from it
    consent_covers_full_name: bool = False  # the form's consent text allows the full name
    source_label: str = "this source"
    quote_id: int | str = "ID"


def _now(now: str | datetime) -> datetime | None:
    return now if isinstance(now, datetime) else stored_instant(now)


def active_authorizations(authorizations, now: str | datetime) -> list[dict[str, Any]]:
    """Authorizations neither revoked nor expired at `now`; an unreadable expiry counts as expired."""
    moment = _now(now)
    return [a for a in authorizations if not a.get("revoked_at") and _unexpired(a.get("expires_at"), moment)]


def _unexpired(expires_at: str | None, moment: datetime | None) -> bool:
    if not expires_at:
        return True
    expiry = stored_instant(expires_at)
    return expiry is not None and moment is not None and expiry > moment


def unreadable_expiries(authorizations) -> list[str]:
    """Stored expiry values that are not dates (recorded before dates were checked); they count as expired."""
    return [a["expires_at"] for a in authorizations
            if not a.get("revoked_at") and a.get("expires_at") and stored_instant(a["expires_at"]) is None]


def in_scope(authorization: dict[str, Any], excerpt: str, attribution: str) -> bool:
    """Whether an authorization covers this excerpt and this name form (unset scope covers any)."""
    name = authorization.get("scope_attribution")
    if name and attribution not in (name, FALLBACK_ATTRIBUTION):
        return False
    text = authorization.get("scope_excerpt")
    return not text or is_deletion(text, excerpt)


def publish_blockers(case: GateCase, now: str | datetime) -> list[Blocker]:
    """Every reason this quote may not be published now, each with its fix; empty means it may."""
    reasons = []
    if case.status != "approved":
        reasons.append(Blocker(f"not approved (status {case.status})", "approve it",
                               f"plaudit approve {case.quote_id}"))
    if case.source_policy != "publish":
        reasons.append(Blocker(f"source policy is {case.source_policy}, not publish",
                               "the source's terms or settings keep its text off the website; choose another quote"))
    reasons += _authorization_reasons(case, now)
    reasons += _attribution_reasons(case, now)
    coverage = excerpt_coverage(case.review_text, case.excerpt) if case.review_text else None
    reasons += _content_reasons(case, coverage)
    if coverage is not None:
        reasons += _flag_reasons(case, coverage)
    return _unique(reasons)


def _unique(reasons: list[Blocker]) -> list[Blocker]:
    seen: dict[str, Blocker] = {}
    for reason in reasons:
        seen.setdefault(str(reason), reason)
    return list(seen.values())


def _authorization_reasons(case: GateCase, now: str | datetime) -> list[Blocker]:
    record = "record the patient's signed authorization (the reference of the signed document)"
    command = (f"plaudit authorize {case.quote_id} --reference DOC  (or: plaudit approve {case.quote_id} "
               f"--authorization DOC)")
    active = active_authorizations(case.authorizations, now)
    if any(in_scope(a, case.excerpt, case.attribution) for a in active):
        return []
    if active:
        return [Blocker("the authorization on record does not cover this excerpt or this attribution",
                        "use the excerpt and name form the patient authorized, or record a new authorization")]
    unreadable = unreadable_expiries(case.authorizations)
    if unreadable:
        return [Blocker(f"the authorization's expiry on record is not a date ({unreadable[0]!r}), so it counts "
                        f"as expired", record + " with a valid expiry date", command + " with --expires DATE")]
    if case.authorizations:
        return [Blocker("the patient's authorization was revoked or has expired",
                        "a new signed authorization from the patient: " + record, command)]
    if case.source_kind in FORM_KINDS:
        return [Blocker("no consent recorded on the form entry and no signed authorization", record, command)]
    return [Blocker(f"no authorization on record for a quote from {case.source_label}: a review from a public "
                    f"listing needs a signed authorization reference", record, command)]


def _attribution_reasons(case: GateCase, now: str | datetime) -> list[Blocker]:
    name = case.attribution.strip()
    if not name:
        return [Blocker("no attribution", f'choose one, e.g. "{FALLBACK_ATTRIBUTION}"',
                        f'plaudit approve {case.quote_id} --attribution "{FALLBACK_ATTRIBUTION}"')]
    details = sorted({d["detail"] for d in find_patient_details(name) if d["detail"] in ATTRIBUTION_DETAILS})
    reasons = [Blocker(f"the attribution contains {DETAIL_WORDS.get(d, d)}",
                       f"attribute with a name form only, e.g. \"{_short_form(case)}\"") for d in details]
    if not details and not _name_authorized(case, name, now):
        reasons.append(Blocker(
            f"the attribution {name!r} is not a form of the name the patient gave",
            f"use \"{_short_form(case)}\" or \"{FALLBACK_ATTRIBUTION}\", or record a signed authorization "
            f"whose scope names this form",
            f"plaudit authorize {case.quote_id} --reference DOC --scope-attribution \"{name}\""))
    return reasons


def _name_authorized(case: GateCase, name: str, now: str | datetime) -> bool:
    active = active_authorizations(case.authorizations, now)
    if any(a.get("scope_attribution") == name for a in active):
        return True
    full = case.consent_covers_full_name or any(a.get("kind") == "signed" for a in active)
    return attribution_allowed(name, case.author, full_name=full)


def _short_form(case: GateCase) -> str:
    return attribution(case.author)


def _content_reasons(case: GateCase, coverage) -> list[Blocker]:
    reasons = []
    if case.review_deleted:
        reasons.append(Blocker("the review was removed at its source", "choose another quote; this one stays off"))
    if case.review_text is None:
        reasons.append(Blocker("the review text was purged under the source's retention limit",
                               "choose another quote; the text is gone"))
    elif coverage is None:
        reasons.append(Blocker("the excerpt is not a deletion-only excerpt of the current review text",
                               "edit the excerpt so it only leaves words out (mark gaps with …)"))
    return reasons


def _touches(flag: dict[str, Any], coverage: list[tuple[int, int]]) -> bool:
    """Whether a flag applies to the excerpt: a flag without spans applies to the whole review."""
    spans = flag.get("spans") or []
    return not spans or any(s < ce and cs < e for s, e in spans for cs, ce in coverage)


def _flag_reasons(case: GateCase, coverage: list[tuple[int, int]]) -> list[Blocker]:
    reasons = []
    leave_out = "edit the excerpt to leave that part out"
    for flag in case.flags:
        name, detail = flag["name"], flag.get("detail", "")
        if name == "spam" and detail == "link" and flag.get("spans"):
            if _touches(flag, coverage):  # a link may sit in the review, never in the quote
                reasons.append(Blocker("the excerpt contains a link", leave_out))
        elif name in NEVER_PUBLISHED:
            reasons.append(Blocker(f"flagged {name} ({detail}): never published",
                                   "nothing: such reviews are shown to staff but never published"))
        elif name == "patient_detail" and flag.get("spans") and _touches(flag, coverage):
            reasons.append(Blocker(f"the excerpt contains {DETAIL_WORDS.get(detail, 'a patient detail')}",
                                   leave_out))
        elif name in OUTSIDE_EXCERPT and flag.get("spans") and _touches(flag, coverage):
            reasons.append(Blocker(f"the excerpt contains a flagged {name.replace('_', ' ')} ({detail})", leave_out))
        elif name == "health_claim" and _touches(flag, coverage):
            reasons += _claim_reason(case, detail)
        elif name in NEEDS_DISCLOSURE and not case.disclosure.strip():
            reasons.append(Blocker(f"an {name} review needs a disclosure shown with the quote",
                                   'add one, e.g. "Staff member"',
                                   f'plaudit approve {case.quote_id} --disclosure "Staff member"'))
    return sorted(_unique(reasons))


def _claim_reason(case: GateCase, kind: str) -> list[Blocker]:
    if kind in case.blocked_claims:
        return [Blocker(f"the excerpt makes a {kind} claim, which is blocked",
                        "edit the excerpt to leave the claim out (the practice could not substantiate it)")]
    if not case.clinician_approved:
        return [Blocker(f"the excerpt makes a health-outcome claim ({kind}) that needs a clinician's sign-off",
                        "a clinician signs it off", f"plaudit clinician-approve {case.quote_id}")]
    return []
