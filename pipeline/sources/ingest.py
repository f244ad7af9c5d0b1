"""From a source's raw reviews to store rows: stable identity, hashes, consent fields.

Identity is the source's own id when it has one; otherwise a hash of what the source displays (author,
rating, the date as displayed, the start of the normalised text), so rereading a page never adds a row.
"""

from __future__ import annotations

from typing import Any

from pipeline.models import RawReview, SourceConfig
from pipeline.text import normalise, stable_id, text_hash

FALLBACK_TEXT_CHARS = 200


def review_id(raw: RawReview) -> str:
    """The stable id of a review within its source."""
    if raw.external_id:
        return stable_id("ext", raw.source, raw.external_id)
    return stable_id("hash", raw.source, normalise(raw.author or ""), raw.rating, raw.published_raw,
                     normalise(raw.text)[:FALLBACK_TEXT_CHARS])


def content_hash(raw: RawReview) -> str:
    """A hash of everything whose change makes a new version of the review."""
    consent = raw.consent
    improvement = (raw.improvement,) if raw.improvement else ()  # hashes of reviews without one stay as they were
    return stable_id(raw.text, raw.rating, raw.author, raw.title, raw.published,
                     consent.given if consent else None, consent.text_version if consent else None, *improvement)


def to_row(raw: RawReview, config: SourceConfig) -> dict[str, Any]:
    """The internal-store row for a raw review."""
    consent = raw.consent
    return {
        "id": review_id(raw), "source": raw.source, "external_id": raw.external_id,
        "location": raw.location or config.location or None, "author": raw.author, "email": raw.email, "phone": raw.phone,
        "rating": raw.rating, "title": raw.title, "text": raw.text, "text_hash": text_hash(raw.text),
        "content_hash": content_hash(raw), "url": raw.url, "published": raw.published,
        "published_raw": raw.published_raw, "is_excerpt": int(raw.is_excerpt),
        "consent_given": None if consent is None or consent.given is None else int(consent.given),
        "consent_version": consent.text_version if consent else None,
        "consent_at": consent.at if consent else None, "consent_text": consent.text if consent else None,
        "improvement": raw.improvement,
    }
