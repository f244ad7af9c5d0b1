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

from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urljoin

import lxml.html
from bs4 import BeautifulSoup

from pipeline.errors import FetchError, LayoutChanged, ParseError, SourceBlocked, SourceUnavailable
from pipeline.models import Batch, RawReview, Skipped, SourceConfig
from pipeline.sources import selectors as selector_extraction
from pipeline.sources import structured, walls
from pipeline.sources.base import ChunkedSource, Fetcher, KnownStreak, SweepContext
from pipeline.sources.ingest import review_id
from pipeline.sources.structured import PageExtract

ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
NO_REVIEWS = "no reviews found (layout changed?)"


class _ListingSource(ChunkedSource):
    """Shared page walk; subclasses say how one fetched page becomes reviews and a next link."""

    def __init__(self, config: SourceConfig, max_pages: int = 20):
        self.config = config
        self.max_pages = max(1, max_pages)

    def read_page(self, body: bytes, url: str, encoding: str | None) -> tuple[PageExtract, str | None]:
        """Reviews of one page and the absolute URL of the next page (None at the end)."""
        raise NotImplementedError

    def sweep(self, client: Fetcher, cursor: dict[str, Any], context: SweepContext) -> Iterator[Batch]:
        """One chunk per page, each page asked for conditionally; a last chunk ends the sweep.

        Raises SourceUnavailable when the run's first page fails, SourceBlocked on a wall, LayoutChanged when
        the listing's first page has no reviews.
        """
        walk = _Walk(self, client, cursor, context)
        yield from walk.pages()
        yield walk.end()


class _Walk:
    """One run of a listing's sweep: where it resumes, what it has read, when it stops."""

    def __init__(self, source: _ListingSource, client: Fetcher, cursor: dict[str, Any], context: SweepContext):
        self.source, self.client, self.config = source, client, source.config
        self.known: dict[str, Any] = cursor.get("pages") or {}
        self.kept = {k: v for k, v in cursor.items() if k not in ("pages", "validators", "resume")}
        resume = cursor.get("resume")
        self.resumed = isinstance(resume, dict)
        self.url: str | None = resume.get("next") if self.resumed else self.config.url
        self.read: list[str] = list(resume.get("read") or []) if self.resumed else []
        self.new_pages: dict[str, Any] = {}
        self.streak = KnownStreak(context) if self.config.newest_first else None
        self.fetched, self.complete, self.paused = 0, True, False
        self.ending: list[Skipped] = []
        self.seen_urls: set[str] = set()
        self.seen_reviews: set[tuple[Any, ...]] = set()

    def pages(self) -> Iterator[Batch]:
        """A chunk for every page read, until the listing ends, fails, stops early or the page budget is spent."""
        while self.url is not None and _key(self.url) not in self.seen_urls:
            if self.fetched >= self.source.max_pages:
                self.paused = True
                self.ending.append(Skipped(self.url, f"not read this run: max_pages ({self.source.max_pages}) "
                                                     "reached; the sweep resumes here next run", expected=True))
                return
            chunk = self._page(self.url)
            if chunk is None:
                return
            yield chunk
            if self.streak and self.streak.enough(chunk.reviews, len(chunk.unchanged_ids)):
                self.complete = False
                self.ending.append(Skipped(self.url or self.config.url, "stopped early: enough known, unchanged "
                                                                        "reviews (newest first)", expected=True))
                self.url = None

    def end(self) -> Batch:
        """The sweep's last chunk for this run: the cursor to keep and whether the whole listing was seen."""
        if self.paused:
            cursor = self._cursor()
            return Batch(skipped=self.ending, cursor=cursor, complete=False, last=False)
        read = set(self.read)
        pages = ({k: v for k, v in {**self.known, **self.new_pages}.items() if k in read} if self.complete
                 else {**self.known, **self.new_pages})  # pages not reached this sweep keep what was known
        return Batch(skipped=self.ending, cursor={**self.kept, "pages": pages}, complete=self.complete, last=True)

    def _cursor(self) -> dict[str, Any]:
        return {**self.kept, "pages": {**self.known, **self.new_pages}, "resume": {"next": self.url, "read": self.read}}

    def _page(self, url: str) -> Batch | None:
        """Fetch and read one page into a chunk; None (the sweep ends incomplete, reported) on a later failure."""
        self.seen_urls.add(_key(url))
        state = _usable(self.known.get(_key(url)))
        result = self._fetch(url, state)
        if result is None or (_key(result.url) in self.seen_urls - {_key(url)}):
            return None  # a failure (reported) or a redirect back to a page already read: the end
        self.seen_urls.add(_key(result.url))
        self.fetched += 1
        chunk = Batch(pages=1, last=False)
        if result.not_modified:
            chunk.unchanged_ids = list(state["ids"])
            page_state, next_url = state, state["next"]
        else:
            next_url = self._read(url, result, chunk)
            if next_url is False:
                return None
            page_state = {"validators": dict(result.validators or {}), "next": next_url,
                          "ids": [review_id(r) for r in chunk.reviews]}
        self.new_pages[_key(url)] = page_state
        self.read.append(_key(url))
        self.url = next_url
        chunk.cursor = self._cursor()
        return chunk

    def _read(self, url: str, result: Any, chunk: Batch) -> str | None | bool:
        """Reviews of a fetched page into the chunk; its next link, or False when the page ends the sweep."""
        try:
            page, next_url = self.source.read_page(result.body, result.url, result.encoding)
        except ParseError as exc:
            self._no_reviews(result, exc.reason)
            return False
        chunk.health = page.health
        if page.found == 0 or page.empty_reason:
            self._no_reviews(result, page.empty_reason or NO_REVIEWS, page.health)
            return False
        chunk.skipped.extend(page.skipped)
        chunk.aggregate = page.aggregate
        chunk.reviews.extend(r for r in page.reviews if _first_sighting(r, self.seen_reviews))
        return next_url

    def _no_reviews(self, result: Any, reason: str, health: dict[str, list[int]] | None = None) -> None:
        """A page without reviews: a wall, a changed layout (first page), or the incomplete end of the walk."""
        wall = walls.recognise(result.url, result.status, result.headers, result.body)
        if wall:
            raise SourceBlocked(self.config.name, wall.kind, f"{result.url}: {wall.describe()}; Plaudit does not "
                                                            "work around it (check the site's terms or use its API)")
        if not self.resumed and not self.read:
            raise LayoutChanged(self.config.name, f"{result.url}: {reason}; the stored reviews are left as they "
                                                  "were (check the page and this source's selectors)", health)
        self._stop(result.url, reason)

    def _fetch(self, url: str, state: dict[str, Any] | None) -> Any | None:
        """One page, conditionally when its last state is known; None (reported) when a later page fails."""
        first = self.fetched == 0
        validators = state["validators"] if state else None
        try:
            result = self.client.get(url, validators=validators or None, accept=ACCEPT_HTML)
        except FetchError as exc:
            wall = walls.recognise(exc.url, exc.status, exc.headers, exc.body) if exc.status else None
            if wall and wall.kind != "rate_limited":
                raise SourceBlocked(self.config.name, wall.kind, f"{url}: HTTP {exc.status}, {wall.describe()}; "
                                                                 "Plaudit does not work around it") from exc
            if first:
                raise SourceUnavailable.from_fetch(self.config.name, url, exc) from exc
            self._stop(url, exc.reason)
            return None
        if result.not_modified and state is None:
            reason = "HTTP 304 to an unconditional request"
        elif not result.not_modified and result.status >= 400:
            reason = f"HTTP {result.status}"
        else:
            return result
        if first:
            raise SourceUnavailable(self.config.name, f"{url}: {reason}")
        self._stop(url, reason)
        return None

    def _stop(self, where: str, reason: str) -> None:
        self.ending.append(Skipped(where, reason))
        self.complete = False


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
        page.health = {"review markup": [int(page.found > 0), 1]}
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
