"""Publishing: approved quotes that pass the gate, plus an honest summary of all reviews, into the public store.

Rebuilt in full on every publish (it is small), from an explicit list of public fields; then the static export
is written from the same rows. Counts and averages come from every collected review, never from the curated
set (FTC 16 CFR 465: selected testimonials must not pose as all reviews).
"""

from __future__ import annotations

import logging
from typing import Any

import sqlite_utils

from pipeline.publish.export import safe_url, write_export
from pipeline.publish.gate import GateCase, publish_blockers
from pipeline.settings import Settings
from pipeline.text import stable_id
from storage import quotes as quote_store
from storage import reviews as review_store
from storage.db import utc_now, write_transaction
from storage.public import write_public_store
from storage.state import source_states

log = logging.getLogger(__name__)


def gate_case(quote: dict[str, Any], settings: Settings, authorizations: list[dict[str, Any]]) -> GateCase:
    """The gate's view of a stored quote joined with its review."""
    known = {s.name: s for s in settings.sources}
    source = known.get(quote["source"])
    return GateCase(
        status=quote["status"], excerpt=quote.get("excerpt") or "", attribution=quote.get("attribution") or "",
        review_text=quote.get("text"), review_deleted=bool(quote.get("deleted_at")),
        source_kind=source.kind if source else "unknown",
        source_policy=source.policy if source else "ignore (source no longer configured)",
        authorizations=tuple(authorizations), flags=tuple(quote.get("flags") or ()),
        clinician_approved=bool(quote.get("clinician_approved_by")), disclosure=quote.get("disclosure") or "",
        blocked_claims=frozenset(settings.blocked_claims), author=quote.get("author"),
        consent_covers_full_name=bool(source and source.consent_covers_full_name),
        source_label=source.label if source else quote["source"], quote_id=quote.get("id", "ID"))


def publishable_quotes(db: sqlite_utils.Database, settings: Settings, now: str) -> tuple[list[dict], dict[int, list]]:
    """Approved quotes that pass the gate now, and the reasons for each approved quote held back."""
    approved = quote_store.quotes_with_reviews(db, ("approved",))
    auths = quote_store.authorizations_for(db, [q["review_id"] for q in approved])
    passing, held = [], {}
    for quote in approved:
        reasons = publish_blockers(gate_case(quote, settings, auths[quote["review_id"]]), now)
        if reasons:
            held[quote["id"]] = reasons
        else:
            passing.append(quote)
    return passing, held


def testimonial_row(quote: dict[str, Any], settings: Settings, position: int, now: str) -> dict[str, Any]:
    """The public fields of one quote; nothing else about the review or the patient."""
    source = settings.source(quote["source"])
    return {
        "id": "t_" + stable_id("testimonial", quote["id"])[:16], "excerpt": quote["excerpt"],
        "attribution": quote["attribution"], "rating": quote.get("rating"), "source_label": source.label,
        "source_url": safe_url(source.public_link), "location": quote.get("location") or source.location or None,
        "location_name": settings.location_name(quote.get("location") or source.location) or None,
        "tags": list(quote.get("tags") or []), "disclosure": quote.get("disclosure") or None,
        "published_at": quote.get("published_at") or now,
        "position": position, "provider": quote.get("provider") or None,
        "provider_name": _provider_name(settings, quote.get("provider")),
    }


def in_public_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Testimonials newest published first, ties by id, numbered in that order.

    The order only depends on each testimonial's own fields, so it is the same in every publish and a page
    cursor of the public API (the last item's published_at and id) stays valid when other quotes come or go.
    """
    ordered = sorted(sorted(rows, key=lambda row: row["id"]), key=lambda row: row["published_at"], reverse=True)
    return [{**row, "position": index} for index, row in enumerate(ordered, 1)]


def _provider_name(settings: Settings, provider: str | None) -> str | None:
    """A provider's display name (a provider no longer configured shows by its id)."""
    if not provider:
        return None
    return next((p.name for p in settings.providers if p.id == provider), provider)


def summary_rows(db: sqlite_utils.Database, settings: Settings) -> list[dict[str, Any]]:
    """Counts and average rating of every collected, not-deleted review, per published or summarised source and
    location.

    A review's own location counts only when it is a configured location id (a form's location answer is
    patient-typed text and never reaches the public side); otherwise the review counts under its source's
    location. The listing's own stated figures go with the source's own location.
    """
    known = {loc.id for loc in settings.locations}
    stats: dict[str, dict[str | None, list]] = {}
    for name, location, count, rated, total in review_store.totals(db):
        source_location = next((s.location for s in settings.sources if s.name == name), "") or None
        key = location if location in known else source_location
        bucket = stats.setdefault(name, {}).setdefault(key, [0, 0, 0.0])
        bucket[0], bucket[1], bucket[2] = bucket[0] + count, bucket[1] + rated, bucket[2] + (total or 0.0)
    states = source_states(db)
    rows = []
    for source in settings.sources:
        if source.policy == "ignore":
            continue
        state, own = states.get(source.name, {}), source.location or None
        groups = stats.get(source.name) or {own: [0, 0, 0.0]}
        for location, (count, rated, total) in sorted(groups.items(), key=lambda g: (g[0] != own, g[0] or "")):
            stated = location == own or len(groups) == 1
            rows.append({"source_label": source.label, "source_url": safe_url(source.public_link),
                         "location": location, "location_name": settings.location_name(location) if location else None,
                         "review_count": count, "rated_count": rated,
                         "average_rating": round(total / rated, 2) if rated else None,
                         "stated_count": state.get("stated_count") if stated else None,
                         "stated_rating": state.get("stated_rating") if stated else None})
    return rows


def overall(db: sqlite_utils.Database, settings: Settings) -> dict[str, Any]:
    """Totals over distinct reviews (one per duplicate cluster) from every non-ignored source."""
    names = {s.name for s in settings.sources if s.policy != "ignore"}
    total, rated, rating_sum = map(sum, zip((0, 0, 0.0), *(
        (count, rated, summed) for name, count, rated, summed in review_store.distinct_totals(db) if name in names)))
    return {"total_reviews": total, "rated_reviews": rated,
            "average_rating": round(rating_sum / rated, 2) if rated else None}


def publish(db: sqlite_utils.Database, settings: Settings, trigger: str = "run") -> dict[str, Any]:
    """Rebuild the public store and the static export; returns counts (published, held back)."""
    now = utc_now()
    with write_transaction(db):
        passing, held = publishable_quotes(db, settings, now)
        quote_store.mark_published(db, [q["id"] for q in passing], now)
        quote_store.record_public_state(db, [q["id"] for q in passing], {
            qid: [{"reason": str(r), "fix": getattr(r, "fix", ""), "command": getattr(r, "command", "")}
                  for r in reasons] for qid, reasons in held.items()})
        passing = [{**q, "published_at": q.get("published_at") or now} for q in passing]
    testimonials = in_public_order([testimonial_row(q, settings, 0, now) for q in passing])
    summary = summary_rows(db, settings)
    meta = {"publish_id": stable_id(now, len(testimonials))[:12], "published_at": now,
            "disclosure_label": settings.disclosure_label, "practice_name": settings.practice_name,
            "testimonial_count": len(testimonials), **overall(db, settings)}
    write_public_store(settings.public_db, testimonials, summary, meta)
    write_export(settings.export_dir, testimonials, summary, meta)
    log.info("published %d testimonials (%d approved held back) [%s]", len(testimonials), len(held), trigger)
    return {"published": len(testimonials), "held_back": len(held)}
