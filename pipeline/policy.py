"""The publish gate: one pure function that says whether a quote may be published, with every reason it may not.

Called for every quote on every publish, so a quote whose authorization lapsed, whose review changed or
disappeared, or whose source policy changed leaves the public store at the next publish without anyone acting.
See COMPLIANCE.md: a testimonial needs the patient's authorization (HIPAA marketing), excerpts may only delete
text (FTC endorsement guides), and each source's terms decide whether its text may be shown at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.quotes import flagged_spans, is_deletion

BLOCKING_FLAGS = frozenset({"crisis"})  # never published, whatever a person decides
SPAN_FLAGS = frozenset({"contact_details"})  # may be in the review, never inside the excerpt


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


def active_authorizations(authorizations, now: str) -> list[dict[str, Any]]:
    """Authorizations neither revoked nor expired at `now` (ISO strings compare in time order)."""
    return [a for a in authorizations
            if not a.get("revoked_at") and (not a.get("expires_at") or a["expires_at"] > now)]


def publish_blockers(case: GateCase, now: str) -> list[str]:
    """Every reason this quote may not be published now; empty means it may."""
    reasons = []
    if case.status != "approved":
        reasons.append(f"not approved (status {case.status})")
    if case.source_policy != "publish":
        reasons.append(f"source policy is {case.source_policy}, not publish")
    reasons += _authorization_reasons(case, now)
    reasons += _content_reasons(case)
    return reasons


def _authorization_reasons(case: GateCase, now: str) -> list[str]:
    active = active_authorizations(case.authorizations, now)
    if active:
        return []
    if case.authorizations:
        return ["the patient's authorization was revoked or has expired"]
    if case.source_kind == "csv":
        return ["no consent recorded on the form entry and no signed authorization"]
    return ["a review from a public listing needs a signed authorization reference"]


def _content_reasons(case: GateCase) -> list[str]:
    reasons = []
    if case.review_deleted:
        reasons.append("the review was removed at its source")
    if case.review_text is None:
        reasons.append("the review text was purged under the source's retention limit")
    elif not case.excerpt.strip() or not is_deletion(case.review_text, case.excerpt):
        reasons.append("the excerpt is not a deletion-only excerpt of the current review text")
    if not case.attribution.strip():
        reasons.append("no attribution")
    names = {f["name"] for f in case.flags}
    reasons += [f"flagged {name}: never published" for name in sorted(names & BLOCKING_FLAGS)]
    if case.review_text and _excerpt_covers_flagged_span(case):
        reasons.append("the excerpt contains flagged patient details")
    return reasons


def _excerpt_covers_flagged_span(case: GateCase) -> bool:
    text = case.review_text or ""
    excerpt = " ".join(case.excerpt.split())
    span_flags = [f for f in case.flags if f["name"] in SPAN_FLAGS]
    return any(" ".join(text[s:e].split()) in excerpt for s, e in flagged_spans(span_flags))
