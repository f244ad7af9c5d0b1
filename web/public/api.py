"""The JSON API's rules: which parameters it takes, how it filters and pages, and what each answer holds.

Testimonials come in the public store's order (newest published first, ties by id). A page's `next_cursor`
names the last item's published time and id, so the next page starts right after it even when a publish
in between added or removed other quotes. Bad parameters are refused with a message naming the parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from typing import Any

from pipeline.publish.export import full_review_links
from web.public.snapshot import Snapshot

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_VALUE_CHARS = 200
TESTIMONIAL_PARAMS = ("location", "provider", "tag", "min_rating", "limit", "cursor")
SUMMARY_PARAMS = ("location",)
SUMMARY_NOTE = "Counts and averages cover every collected review, not only the selected testimonials."


class BadParameter(ValueError):
    """A query parameter the API cannot use; `parameter` names it."""

    def __init__(self, parameter: str | None, message: str):
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class TestimonialQuery:
    """A checked /v1/testimonials query (also the key of its rendered answer)."""

    location: str | None = None
    provider: str | None = None
    tag: str | None = None
    min_rating: float | None = None
    limit: int = DEFAULT_LIMIT
    after: tuple[str, str] | None = None  # (published_at, id) of the previous page's last item


def single_values(items: list[tuple[str, str]], allowed: tuple[str, ...]) -> dict[str, str]:
    """Query parameters as a dict; unknown, repeated or overlong ones are refused. Empty values count as absent."""
    values: dict[str, str] = {}
    for name, value in items:
        if name not in allowed:
            raise BadParameter(name, f"unknown parameter {name[:40]!r}; this endpoint takes {', '.join(allowed)}")
        if name in values:
            raise BadParameter(name, f"parameter {name!r} was given more than once")
        if len(value) > MAX_VALUE_CHARS:
            raise BadParameter(name, f"parameter {name!r} is longer than {MAX_VALUE_CHARS} characters")
        values[name] = value
    return {name: value for name, value in values.items() if value != ""}


def testimonial_query(items: list[tuple[str, str]]) -> TestimonialQuery:
    """Check /v1/testimonials parameters."""
    values = single_values(items, TESTIMONIAL_PARAMS)
    return TestimonialQuery(location=values.get("location"), provider=values.get("provider"),
                            tag=values["tag"].strip().lower() if "tag" in values else None,
                            min_rating=_rating(values.get("min_rating")), limit=_limit(values.get("limit")),
                            after=decode_cursor(values["cursor"]) if "cursor" in values else None)


def _rating(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadParameter("min_rating", f"min_rating must be a number from 0 to 5, not {raw[:40]!r}") from None
    if not math.isfinite(value) or not 0 <= value <= 5:
        raise BadParameter("min_rating", f"min_rating must be a number from 0 to 5, not {raw[:40]!r}")
    return value


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadParameter("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}, not {raw[:40]!r}")
    return int(raw)


def encode_cursor(item: dict[str, Any]) -> str:
    """The cursor that continues after this item."""
    raw = json.dumps([item["published_at"], item["id"]], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(token: str) -> tuple[str, str]:
    """(published_at, id) from a cursor; BadParameter when it was not made by this API."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        published_at, item_id = json.loads(raw.decode("utf-8"))
        if isinstance(published_at, str) and isinstance(item_id, str):
            return published_at, item_id
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        pass
    raise BadParameter("cursor", "cursor is not one this API gave out; use the next_cursor of a previous page")


def _after(item: dict[str, Any], after: tuple[str, str]) -> bool:
    """Whether an item comes after the cursor in the public order (newest first, ties by id)."""
    published_at, item_id = after
    return item["published_at"] < published_at or (item["published_at"] == published_at and item["id"] > item_id)


def _matches(item: dict[str, Any], query: TestimonialQuery) -> bool:
    return ((query.location is None or item["location"] == query.location)
            and (query.provider is None or item["provider"] == query.provider)
            and (query.tag is None or query.tag in (item["tags"] or []))
            and (query.min_rating is None or (item["rating"] is not None and item["rating"] >= query.min_rating)))


def _head(snapshot: Snapshot) -> dict[str, Any]:
    meta = snapshot.meta
    return {"label": meta.get("disclosure_label"), "practice_name": meta.get("practice_name"),
            "publish_id": meta.get("publish_id"), "published_at": meta.get("published_at"),
            "full_reviews": full_review_links(snapshot.summary)}


def testimonials_page(snapshot: Snapshot, query: TestimonialQuery) -> dict[str, Any]:
    """One page of testimonials matching the query, with the label and the links to all reviews."""
    page, more = [], False
    for item in snapshot.testimonials:
        if (query.after is None or _after(item, query.after)) and _matches(item, query):
            if len(page) == query.limit:
                more = True
                break
            page.append(item)
    return {**_head(snapshot), "testimonials": page,
            "next_cursor": encode_cursor(page[-1]) if more else None}


def summary(snapshot: Snapshot, items: list[tuple[str, str]]) -> dict[str, Any]:
    """Counts and averages of all collected reviews, per source (of one location and practice-wide ones)."""
    location = single_values(items, SUMMARY_PARAMS).get("location")
    meta = snapshot.meta
    rows = [row for row in snapshot.summary if location is None or row["location"] in (None, location)]
    return {**_head(snapshot), "total_reviews": meta.get("total_reviews"), "rated_reviews": meta.get("rated_reviews"),
            "average_rating": meta.get("average_rating"), "note": SUMMARY_NOTE, "sources": rows}


def to_json(data: Any) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def error_body(status: int, message: str, parameter: str | None = None) -> bytes:
    """The JSON body of every error answer."""
    error: dict[str, Any] = {"status": status, "message": message}
    if parameter is not None:
        error["parameter"] = parameter[:40]
    return to_json({"error": error})
