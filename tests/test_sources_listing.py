"""Listing sources: fetching, pagination, cursors and failure reporting (pipeline/sources/listing.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.errors import ConfigError, FetchError, LayoutChanged, SourceUnavailable
from pipeline.settings import SourceConfig
from pipeline.sources import build_source
from pipeline.sources.listing import NO_REVIEWS, SelectorListingSource, StructuredListingSource
from pipeline.text import decode_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "listings"
PAGE_1 = "https://clinic.example/reviews"
PAGE_2 = "https://clinic.example/reviews?page=2"
PAGED = {PAGE_1: (FIXTURES / "paged-1.html").read_bytes(), PAGE_2: (FIXTURES / "paged-2.html").read_bytes()}
REVIEW_SELECTORS = {"item": "div.review", "text": "p.body", "author": "span.by", "rating": "span.score",
                    "date": "span.when", "id": "@id"}


@dataclass
class FakeResult:
    """The attributes of pipeline.net.client.FetchResult that sources use."""

    url: str
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    validators: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        return decode_bytes(self.body, self.encoding)


class FakeFetcher:
    """Serves fixture bytes by URL; an exception or status in `pages` is raised or returned; ETags answer 304."""

    def __init__(self, pages, etags=None, redirects=None):
        self.pages = pages
        self.etags = etags or {}
        self.redirects = redirects or {}
        self.calls: list[tuple[str, dict | None]] = []

    def get(self, url, *, validators=None, accept=None):
        self.calls.append((url, validators))
        final = self.redirects.get(url, url)
        page = self.pages.get(final)
        if page is None:
            raise FetchError(url, "HTTP 404", status=404, transient=False)
        if isinstance(page, Exception):
            raise page
        if isinstance(page, int):
            return FakeResult(final, status=page)
        etag = self.etags.get(final)
        if etag and validators == {"etag": etag}:
            return FakeResult(final, status=304, validators=dict(validators))
        return FakeResult(final, body=page, validators={"etag": etag} if etag else {})

    @property
    def urls(self) -> list[str]:
        return [url for url, _ in self.calls]


def selector_source(max_pages: int = 20, **overrides) -> SelectorListingSource:
    config = SourceConfig(name="site", kind="selectors", url=PAGE_1, selectors=REVIEW_SELECTORS, **overrides)
    return SelectorListingSource(config, max_pages=max_pages)


def structured_source(max_pages: int = 20, **overrides) -> StructuredListingSource:
    return StructuredListingSource(SourceConfig(name="clinic", kind="schema_org", url=PAGE_1, **overrides), max_pages)


def html(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def review_div(n: int) -> str:
    return f'<div class="review" id="r{n}"><p class="body">Review number {n}.</p></div>'


def test_selector_source_follows_a_relative_rel_next_link():
    client = FakeFetcher(PAGED)
    batch = selector_source().collect(client, {})
    assert client.urls == [PAGE_1, PAGE_2]
    assert [r.author for r in batch.reviews] == ["Patsy R.", "Marcus T.", "Ana L.", "Gus P."]
    assert [r.external_id for r in batch.reviews] == ["rev-1", "rev-2", "rev-3", "rev-4"]
    assert batch.reviews[0].rating == 5.0 and batch.reviews[0].published == "2023-03-14"
    assert (batch.complete, batch.pages, batch.skipped) == (True, 2, [])


def test_structured_source_reads_every_page_and_the_first_aggregate():
    batch = structured_source().collect(FakeFetcher(PAGED), {})
    assert [r.external_id for r in batch.reviews] == ["rev-1", "rev-2", "rev-3", "rev-4"]
    assert (batch.aggregate.rating, batch.aggregate.count) == (4.5, 4)
    assert (batch.complete, batch.pages) == (True, 2)


@pytest.mark.parametrize("make_source", [selector_source, structured_source])
def test_next_selector_is_followed_when_configured(make_source):
    script = ('<script type="application/ld+json">'
              '{"@type": "Review", "@id": "s%d", "reviewBody": "Structured %d"}</script>')
    pages = {
        PAGE_1: html(review_div(1) + '<button class="more" data-href="/reviews/older">More</button>', script % (1, 1)),
        "https://clinic.example/reviews/older": html(review_div(2), script % (2, 2)),
    }
    client = FakeFetcher(pages)
    batch = make_source(next_selector="button.more@data-href").collect(client, {})
    assert client.urls == [PAGE_1, "https://clinic.example/reviews/older"]
    assert len(batch.reviews) == 2 and batch.complete


def test_anchor_rel_next_and_base_href_are_honoured():
    pages = {
        PAGE_1: html(review_div(1) + '<a rel="Next nofollow" href="p/2">next</a>', '<base href="/archive/">'),
        "https://clinic.example/archive/p/2": html(review_div(2)),
    }
    batch = selector_source().collect(FakeFetcher(pages), {})
    assert [r.external_id for r in batch.reviews] == ["r1", "r2"] and batch.complete


def test_hitting_max_pages_pauses_the_sweep_and_the_next_run_resumes_there():
    client = FakeFetcher(PAGED, etags={PAGE_1: '"v1"'})
    batch = selector_source(max_pages=1).collect(client, {})
    assert client.urls == [PAGE_1]
    assert len(batch.reviews) == 2 and not batch.complete and not batch.last
    assert [(s.where, s.expected) for s in batch.skipped] == [(PAGE_2, True)]
    assert "max_pages (1) reached" in batch.skipped[0].reason
    assert batch.cursor["pages"][PAGE_1]["validators"] == {"etag": '"v1"'}  # page 1 was read fully
    assert batch.cursor["resume"] == {"next": PAGE_2, "read": [PAGE_1]}
    second = selector_source(max_pages=1).collect(client, json.loads(json.dumps(batch.cursor)))
    assert client.urls == [PAGE_1, PAGE_2] and [r.external_id for r in second.reviews] == ["rev-3", "rev-4"]
    assert second.last and second.complete and "resume" not in second.cursor
    assert sorted(second.cursor["pages"]) == [PAGE_1, PAGE_2]  # the sweep covered both pages over two runs


def test_a_url_is_never_fetched_twice():
    pages = {
        PAGE_1: html(review_div(1), f'<link rel="next" href="{PAGE_2}">'),
        PAGE_2: html(review_div(2), f'<link rel="next" href="{PAGE_1}#top">'),
    }
    client = FakeFetcher(pages)
    batch = selector_source().collect(client, {})
    assert client.urls == [PAGE_1, PAGE_2]
    assert len(batch.reviews) == 2 and batch.complete


def test_a_redirect_back_to_a_page_already_read_ends_the_listing():
    pages = {PAGE_1: html(review_div(1), '<link rel="next" href="?page=99">')}
    client = FakeFetcher(pages, redirects={"https://clinic.example/reviews?page=99": PAGE_1})
    batch = selector_source().collect(client, {})
    assert len(batch.reviews) == 1 and batch.pages == 1 and batch.complete


def test_non_http_next_link_is_the_end():
    pages = {PAGE_1: html(review_div(1) + '<a rel="next" href="javascript:void(0)">next</a>')}
    batch = selector_source().collect(FakeFetcher(pages), {})
    assert batch.complete and batch.pages == 1


@pytest.mark.parametrize("first_page", [FetchError(PAGE_1, "connection refused"), 503])
def test_first_page_failure_raises_source_unavailable(first_page):
    with pytest.raises(SourceUnavailable) as raised:
        selector_source().collect(FakeFetcher({PAGE_1: first_page}), {})
    assert raised.value.source == "site" and PAGE_1 in raised.value.reason


def test_later_page_failure_keeps_what_was_read_and_is_incomplete():
    client = FakeFetcher({PAGE_1: PAGED[PAGE_1], PAGE_2: FetchError(PAGE_2, "read timed out")},
                         etags={PAGE_1: '"v1"'})
    batch = selector_source().collect(client, {"validators": {"etag": '"v0"'}})
    assert [r.external_id for r in batch.reviews] == ["rev-1", "rev-2"]
    assert not batch.complete
    assert [(s.where, s.reason) for s in batch.skipped] == [(PAGE_2, "read timed out")]
    assert PAGE_2 not in batch.cursor["pages"]  # a failed page is fetched afresh next run


def test_later_page_without_reviews_means_the_layout_changed():
    pages = {PAGE_1: PAGED[PAGE_1], PAGE_2: html("<p>We moved our reviews.</p>")}
    batch = selector_source().collect(FakeFetcher(pages), {})
    assert len(batch.reviews) == 2 and not batch.complete
    assert [(s.where, s.reason) for s in batch.skipped] == [(PAGE_2, NO_REVIEWS)]


def test_first_page_without_reviews_is_a_layout_change_not_an_empty_source():
    with pytest.raises(LayoutChanged, match="no reviews found") as raised:
        selector_source().collect(FakeFetcher({PAGE_1: html("<p>Under construction</p>")}), {})
    assert raised.value.kind == "layout_changed" and PAGE_1 in raised.value.reason


def test_first_page_that_is_not_html_is_reported():
    with pytest.raises(LayoutChanged, match="not an HTML document") as raised:
        structured_source().collect(FakeFetcher({PAGE_1: b"  "}), {})
    assert PAGE_1 in raised.value.reason


def test_broken_json_ld_on_a_page_is_reported_and_the_page_still_read():
    pages = {PAGE_1: (FIXTURES / "two-blocks-one-broken.html").read_bytes()}
    batch = structured_source().collect(FakeFetcher(pages), {})
    assert len(batch.reviews) == 3 and batch.complete
    assert [s.where for s in batch.skipped] == [f"{PAGE_1} JSON-LD block 1"]


def test_validators_are_saved_per_page_and_a_whole_listing_of_304s_changes_nothing():
    client = FakeFetcher(PAGED, etags={PAGE_1: '"v1"', PAGE_2: '"w1"'})
    first = structured_source().collect(client, {"other": 1})
    assert first.cursor["other"] == 1
    assert {url: page["validators"] for url, page in first.cursor["pages"].items()} == {
        PAGE_1: {"etag": '"v1"'}, PAGE_2: {"etag": '"w1"'}}
    second = structured_source().collect(client, first.cursor)
    assert client.calls[-2:] == [(PAGE_1, {"etag": '"v1"'}), (PAGE_2, {"etag": '"w1"'})]
    assert (second.reviews, second.skipped, second.pages) == ([], [], 2)
    assert second.complete  # every page known unchanged: the whole listing was accounted for
    assert sorted(second.unchanged_ids) == sorted(first.cursor["pages"][PAGE_1]["ids"] +
                                                  first.cursor["pages"][PAGE_2]["ids"])
    assert second.cursor == first.cursor


def test_a_304_on_page_one_does_not_end_the_sweep():
    # Issue 9, item 6: a new review on page 2 was never fetched because page 1 answered 304.
    client = FakeFetcher(dict(PAGED), etags={PAGE_1: '"v1"', PAGE_2: '"w1"'})
    first = selector_source().collect(client, {})
    client.etags[PAGE_2] = '"w2"'
    client.pages[PAGE_2] = html(review_div(9))
    second = selector_source().collect(client, first.cursor)
    assert client.calls[-2:] == [(PAGE_1, {"etag": '"v1"'}), (PAGE_2, {"etag": '"w1"'})]
    assert [r.external_id for r in second.reviews] == ["r9"]
    assert second.unchanged_ids == first.cursor["pages"][PAGE_1]["ids"]
    assert second.complete and second.cursor["pages"][PAGE_2]["validators"] == {"etag": '"w2"'}


def test_a_304_to_a_request_without_validators_is_reported_not_trusted():
    client = FakeFetcher({PAGE_1: PAGED[PAGE_1], PAGE_2: 304})
    batch = structured_source().collect(client, {})
    assert not batch.complete and batch.skipped[-1].reason == "HTTP 304 to an unconditional request"


def test_a_review_seen_twice_in_one_run_is_kept_once():
    pages = {PAGE_1: html(review_div(1) + review_div(2), f'<link rel="next" href="{PAGE_2}">'),
             PAGE_2: html(review_div(2) + review_div(3))}
    batch = selector_source().collect(FakeFetcher(pages), {})
    assert [r.external_id for r in batch.reviews] == ["r1", "r2", "r3"]


def test_build_source_makes_the_listing_sources():
    structured = build_source(SourceConfig(name="a", kind="schema_org", url=PAGE_1), max_pages=7)
    selected = build_source(SourceConfig(name="b", kind="selectors", url=PAGE_1, selectors=REVIEW_SELECTORS,
                                         max_pages=3))
    assert isinstance(structured, StructuredListingSource) and structured.max_pages == 7
    assert isinstance(selected, SelectorListingSource) and selected.max_pages == 3


def test_bad_selectors_are_refused_when_the_source_is_built():
    with pytest.raises(ConfigError, match="source 'b'"):
        SelectorListingSource(SourceConfig(name="b", kind="selectors", url=PAGE_1, selectors={"item": "div["}))
