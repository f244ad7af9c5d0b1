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
from typing import Any

from pipeline.judge.detectors.risk import BLOCKED_CLAIMS
from pipeline.publish.quotes import FALLBACK_ATTRIBUTION, excerpt_coverage, is_deletion

NEVER_PUBLISHED = frozenset({"crisis", "spam", "suspicious"})
OUTSIDE_EXCERPT = frozenset({"patient_detail", "profanity"})
NEEDS_DISCLOSURE = frozenset({"insider", "incentivized"})
DEFAULT_BLOCKED_CLAIMS = BLOCKED_CLAIMS


@dataclass(frozen=True)
class GateCase:
    """Everything the gate needs about one quote, as plain values."""

    status: str
    excerpt: str
    attribution: str
    review_text: str | None  # None once retention purged it
    review_deleted: bool
    source_kind: str  # "csv" (the practice's own forms) or a public listing kind
    source_policy: str  # publish / summary_only / ignore
    authorizations: tuple[dict[str, Any], ...] = ()
    flags: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    clinician_approved: bool = False
    disclosure: str = ""
    blocked_claims: frozenset[str] = DEFAULT_BLOCKED_CLAIMS


def active_authorizations(authorizations, now: str) -> list[dict[str, Any]]:
    """Authorizations neither revoked nor expired at `now` (ISO strings compare in time order)."""
    return [a for a in authorizations
            if not a.get("revoked_at") and (not a.get("expires_at") or a["expires_at"] > now)]


def in_scope(authorization: dict[str, Any], excerpt: str, attribution: str) -> bool:
    """Whether an authorization covers this excerpt and this name form (unset scope covers any)."""
    name = authorization.get("scope_attribution")
    if name and attribution not in (name, FALLBACK_ATTRIBUTION):
        return False
    text = authorization.get("scope_excerpt")
    return not text or is_deletion(text, excerpt)


def publish_blockers(case: GateCase, now: str) -> list[str]:
    """Every reason this quote may not be published now; empty means it may."""
    reasons = []
    if case.status != "approved":
        reasons.append(f"not approved (status {case.status})")
    if case.source_policy != "publish":
        reasons.append(f"source policy is {case.source_policy}, not publish")
    reasons += _authorization_reasons(case, now)
    coverage = excerpt_coverage(case.review_text, case.excerpt) if case.review_text else None
    reasons += _content_reasons(case, coverage)
    if coverage is not None:
        reasons += _flag_reasons(case, coverage)
    return reasons


def _authorization_reasons(case: GateCase, now: str) -> list[str]:
    active = active_authorizations(case.authorizations, now)
    if any(in_scope(a, case.excerpt, case.attribution) for a in active):
        return []
    if active:
        return ["the authorization on record does not cover this excerpt or this attribution"]
    if case.authorizations:
        return ["the patient's authorization was revoked or has expired"]
    if case.source_kind == "csv":
        return ["no consent recorded on the form entry and no signed authorization"]
    return ["a review from a public listing needs a signed authorization reference"]


def _content_reasons(case: GateCase, coverage) -> list[str]:
    reasons = []
    if case.review_deleted:
        reasons.append("the review was removed at its source")
    if case.review_text is None:
        reasons.append("the review text was purged under the source's retention limit")
    elif coverage is None:
        reasons.append("the excerpt is not a deletion-only excerpt of the current review text")
    if not case.attribution.strip():
        reasons.append("no attribution")
    return reasons


def _touches(flag: dict[str, Any], coverage: list[tuple[int, int]]) -> bool:
    """Whether a flag applies to the excerpt: a flag without spans applies to the whole review."""
    spans = flag.get("spans") or []
    return not spans or any(s < ce and cs < e for s, e in spans for cs, ce in coverage)


def _flag_reasons(case: GateCase, coverage: list[tuple[int, int]]) -> list[str]:
    reasons = []
    for flag in case.flags:
        name, detail = flag["name"], flag.get("detail", "")
        if name == "spam" and detail == "link" and flag.get("spans"):
            if _touches(flag, coverage):  # a link may sit in the review, never in the quote
                reasons.append("the excerpt contains a link")
        elif name in NEVER_PUBLISHED:
            reasons.append(f"flagged {name} ({detail}): never published")
        elif name in OUTSIDE_EXCERPT and flag.get("spans") and _touches(flag, coverage):
            reasons.append(f"the excerpt contains a flagged {name.replace('_', ' ')} ({detail})")
        elif name == "health_claim" and _touches(flag, coverage):
            reasons += _claim_reason(case, detail)
        elif name in NEEDS_DISCLOSURE and not case.disclosure.strip():
            reasons.append(f"an {name} review needs a disclosure shown with the quote")
    return sorted(set(reasons))


def _claim_reason(case: GateCase, kind: str) -> list[str]:
    if kind in case.blocked_claims:
        return [f"the excerpt makes a {kind} claim, which is blocked"]
    if not case.clinician_approved:
        return [f"the excerpt makes a health-outcome claim ({kind}) that needs a clinician's sign-off"]
    return []
