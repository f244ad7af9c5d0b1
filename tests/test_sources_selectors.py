"""Extraction by configured CSS selectors (pipeline/sources/selectors.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.settings import load_settings
from pipeline.sources import selectors, values
from pipeline.text import MAX_TEXT_CHARS

FIXTURES = Path(__file__).parent / "fixtures" / "listings"
REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"
PAGE = "https://clinic.example/testimonials"

CLINIC = {
    "item": "blockquote.testimonial",
    "text": "p.quote",
    "author": "cite",
    "rating": "span.stars",
    "date": "time",
    "id": "@data-id",
}

# What a user would put in plaudit.toml for DealerRater (0-50 ratings, review id in <a name>).
DEALERRATER = {
    "item": "div.review-entry",
    "text": "span.review-title, span.review-whole",
    "author": "span.italic.notranslate",
    "date": "div.review-date div.italic",
    "rating": "div.dealership-rating div.rating-static.hidden-xs@class",
    "rating_pattern": r"rating-(\d+)",
    "id": "a[name]@name",
}

AMAZON_IT = {
    "item": "div[data-hook=review]",
    "text": "span[data-hook=review-body]",
    "author": "span.a-profile-name",
    "rating": "i[data-hook=review-star-rating]",
    "date": "span[data-hook=review-date]",
    "title": "a[data-hook=review-title]",
    "id": "@id",
}


def extract(html: str | bytes, table: dict[str, str], rating_scale: float = 5.0):
    return selectors.extract_selected(html, PAGE, table, "site", rating_scale)


def item_page(inner: str) -> str:
    return f"<html><body><div class='r' data-id='x1'>{inner}</div></body></html>"


def realworld_file(relative: str) -> Path:
    path = REALWORLD / "review-page-fixtures" / relative
    if not path.is_file():
        pytest.skip(f"{path} is absent (third-party pages are not shipped with the project)")
    return path


def test_clinic_testimonials_are_read_with_quotes_and_dashes_removed():
    page = extract((FIXTURES / "testimonials.html").read_bytes(), CLINIC)
    patsy, marcus, ana = page.reviews
    assert patsy.text == ("Dr. Okafor took the time to listen and explained every step. "
                          "I finally feel in control of my health.")
    assert (patsy.author, patsy.rating, patsy.external_id) == ("Patsy R.", 5.0, "t-101")
    assert (patsy.published, patsy.published_raw) == ("2023-03-14", "March 14, 2023")
    assert marcus.text == ("The front desk team rescheduled me the same day.\n\n"
                           "Friendly nurses, short wait & clean rooms.")
    assert (marcus.author, marcus.rating) == ("Marcus T.", 4.0)  # "★★★★☆"
    assert (ana.author, ana.external_id) == ("Ana L.", None)
    assert (ana.published, ana.published_raw) == (None, "11/02/2023")  # ambiguous day/month: raw only


def test_item_with_no_text_is_skipped_with_its_page_and_index():
    page = extract((FIXTURES / "testimonials.html").read_bytes(), CLINIC)
    assert page.found == 4
    assert [(s.where, s.reason) for s in page.skipped] == [(f"{PAGE} review 4", "review has no text")]


def test_attribute_and_pattern_read_a_rating_from_a_class():
    html = item_page("<p>Fine.</p><div class='stars rating-40'></div>")
    table = {"item": "div.r", "text": "p", "rating": "div.stars@class", "rating_pattern": r"rating-(\d+)"}
    assert extract(html, table, rating_scale=50).reviews[0].rating == 4.0


def test_item_own_attribute_and_url_are_read():
    html = item_page("<p>Fine.</p><a class='permalink' href='/t/x1'>link</a>")
    table = {"item": "div.r", "text": "p", "id": "@data-id", "url": "a.permalink@href"}
    review = extract(html, table).reviews[0]
    assert (review.external_id, review.url) == ("x1", "https://clinic.example/t/x1")


@pytest.mark.parametrize("shown, scale, expected", [
    ("5,0 su 5 stelle", 5, 5.0),
    ("Rated 4.5 out of 5", 5, 4.5),
    ("9/10", 10, 4.5),
    ("★★★☆☆", 5, 3.0),
    ("50", 50, 5.0),
    ("10", 50, 1.0),
    ("0", 50, None),
    ("7", 5, None),
    ("no rating", 5, None),
])
def test_displayed_ratings_are_normalised_with_the_rating_scale(shown, scale, expected):
    assert selectors.parse_rating(shown, scale) == expected


def test_script_and_style_inside_an_item_are_not_text():
    table = {"item": "div.review", "text": "p.body", "author": "span.by"}
    page = extract((FIXTURES / "hostile.html").read_bytes(), table)
    review = page.reviews[0]
    assert review.text == "Great care & no wait — café downstairs ❤️😀 done"
    assert review.author == "Eve"  # "Eve <admin>" after entity decoding is tag-like text, dropped


def test_text_matches_are_joined_in_document_order_and_nested_matches_read_once():
    html = item_page("<span class='t'>Everyone was friendly.  We</span><span class='w'> were pleased.</span>"
                     "<div class='w'>Outer <span class='w'>inner</span></div>")
    review = extract(html, {"item": "div.r", "text": "span.t, .w"}).reviews[0]
    assert review.text == "Everyone was friendly. We were pleased.\n\nOuter inner"


def test_source_line_breaks_are_spaces_and_br_is_a_line_break():
    review = extract(item_page("<p>One\n   two<br>three</p>"), {"item": "div.r", "text": "p"}).reviews[0]
    assert review.text == "One two\nthree"


@pytest.mark.parametrize("shown, text, is_excerpt", [
    ("Kind staff and… Read more", "Kind staff and", True),
    ("Kind staff and ... more", "Kind staff and", True),
    ("I couldn't ask for more", "I couldn't ask for more", False),
    ("“She said “wow” twice”", "“She said “wow” twice”", False),
    ('"Quoted."', "Quoted.", False),
])
def test_read_more_and_quotes(shown, text, is_excerpt):
    assert selectors.unwrap_text(shown) == (text, is_excerpt)


def test_megabyte_text_is_refused_with_a_reason_never_cut():
    html = item_page("<p>" + "Great care &amp; kind staff. " * 40_000 + "</p>")
    assert len(html) > 1_000_000
    page = extract(html, {"item": "div.r", "text": "p"})
    assert page.reviews == [] and f"over {MAX_TEXT_CHARS:,} characters" in page.skipped[0].reason
    assert not page.skipped[0].expected


def test_date_format_reads_ambiguous_numeric_dates():
    html = item_page("<p>Fine.</p><time>11/02/2023</time>")
    review = extract(html, {"item": "div.r", "text": "p", "date": "time", "date_format": "%d/%m/%Y"}).reviews[0]
    assert (review.published, review.published_raw) == ("2023-02-11", "11/02/2023")


@pytest.mark.parametrize("selector, expected", [
    ("span.rating@class", ("span.rating", "class")),
    ("@data-id", ("", "data-id")),
    ("time", ("time", None)),
    ('a[href^="mailto:x@y"]', ('a[href^="mailto:x@y"]', None)),
    ('a[href^="mailto:x@y"]@href', ('a[href^="mailto:x@y"]', "href")),
])
def test_split_attribute(selector, expected):
    assert selectors.split_attribute(selector) == expected


@pytest.mark.parametrize("table, message", [
    ({"item": "div", "text": "p", "stars": "span"}, "unknown key(s) stars"),
    ({"item": "div"}, "'item' and 'text' are required"),
    ({"item": "div[", "text": "p"}, "selectors.item: not a valid CSS selector"),
    ({"item": "div", "text": "p", "rating": "span", "rating_pattern": "(unclosed"},
     "rating_pattern: not a valid regular expression"),
    ({"item": "div", "text": "p", "date_pattern": r"\d+"}, "date_pattern set without the selector it narrows"),
])
def test_bad_selector_tables_are_refused_with_the_key_named(table, message):
    with pytest.raises(ConfigError, match="source 'site'") as raised:
        selectors.compile_selectors(table, "site")
    assert message in str(raised.value)


def test_selector_table_is_configurable_from_toml(tmp_path):
    config = tmp_path / "plaudit.toml"
    config.write_text(
        '[[sources]]\nname = "dealer"\nkind = "selectors"\nurl = "https://dealer.example/reviews"\n'
        'rating_scale = 50\n[sources.selectors]\nitem = "div.r"\ntext = "p"\n'
        "rating = \"div.stars@class\"\nrating_pattern = 'rating-(\\d+)'\n",
        encoding="utf-8",
    )
    source = load_settings(config, env={}).source("dealer")
    html = item_page("<p>Fine.</p><div class='stars rating-30'></div>")
    page = selectors.extract_selected(html, PAGE, source.selectors, source.name, source.rating_scale)
    assert page.reviews[0].rating == 3.0


@pytest.mark.realworld
def test_realworld_dealerrater_page_matches_its_expected_parse():
    path = realworld_file("dealerrater/page1.html")
    expected = json.loads(path.with_name("page1.expected.json").read_text(encoding="utf-8"))["reviews"]
    page = selectors.extract_selected(path.read_bytes(), "https://www.dealerrater.com/dealer/x/", DEALERRATER,
                                      "dealerrater", rating_scale=50)
    assert not page.skipped
    assert len(page.reviews) == len(expected) == 10
    for review, want in zip(page.reviews, expected):
        assert review.external_id == want["id"]
        assert review.author == want["user"]
        assert review.published_raw == want["date"]
        assert review.published == values.parse_date(want["date"]) is not None
        assert review.rating == want["rating_0_50"] / 50 * 5
        assert " ".join(review.text.split()) == " ".join(want["body"].split())


@pytest.mark.realworld
def test_realworld_italian_amazon_page_reads_decimal_comma_ratings():
    path = realworld_file("amazon-reviews/product-reviews-B07747FR44-1.html")
    page = selectors.extract_selected(path.read_bytes(), "https://www.amazon.it/x", AMAZON_IT, "amazon")
    assert len(page.reviews) == 10 and not page.skipped
    assert all(r.rating in {1.0, 2.0, 3.0, 4.0, 5.0} for r in page.reviews)
    assert all(r.published and r.published.startswith(("2018-", "2019-")) for r in page.reviews)
    assert all(r.external_id and r.external_id.startswith("R") for r in page.reviews)
