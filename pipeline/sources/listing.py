"""Listing-page sources: fetch a listing's pages through the polite client and extract its reviews.

Driven by a source's `url` (the first page), `kind` ("schema_org" → `StructuredListingSource`, "selectors" →
`SelectorListingSource`), `selectors`, `rating_scale`, `next_selector` and `max_pages` (else the global
`max_pages` setting, passed in by `build_source`).

Pagination follows `next_selector` when set (CSS, `@attr` to read another attribute than `href`), else
`<link rel="next">` or `<a rel="next">`; links are resolved against the page (and its `<base href>`), a URL is
never fetched twice and at most `max_pages` pages are read. The cursor keeps the first page's validators
(`cursor["validators"]`) for a conditional request next run; a 304 returns an empty, incomplete batch.

A batch is `complete` only when the whole listing was read without trouble, because the pipeline infers
deletions from complete batches: a later page that fails, a page without reviews after a first page with
some, or a next link left unread at `max_pages` all make it incomplete and say why in `skipped`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin

import lxml.html
from bs4 import BeautifulSoup

from pipeline.errors import FetchError, ParseError, SourceUnavailable
from pipeline.models import Batch, RawReview, Skipped
from pipeline.settings import SourceConfig
from pipeline.sources import selectors as selector_extraction
from pipeline.sources import structured
from pipeline.sources.base import Fetcher
from pipeline.sources.structured import PageExtract

ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
NO_REVIEWS = "no reviews found (layout changed?)"


class _ListingSource:
    """Shared page walk; subclasses say how one fetched page becomes reviews and a next link."""

    def __init__(self, config: SourceConfig, max_pages: int = 20):
        self.config = config
        self.max_pages = max(1, max_pages)

    def read_page(self, body: bytes, url: str, encoding: str | None) -> tuple[PageExtract, str | None]:
        """Reviews of one page and the absolute URL of the next page (None at the end)."""
        raise NotImplementedError

    def collect(self, client: Fetcher, cursor: dict[str, Any]) -> Batch:
        """Read the listing from its first page; raise SourceUnavailable when the first page cannot be read."""
        first = self._fetch_first(client, cursor.get("validators") or None)
        if first.not_modified:
            return Batch(cursor=dict(cursor), complete=False)
        batch = Batch(cursor={**cursor, "validators": dict(first.validators or {})})
        self._walk(client, first, batch)
        return batch

    def _fetch_first(self, client: Fetcher, validators: dict[str, str] | None) -> Any:
        try:
            result = client.get(self.config.url, validators=validators, accept=ACCEPT_HTML)
        except FetchError as exc:
            raise SourceUnavailable(self.config.name, f"{self.config.url}: {exc.reason}") from exc
        if not result.not_modified and result.status >= 400:
            raise SourceUnavailable(self.config.name, f"{self.config.url}: HTTP {result.status}")
        return result

    def _walk(self, client: Fetcher, result: Any, batch: Batch) -> None:
        seen_urls = {_key(self.config.url), _key(result.url)}
        seen_reviews: set[tuple[Any, ...]] = set()
        while True:
            next_url = self._add_page(result, batch, seen_reviews)
            if not batch.complete or next_url is None or _key(next_url) in seen_urls:
                return
            if batch.pages >= self.max_pages:
                self._stop(batch, next_url, f"not read: max_pages ({self.max_pages}) reached", keep_validators=True)
                return
            seen_urls.add(_key(next_url))
            result = self._fetch_later(client, next_url, batch)
            if result is None or _key(result.url) in seen_urls - {_key(next_url)}:
                return  # a failure (reported) or a redirect back to a page already read: the end
            seen_urls.add(_key(result.url))

    def _add_page(self, result: Any, batch: Batch, seen_reviews: set[tuple[Any, ...]]) -> str | None:
        batch.pages += 1
        try:
            page, next_url = self.read_page(result.body, result.url, result.encoding)
        except ParseError as exc:
            self._stop(batch, result.url, exc.reason)
            return None
        batch.skipped.extend(page.skipped)
        batch.aggregate = batch.aggregate or page.aggregate
        batch.reviews.extend(r for r in page.reviews if _first_sighting(r, seen_reviews))
        if page.found == 0:
            self._stop(batch, result.url, NO_REVIEWS)
        return next_url

    def _fetch_later(self, client: Fetcher, url: str, batch: Batch) -> Any | None:
        try:
            result = client.get(url, accept=ACCEPT_HTML)
        except FetchError as exc:
            self._stop(batch, url, exc.reason)
            return None
        if result.not_modified or result.status >= 400:
            self._stop(batch, url, f"HTTP {result.status}")
            return None
        return result

    def _stop(self, batch: Batch, where: str, reason: str, keep_validators: bool = False) -> None:
        batch.skipped.append(Skipped(where, reason))
        batch.complete = False
        if not keep_validators:
            # A 304 next run would hide the pages this run failed to read, so the next run must refetch.
            batch.cursor.pop("validators", None)


class StructuredListingSource(_ListingSource):
    """A listing whose reviews are schema.org Review markup (JSON-LD or microdata)."""

    def read_page(self, body: bytes, url: str, encoding: str | None) -> tuple[PageExtract, str | None]:
        """Reviews of one page and the next page's URL; the page is parsed once, by lxml."""
        doc = structured.parse_document(body, encoding)
        page = structured.extract_page(doc, url, self.config.name, self.config.rating_scale)
        if self.config.next_selector:  # CSS needs BeautifulSoup: a second parse, only when configured
            return page, next_link_soup(selector_extraction.parse_soup(body, encoding), url, self.config.next_selector)
        return page, next_link_lxml(doc, url)


class SelectorListingSource(_ListingSource):
    """A listing read by the configured CSS selectors (the practice's own testimonial page, directories)."""

    def __init__(self, config: SourceConfig, max_pages: int = 20):
        super().__init__(config, max_pages)
        self.spec = selector_extraction.compile_selectors(config.selectors, config.name)

    def read_page(self, body: bytes, url: str, encoding: str | None) -> tuple[PageExtract, str | None]:
        """Reviews of one page and the next page's URL."""
        soup = selector_extraction.parse_soup(body, encoding)
        page = selector_extraction.extract_page(soup, url, self.spec, self.config.name, self.config.rating_scale)
        return page, next_link_soup(soup, url, self.config.next_selector)


def next_link_soup(soup: BeautifulSoup, page_url: str, next_selector: str = "") -> str | None:
    """The next page's absolute URL from `next_selector` or a rel="next" link/anchor; None if there is none."""
    if next_selector:
        css, attribute = selector_extraction.split_attribute(next_selector)
        element = soup.select_one(css)
        href = element.get(attribute or "href") if element is not None else None
    else:
        element = soup.select_one("link[rel~=next i][href], a[rel~=next i][href]")
        href = element.get("href") if element is not None else None
    base = soup.find("base", href=True)
    return _absolute(href if isinstance(href, str) else None, page_url, base.get("href") if base else None)


def next_link_lxml(doc: lxml.html.HtmlElement, page_url: str) -> str | None:
    """The next page's absolute URL from a rel="next" link or anchor in an lxml tree."""
    for element in doc.iter("link", "a"):
        if "next" in (element.get("rel") or "").lower().split() and element.get("href"):
            bases = doc.xpath("//base/@href")
            return _absolute(element.get("href"), page_url, bases[0] if bases else None)
    return None


def _absolute(href: str | None, page_url: str, base_href: str | None) -> str | None:
    if not href or not href.strip():
        return None
    base = urljoin(page_url, base_href.strip()) if base_href else page_url
    url = urljoin(base, href.strip())
    return url if url.startswith(("http://", "https://")) else None


def _key(url: str) -> str:
    return urldefrag(url)[0]


def _first_sighting(review: RawReview, seen: set[tuple[Any, ...]]) -> bool:
    # A review can appear twice in one run: in JSON-LD and microdata, or on two pages when the listing
    # shifted while we read it. One copy per batch keeps the upsert simple.
    key = ("id", review.external_id) if review.external_id else (review.text, review.author, review.published_raw)
    if key in seen:
        return False
    seen.add(key)
    return True
