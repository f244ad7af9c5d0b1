"""Schema.org Review/AggregateRating extraction from JSON-LD and microdata (pipeline/sources/structured.py)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import extruct
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import ParseError
from pipeline.sources import structured, values
from pipeline.text import MAX_TEXT_CHARS

FIXTURES = Path(__file__).parent / "fixtures" / "listings"
REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"
PAGE = "https://clinic.example/reviews/"


def extract(name: str, rating_scale: float = 5.0) -> structured.PageExtract:
    return structured.extract_structured((FIXTURES / name).read_bytes(), PAGE, "clinic", rating_scale)


def json_ld_page(*blocks: str) -> bytes:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return f"<!DOCTYPE html><html><head>{scripts}</head><body><p>x</p></body></html>".encode()


def test_graph_reviews_are_found_and_id_references_resolved():
    page = extract("graph.html")
    first = page.reviews[0]
    assert first.external_id == "https://clinic.example/reviews/#r-1"
    assert first.author == "Jo W."  # {"@id": "#person-jo"} resolved inside the @graph
    assert first.text == "Kind and thorough.\nDr. Okafor remembered my history without looking it up."
    assert first.title == "Kind and thorough"
    assert (first.published, first.published_raw) == ("2023-01-09", "2023-01-09T10:15:00-05:00")
    assert first.rating == 5.0  # 10 on a 0-10 scale


def test_review_nested_under_another_entity_uses_its_url_as_id():
    nested = extract("graph.html").reviews[1]
    assert nested.text == "Explains things clearly."
    assert nested.external_id == "/reviews/okafor/77"
    assert nested.url == "https://clinic.example/reviews/okafor/77"
    assert (nested.author, nested.rating) == ("Lee M.", 5.0)  # a bare "5" reviewRating


def test_review_without_body_is_counted_but_skipped_with_its_place():
    page = extract("graph.html")
    assert page.found == 3 and len(page.reviews) == 2
    assert [(s.where, s.reason) for s in page.skipped] == [(f"{PAGE} review 2", "review has no text")]


def test_aggregate_rating_is_normalised_with_its_own_scale():
    aggregate = extract("graph.html").aggregate
    assert aggregate.rating == pytest.approx(1 + 4 * 9.2 / 10)
    assert aggregate.count == 1204  # "1,204"


def test_broken_json_ld_block_is_reported_and_the_other_blocks_still_read():
    page = extract("two-blocks-one-broken.html")
    assert [r.external_id for r in page.reviews] == ["#good-1", "#good-2", "#lenient-1"]
    assert len(page.skipped) == 1
    assert page.skipped[0].where == f"{PAGE} JSON-LD block 1"
    assert page.skipped[0].reason.startswith("invalid JSON-LD")


def test_extruct_alone_loses_every_json_ld_block_when_one_is_broken():
    # Why structured.py reads JSON-LD block by block instead of through extruct.
    body = (FIXTURES / "two-blocks-one-broken.html").read_bytes()
    found = extruct.extract(body, syntaxes=["json-ld", "microdata"], uniform=True, errors="ignore")
    assert not found.get("json-ld")


@pytest.mark.parametrize("block, expected", [
    ('{"a": 1}', [{"a": 1}]),
    ('[{"a": 1}, {"b": 2}]', [{"a": 1}, {"b": 2}]),
    ('{"a": 1}\n{"b": 2};', [{"a": 1}, {"b": 2}]),
    ('<!--\n{"a": 1}\n-->', [{"a": 1}]),
    ('//<![CDATA[\n{"a": 1}\n//]]>', [{"a": 1}]),
    ('// generated\n{"a": 1, "b": [2,],}', [{"a": 1, "b": [2]}]),
    ('{"a": "line\nbreak"}', [{"a": "line\nbreak"}]),
])
def test_json_ld_blocks_are_read_leniently(block, expected):
    assert structured.parse_json_ld(block) == expected


@pytest.mark.parametrize("block", ["", "   ", '{"a": ', "not json at all", "[" * 100_000])
def test_hopeless_json_ld_block_raises_value_error(block):
    with pytest.raises(ValueError):
        structured.parse_json_ld(block)


@given(st.text(max_size=300))
def test_json_ld_parser_raises_nothing_but_value_error(block):
    try:
        structured.parse_json_ld(block)
    except ValueError:
        pass


def test_top_level_array_and_main_entity_and_item_reviewed_are_walked():
    body = json_ld_page(
        '[{"@type": "WebPage", "mainEntity": {"@type": "Physician", "reviews": ['
        '{"@type": "Review", "reviewBody": "One"}, {"@type": "UserReview", "reviewBody": "Two"}]}},'
        '{"@type": "http://schema.org/Review", "reviewBody": "Three", '
        '"itemReviewed": {"@type": "Physician", "review": {"@type": "Review", "reviewBody": "Four"}}}]'
    )
    page = structured.extract_structured(body, PAGE, "clinic")
    assert [r.text for r in page.reviews] == ["One", "Two", "Three", "Four"]


def test_nodes_sharing_an_id_are_one_review():
    body = json_ld_page(
        '{"@type": "Review", "@id": "#r1", "reviewBody": "Same review"}',
        '{"@type": "Review", "@id": "#r1", "author": "Kim"}',
        '{"@type": "Review", "@id": "_:blank", "reviewBody": "Blank nodes have no identity"}',
    )
    page = structured.extract_structured(body, PAGE, "clinic")
    assert [(r.external_id, r.text, r.author) for r in page.reviews] == [
        ("#r1", "Same review", "Kim"), (None, "Blank nodes have no identity", None)]


def test_microdata_reviews_and_aggregate():
    page = extract("microdata.html")
    noor, gus = page.reviews
    assert (noor.external_id, noor.author, noor.rating, noor.published) == (
        "https://dir.example/review/5512", "Noor H.", 5.0, "2021-07-19")
    assert (gus.external_id, gus.author, gus.text) == (None, "Gus P.", "Good doctor, long wait.")
    assert gus.rating == pytest.approx(3.4)  # 6 on 0-10
    assert page.aggregate.rating == pytest.approx(1 + 4 * 0.86) and page.aggregate.count == 37


def test_hostile_review_body_becomes_plain_text():
    review = extract("hostile.html").reviews[0]
    assert "<" not in review.text and ">" not in review.text
    assert "& no wait — café downstairs ❤️😀" in review.text
    assert "\u202e" not in review.text and "\u200b" not in review.text
    assert review.author == "Eve & co" and review.title == "Great"


def test_megabyte_review_body_is_refused_with_a_reason_and_a_long_one_kept_whole():
    body = json_ld_page(json.dumps([{"@type": "Review", "reviewBody": "Great care. " * 90_000},
                                    {"@type": "Review", "reviewBody": "Kind staff. " * 3_000}]))
    assert len(body) > 1_000_000
    page = structured.extract_structured(body, PAGE, "clinic")
    assert [len(r.text) for r in page.reviews] == [len("Kind staff. " * 3_000) - 1]
    assert f"over {MAX_TEXT_CHARS:,} characters" in page.skipped[0].reason


@pytest.mark.parametrize("depth", [50, 700, 5000])
def test_hostile_nesting_never_crashes_the_page(depth):
    deep = ('{"@type": "Review", "reviewBody": ' + "[" * depth + '"deep"' + "]" * depth
            + ', "author": ' + '{"name": ' * depth + '"x"' + "}" * depth
            + ', "x": ' + '{"@graph": ' * depth + "1" + "}" * depth + "}")
    body = json_ld_page(deep, '{"@type": "Review", "reviewBody": "Still read"}')
    page = structured.extract_structured(body, PAGE, "clinic")
    assert "Still read" in [r.text for r in page.reviews]


def test_page_that_is_not_html_raises_parse_error():
    with pytest.raises(ParseError):
        structured.parse_document(b"   ")


def test_declared_charset_is_honoured():
    body = '<html><head><meta charset="iso-8859-1"><script type="application/ld+json">' \
           '{"@type": "Review", "reviewBody": "Très bien"}</script></head></html>'
    page = structured.extract_structured(body.encode("latin-1"), PAGE, "clinic")
    assert page.reviews[0].text == "Très bien"


@pytest.mark.parametrize("rating, expected", [
    ({"ratingValue": "4"}, 4.0),
    ({"ratingValue": "4,5"}, 4.5),
    ({"ratingValue": 8, "bestRating": 10}, 4.11),  # worstRating defaults to 1: 1 + 4 × 7/9
    ({"ratingValue": 0, "bestRating": 100, "worstRating": 0}, 1.0),
    ({"ratingValue": "6", "bestRating": "5"}, None),
    ({"ratingValue": "five"}, None),
    ({}, None),
    ("3", 3.0),
])
def test_review_rating_is_normalised_to_one_to_five(rating, expected):
    node = {"@type": "Review", "reviewBody": "x", "reviewRating": rating}
    assert structured.review_from_node(node, "clinic", PAGE).rating == expected


def test_rating_scale_is_the_default_best_rating():
    node = {"@type": "Review", "reviewBody": "x", "reviewRating": {"ratingValue": "10"}}
    assert structured.review_from_node(node, "clinic", PAGE, rating_scale=10).rating == 5.0


@pytest.mark.parametrize("text, expected", [
    ("2022-02-11", "2022-02-11"),
    ("2018-12-17T14:21:33-08:00", "2018-12-17"),
    ("February 11, 2022", "2022-02-11"),
    ("Feb. 1st, 2022", "2022-02-01"),
    ("Reviewed on 11 February 2022", "2022-02-11"),
    ("14 novembre 2018", "2018-11-14"),
    ("14. März 2019", "2019-03-14"),
    ("3 de mayo de 2020", "2020-05-03"),
    ("25/02/2022", "2022-02-25"),
    ("02/25/2022", "2022-02-25"),
    ("11.02.2022", "2022-02-11"),
    ("05/05/2022", "2022-05-05"),
    ("11/02/2022", None),  # 11 February or November 2: not guessed
    ("February 30, 2022", None),
    ("2 months ago", None),
    ("", None),
    (None, None),
])
def test_parse_date(text, expected):
    assert values.parse_date(text) == expected


def test_parse_date_with_a_configured_format_reads_ambiguous_dates():
    assert values.parse_date("11/02/2022", "%m/%d/%Y") == "2022-11-02"
    assert values.parse_date("not a date", "%m/%d/%Y") is None


@given(st.text(max_size=60))
def test_parse_date_returns_iso_or_none(text):
    found = values.parse_date(text)
    assert found is None or values.parse_date(found) == found


@pytest.mark.parametrize("value, expected", [("1,204", 1204), ("1.204 recensioni", 1204), (37, 37), ("none", None)])
def test_parse_count(value, expected):
    assert values.parse_count(value) == expected


def manifest_rows() -> list[dict[str, str] | None]:
    manifest = REALWORLD / "schemaorg-review-pages" / "manifest.csv"
    if not manifest.is_file():
        return [None]
    with manifest.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.realworld
@pytest.mark.parametrize("row", manifest_rows(), ids=lambda row: row["file"] if row else "absent")
def test_realworld_schema_pages_match_the_manifest_counts(row):
    if row is None:
        pytest.skip(f"{REALWORLD} is absent (third-party pages are not shipped with the project)")
    body = (REALWORLD / "schemaorg-review-pages" / row["file"]).read_bytes()
    data = structured.schema_data(structured.parse_document(body), PAGE)
    page = structured.extract_page(structured.parse_document(body), PAGE, "realworld")
    assert len(data.reviews()) == int(row["reviews"])
    assert len(page.reviews) == int(row["reviews_with_body"])
    assert len(data.aggregates()) == int(row["aggregate_ratings"])
    assert not data.skipped
