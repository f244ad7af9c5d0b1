"""What every review API source shares: JSON through the polite client, a paged newest-first sweep, and errors
that say what to do.

Requests go through `PoliteClient.get(..., api=True)`: robots.txt is not consulted (it governs crawlers, not
clients of a documented API), everything else is (address guard, per-host delay, retries honouring
Retry-After, timeouts, size cap). Credentials travel in headers and are never logged; a vendor's error text
is quoted in errors only after every known secret is masked out of it.

The sweep yields one chunk per API page with a cursor that resumes at the next page (`{"resume": {"at": …}}`),
stops early after `stop_after_known` known, unchanged reviews when the vendor lists newest first and the sweep
is not full, pauses at `max_pages` (resuming next run), and is complete only when it walked to the last page
of a source that lists everything (Yelp's three excerpts never are). A resumed page token the vendor no longer
accepts (HTTP 400) restarts the sweep from the first page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import CredentialsRejected, FetchError, SourceUnavailable, fetch_kind
from pipeline.models import AggregateRating, Batch, RawReview, Secret, Skipped, SourceConfig, unusable
from pipeline.sources.base import ChunkedSource, Fetcher, KnownStreak, SweepContext
from pipeline.sources.values import normalise_rating
from pipeline.text import MAX_TEXT_CHARS, clean_text

log = logging.getLogger(__name__)
ACCEPT_JSON = "application/json"


@dataclass
class ApiPage:
    """One API page: its reviews, what was skipped, where the next page is (None: the end), stated totals."""

    reviews: list[RawReview] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    next: Any = None
    aggregate: AggregateRating | None = None

    def add(self, review: RawReview, where: str) -> None:
        """Keep a review with text; a rating-only one is a normal skip, an over-long one a reported one."""
        skip = unusable(review, where)
        if skip:
            self.skipped.append(skip)
        else:
            self.reviews.append(review)


class ApiSource(ChunkedSource):
    """A paged review API; subclasses give the URLs, headers and the reading of one page."""

    complete_at_end = True  # walking to the last page saw every review (False: a sample, never complete)
    default_base = ""

    def __init__(self, config: SourceConfig, max_pages: int = 20):
        self.config = config
        self.max_pages = max(1, max_pages)
        self.base = (config.api_base or self.default_base).rstrip("/")

    # -- what a vendor module provides -------------------------------------------------------------------

    def headers(self, client: Fetcher) -> dict[str, str]:
        """Request headers carrying the credentials (may call the vendor's token endpoint)."""
        raise NotImplementedError

    def page_url(self, at: Any) -> str:
        """The URL of the page at position `at` (None: the first page)."""
        raise NotImplementedError

    def read(self, data: dict[str, Any], at: Any) -> ApiPage:
        """The reviews and the next position in one decoded page."""
        raise NotImplementedError

    def summary(self, client: Fetcher, headers: dict[str, str]) -> AggregateRating | None:
        """The listing's stated rating and count when the vendor gives them apart from the reviews."""
        return None

    # -- the sweep ----------------------------------------------------------------------------------------

    def sweep(self, client: Fetcher, cursor: dict[str, Any], context: SweepContext) -> Iterator[Batch]:
        """One chunk per API page; raises SourceUnavailable (or CredentialsRejected) when a page fails."""
        resume = cursor.get("resume") if isinstance(cursor.get("resume"), dict) else None
        at = resume.get("at") if resume else None
        headers = self.headers(client)
        aggregate = None if resume else self.summary(client, headers)
        streak, pages = KnownStreak(context), 0
        while True:
            if pages >= self.max_pages:
                note = Skipped(self.page_url(at), f"not read this run: max_pages ({self.max_pages}) reached; the "
                                                  "sweep resumes here next run", expected=True)
                yield Batch(skipped=[note], cursor={"resume": {"at": at}}, complete=False, last=False)
                return
            data, at = self._page_data(client, headers, at, resumed=resume is not None and pages == 0)
            page = self.read(data, at)
            pages += 1
            chunk = Batch(reviews=page.reviews, skipped=page.skipped, aggregate=page.aggregate or aggregate,
                          pages=1, cursor={"resume": {"at": page.next}}, last=False)
            aggregate = None
            if page.next is None or streak.enough(page.reviews):
                chunk.last, chunk.cursor = True, {}
                chunk.complete = page.next is None and self.complete_at_end
                if page.next is not None:
                    chunk.skipped.append(Skipped(self.page_url(page.next), "stopped early: enough known, unchanged "
                                                                           "reviews (newest first)", expected=True))
                yield chunk
                return
            yield chunk
            at = page.next

    def _page_data(self, client: Fetcher, headers: dict[str, str], at: Any, resumed: bool) -> tuple[dict, Any]:
        """A page's JSON; a resumed position the vendor refuses (400) restarts from the first page."""
        try:
            return self.get_json(client, self.page_url(at), headers, "reviews"), at
        except SourceUnavailable as exc:
            if not (resumed and getattr(exc.__cause__, "status", None) == 400):
                raise
        log.info("source %s: the saved page position was refused; the sweep restarts at page 1", self.config.name)
        return self.get_json(client, self.page_url(None), headers, "reviews"), None

    # -- requests -----------------------------------------------------------------------------------------

    def get_json(self, client: Fetcher, url: str, headers: dict[str, str], what: str) -> dict[str, Any]:
        """A GET answered with a JSON object; errors become SourceUnavailable / CredentialsRejected."""
        try:
            result = client.get(url, headers=headers, accept=ACCEPT_JSON, api=True)
        except FetchError as exc:
            raise self.failure(what, exc) from exc
        return self.decode(result.body, what)

    def decode(self, body: bytes, what: str) -> dict[str, Any]:
        """A JSON object from a response body, or SourceUnavailable saying the vendor's answer changed."""
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise SourceUnavailable(self.config.name, f"{what}: the API did not answer with a JSON object; has "
                                                      f"its interface changed? (check api_base)")
        return data

    def failure(self, what: str, exc: FetchError) -> SourceUnavailable:
        """The error a failed request amounts to, with the vendor's own reason (secrets masked)."""
        detail = self.mask(vendor_detail(exc.body))
        detail = f" ({detail})" if detail else ""
        if exc.status in (401, 403):
            return CredentialsRejected(self.config.name, f"{what}: HTTP {exc.status}{detail}; check this source's "
                                                         f"credentials and the account's access (README \"Sources\")")
        if exc.status == 429:
            return SourceUnavailable(self.config.name, f"{what}: rate limited (HTTP 429{detail}); tried again next run",
                                     "rate_limited")
        return SourceUnavailable(self.config.name, f"{what}: {exc.reason}{detail}", fetch_kind(exc))

    def secret(self, key: str) -> Secret:
        """A credential, or CredentialsRejected naming where to put it."""
        found = self.config.auth.get(key)
        if found is None or not found.reveal():
            variable = f"PLAUDIT_SOURCE_{''.join(c if c.isalnum() else '_' for c in self.config.name.upper())}_{key.upper()}"
            raise CredentialsRejected(self.config.name, f"no {key}: set ${variable}, or name a variable with "
                                                        f"auth = {{ {key}_env = \"...\" }} in this source's table")
        return found

    def mask(self, text: str) -> str:
        """Text with every credential of this source replaced by ***."""
        for secret in self.config.auth.values():
            if secret.reveal():
                text = text.replace(secret.reveal(), "***")
        return text


def vendor_detail(body: bytes) -> str:
    """A short reason from a vendor's JSON error body ({"error": {"status", "message"}} and the like)."""
    try:
        data = json.loads(body[:20_000] or b"null")
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    error = data.get("error", data)
    if isinstance(error, str):
        parts = [error, data.get("error_description")]
    elif isinstance(error, dict):
        parts = [error.get("status") or error.get("code"), error.get("message") or error.get("description")]
    else:
        parts = []
    return clean_text(": ".join(str(p) for p in parts if p), 200, markup=False)


def review_text(value: Any) -> str:
    """Review text from an API field: plain, bounded, never cut silently (over-long is refused by `ApiPage.add`)."""
    return clean_text(value if isinstance(value, str) else "", MAX_TEXT_CHARS + 1, markup=False)


def number(value: Any) -> float | None:
    """A JSON number (or numeric string) as a float; None for anything else."""
    if isinstance(value, bool):
        return None
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def stated(rating: Any, count: Any, best: float = 5.0) -> AggregateRating | None:
    """A vendor's stated average and review count as an AggregateRating (None when it states neither)."""
    value, total = number(rating), number(count)
    if value is None and total is None:
        return None
    return AggregateRating(normalise_rating(value, best, 1.0), int(total) if total is not None and total >= 0 else None)


def day(value: Any) -> str | None:
    """The YYYY-MM-DD of an API timestamp ("2026-11-02T09:14:03Z", "2026-11-02 09:14:03"), else None."""
    text = value if isinstance(value, str) else ""
    return text[:10] if len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit() else None
