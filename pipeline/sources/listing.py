"""Listing-page sources: fetch a listing's pages through the polite client and extract its reviews.

Driven by a source's `url` (the first page), `kind` ("schema_org" → `StructuredListingSource`, "selectors" →
`SelectorListingSource`), `selectors`, `rating_scale`, `next_selector` and `max_pages` (else the global
`max_pages` setting, passed in by `build_source`).

Pagination follows `next_selector` when set (CSS, `@attr` to read another attribute than `href`), else
`<link rel="next">` or `<a rel="next">`; links are resolved against the page (and its `<base href>`), a URL is
never fetched twice and at most `max_pages` pages are read. The cursor keeps, per page, its validators, its
next link and the ids of its reviews (`cursor["pages"]`), so every page is asked for conditionally next run: a
304 on one page says its reviews are unchanged (`Batch.unchanged_ids`) and the walk goes on to the next page.

A batch is `complete` only when every page was read or known unchanged, because the pipeline infers deletions
from complete batches: a page that fails, a page without reviews, or a next link left unread at `max_pages`
all make it incomplete and say why in `skipped`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin

import lxml.html
from bs4 import BeautifulSoup

from pipeline.errors import FetchError, ParseError, SourceUnavailable
from pipeline.models import Batch, RawReview, Skipped, SourceConfig
from pipeline.sources import selectors as selector_extraction
from pipeline.sources import structured
from pipeline.sources.base import Fetcher
from pipeline.sources.ingest import review_id
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
        """Walk the listing from its first page, each page conditionally; SourceUnavailable if page 1 fails."""
        known = cursor.get("pages") or {}
        kept = {k: v for k, v in cursor.items() if k not in ("pages", "validators")}
        batch = Batch(cursor={**kept, "pages": {}})
        self._walk(client, known, batch)
        if not batch.complete:  # pages this run did not reach keep what was known of them
            batch.cursor["pages"] = {**{k: v for k, v in known.items() if k not in batch.cursor["pages"]},
                                     **batch.cursor["pages"]}
        return batch

    def _walk(self, client: Fetcher, known: dict[str, Any], batch: Batch) -> None:
        url: str | None = self.config.url
        seen_urls: set[str] = set()
        seen_reviews: set[tuple[Any, ...]] = set()
        while url is not None and _key(url) not in seen_urls:
            if batch.pages >= self.max_pages:
                self._stop(batch, url, f"not read: max_pages ({self.max_pages}) reached")
                return
            seen_urls.add(_key(url))
            state = _usable(known.get(_key(url)))
            result = self._fetch(client, url, state, batch)
            if result is None or (_key(result.url) in seen_urls - {_key(url)}):
                return  # a failure (reported) or a redirect back to a page already read: the end
            seen_urls.add(_key(result.url))
            if result.not_modified:
                url = self._unchanged_page(url, state, batch)
            else:
                url = self._add_page(url, result, batch, seen_reviews)
            if not batch.complete:
                return

    def _unchanged_page(self, url: str, state: dict[str, Any], batch: Batch) -> str | None:
        """A page that answered 304: its reviews are known unchanged, its next link as it was."""
        batch.pages += 1
        batch.unchanged_ids.extend(state["ids"])
        batch.cursor["pages"][_key(url)] = state
        return state["next"]

    def _add_page(self, url: str, result: Any, batch: Batch, seen_reviews: set[tuple[Any, ...]]) -> str | None:
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
            return None
        batch.cursor["pages"][_key(url)] = {"validators": dict(result.validators or {}), "next": next_url,
                                            "ids": [review_id(r) for r in page.reviews]}
        return next_url

    def _fetch(self, client: Fetcher, url: str, state: dict[str, Any] | None, batch: Batch) -> Any | None:
        """One page, conditionally when its last state is known; None (reported) when a later page fails."""
        first = batch.pages == 0 and url == self.config.url
        validators = state["validators"] if state else None
        try:
            result = client.get(url, validators=validators or None, accept=ACCEPT_HTML)
        except FetchError as exc:
            if first:
                raise SourceUnavailable(self.config.name, f"{url}: {exc.reason}") from exc
            self._stop(batch, url, exc.reason)
            return None
        if result.not_modified and state is None:
            reason = "HTTP 304 to an unconditional request"
        elif not result.not_modified and result.status >= 400:
            reason = f"HTTP {result.status}"
        else:
            return result
        if first:
            raise SourceUnavailable(self.config.name, f"{url}: {reason}")
        self._stop(batch, url, reason)
        return None

    def _stop(self, batch: Batch, where: str, reason: str) -> None:
        batch.skipped.append(Skipped(where, reason))
        batch.complete = False


def _usable(state: Any) -> dict[str, Any] | None:
    """A page's saved state when it is whole (validators, next link, review ids); else None: fetch it afresh."""
    if isinstance(state, dict) and state.get("validators") and "next" in state and isinstance(state.get("ids"), list):
        return state
    return None


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
