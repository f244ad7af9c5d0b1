"""Plain records passed between stages. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.text import too_long


def flag(name: str, detail: str, spans: list[tuple[int, int]] | None = None) -> dict[str, Any]:
    """A flag record: name, detail, and (start, end) character spans into the review text."""
    return {"name": name, "detail": detail, "spans": [list(s) for s in spans or []]}


@dataclass(frozen=True, slots=True)
class Consent:
    """What a patient agreed to on a form: whether, which consent text version, and when."""

    given: bool | None  # None: the form had no consent field (never read as "no")
    text_version: str | None = None
    at: str | None = None  # ISO 8601 time of the submission that carried the consent
    text: str | None = None  # the wording shown, when the form tool records it


@dataclass(frozen=True, slots=True)
class RawReview:
    """One review as a source delivered it, cleaned to plain text but not yet scored."""

    source: str
    external_id: str | None  # the source's own id; None means identity falls back to a content hash
    text: str
    rating: float | None = None  # normalised to the 1–5 scale
    author: str | None = None  # display name as the source shows it
    published: str | None = None  # ISO date (YYYY-MM-DD) when it could be parsed
    published_raw: str | None = None  # the date exactly as displayed, for identity
    title: str | None = None
    url: str | None = None
    email: str | None = None  # patient contact details: internal store only, never published
    phone: str | None = None
    consent: Consent | None = None
    is_excerpt: bool = False  # the source shows only part of the review
    location: str | None = None  # a location id the entry names; else the source's configured location
    improvement: str | None = None  # the answer to "what could we do better?": for staff, never quoted


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something a source could not use, with where it was and why, for the run report."""

    where: str  # "row 17", "https://example.org/reviews?page=2", "review 3 on page 1"
    reason: str
    expected: bool = False  # a normal skip (an empty form answer, a rating-only review): reported, not a fault


def unusable(review: RawReview, where: str) -> Skipped | None:
    """Why a read review cannot be kept: no text (a normal, rating-only review) or text over the limit."""
    if not review.text:
        return Skipped(where, "review has no text", expected=True)
    reason = too_long(review.text)
    return Skipped(where, reason) if reason else None


@dataclass(frozen=True, slots=True)
class AggregateRating:
    """A listing's own stated rating summary (schema.org AggregateRating)."""

    rating: float | None  # normalised to the 1–5 scale
    count: int | None


@dataclass(slots=True)
class Batch:
    """One chunk of a source's sweep (a page, a file part), or a whole sweep when gathered.

    Sources yield chunks; the collect step stores each in its own transaction with its `cursor`, so an
    interrupted sweep resumes after the last stored chunk. `complete` on the last chunk says the sweep saw the
    whole listing, which is what lets the store count a miss for the reviews it did not see.
    """

    reviews: list[RawReview] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    cursor: dict[str, Any] = field(default_factory=dict)
    complete: bool = True  # the whole listing was seen, so absent reviews may count as missing
    aggregate: AggregateRating | None = None
    pages: int = 0  # pages or files read
    unchanged_ids: list[str] = field(default_factory=list)  # stored reviews on pages that answered 304
    notes: list[Skipped] = field(default_factory=list)  # kept, but worth saying (a row read as Windows-1252)
    last: bool = True  # the final chunk of a sweep; earlier chunks carry a cursor that resumes after them
    health: dict[str, list[int]] = field(default_factory=dict)  # selector -> [matched, tried] (listings)


POLICIES = ("publish", "summary_only", "ignore")
API_KINDS = ("google_business_profile", "trustpilot", "yelp")
SOURCE_KINDS = ("csv", "schema_org", "selectors", "inbox", *API_KINDS)
FORM_KINDS = ("csv", "inbox")  # the practice's own forms: consent given on them is an authorization
# What a source of each kind defaults to when its table does not say, following the platform's terms
# (README "Sources"): Yelp's API gives excerpts that may be cached 24 hours and not edited; Trustpilot's
# marketing use depends on the practice's plan, so it is counts and link until counsel says otherwise.
KIND_DEFAULTS: dict[str, dict[str, Any]] = {
    "yelp": {"policy": "summary_only", "retention_hours": 24.0},
    "trustpilot": {"policy": "summary_only"},
}
KIND_LISTING_URLS = {"yelp": "https://www.yelp.com/biz/{resource}"}  # the public page, when not configured
SECRET_KEYS = ("api_key", "client_id", "client_secret", "refresh_token")


class Secret:
    """A credential from plaudit.toml or the environment; its repr and str never show the value."""

    __slots__ = ("_value", "origin")

    def __init__(self, value: str, origin: str):
        self._value = value
        self.origin = origin  # where it came from, e.g. "$PLAUDIT_SOURCE_GBP_REFRESH_TOKEN"

    def reveal(self) -> str:
        """The value, for the one request that needs it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret(hidden, from {self.origin})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class SourceConfig:
    """One configured source: what to read, how, and what its terms allow us to publish."""

    name: str
    kind: str  # one of SOURCE_KINDS
    label: str = ""  # shown publicly, e.g. "Google" or "Our website"
    url: str = ""  # first page to fetch (listings)
    path: str = ""  # file or glob (csv)
    listing_url: str = ""  # public link to the full, unfiltered reviews; default url
    policy: str = "publish"
    location: str = ""
    retention_hours: float = 0.0  # 0: keep text; else purge text this long after collection
    rating_scale: float = 5.0  # the source's best rating, normalised to 5
    preset: str = "generic"  # csv column preset
    columns: dict[str, Any] = field(default_factory=dict)  # csv: canonical field -> column name(s)
    consent_version: str = ""  # csv: version of the consent text the form showed
    consent_covers_full_name: bool = False  # csv: the consent text lets the practice show the full name
    selectors: dict[str, str] = field(default_factory=dict)  # selectors: item, text, author, rating, date, id
    next_selector: str = ""  # a link to the next page, when the page has no rel=next
    max_pages: int = 0  # 0: the global max_pages
    encoding: str = ""  # csv: force a text encoding
    newest_first: bool = False  # listings: pages list the newest reviews first, so a nightly sweep may stop early
    resource: str = ""  # review APIs: the listing's id (GBP "accounts/1/locations/2", a business unit, a business)
    api_base: str = ""  # review APIs: base URL (default: the vendor's); tests point it at 127.0.0.1
    token_url: str = ""  # Google Business Profile: OAuth token endpoint (default Google's)
    auth: dict[str, Secret] = field(default_factory=dict, repr=False)  # API credentials, resolved at load

    @property
    def public_link(self) -> str:
        """The link to the full listing shown beside published quotes."""
        return self.listing_url or self.url


@dataclass(frozen=True)
class Location:
    """A practice location, referenced by sources and shown with quotes."""

    id: str
    name: str


@dataclass(frozen=True)
class Provider:
    """A clinician quotes can be about (`[[providers]]`), optionally at one location; the API filters by id."""

    id: str
    name: str
    location: str = ""
