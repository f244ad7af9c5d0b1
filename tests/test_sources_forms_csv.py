"""CSV exports of form tools: presets, rows, consent, ratings, dates, cursor.

The fixtures in tests/fixtures/forms/ are synthetic exports (made-up patients) written to follow each tool's
header conventions: gravityforms.csv (UTF-8 with BOM, CRLF, multi-line cell, hostile HTML, emoji, empty
text), wpforms.csv (cp1252, a row with an extra field), googleforms.csv (duplicate question titles, an
unbalanced quote), typeform.csv (1/0 answers, out-of-range stars), jotform.csv (consent value = its label),
generic.csv (Excel "Unicode text": UTF-16 LE with BOM, tab-separated, day-first dates, no consent column).
The 1 MB cell is generated in its test rather than kept as a fixture.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from pipeline.errors import ConfigError, ParseError, SourceUnavailable
from pipeline.models import Consent
from pipeline.settings import SourceConfig
from pipeline.sources import build_source
from pipeline.sources.form_presets import FIELDS, PRESETS, get_preset
from pipeline.sources.form_values import consent_given, infer_day_first, parse_rating, parse_submitted
from pipeline.sources.csv_source import CsvFormSource
from pipeline.sources.forms_csv import (
    decode_export,
    iter_records,
    parse_csv_bytes,
    parse_csv_text,
    resolve_columns,
)

FIXTURES = Path(__file__).parent / "fixtures" / "forms"
REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"


def config(preset: str = "generic", path: str = "", **kwargs) -> SourceConfig:
    """A csv source config for tests."""
    return SourceConfig(name=f"{preset}-form", kind="csv", path=path, preset=preset, **kwargs)


def parse_fixture(preset: str, **kwargs):
    """Parse tests/fixtures/forms/<preset>.csv with that preset."""
    path = FIXTURES / f"{preset}.csv"
    return parse_csv_bytes(path.read_bytes(), config(preset, str(path), **kwargs), where=str(path))


def by_id(parsed) -> dict:
    return {r.external_id: r for r in parsed.reviews}


# --- presets and header mapping -------------------------------------------------------------------------


def test_every_preset_covers_every_canonical_field():
    assert set(PRESETS) == {"gravityforms", "wpforms", "googleforms", "typeform", "jotform", "generic"}
    for preset in PRESETS.values():
        assert set(preset) == set(FIELDS)


def test_unknown_preset_is_a_config_error_naming_the_choices():
    with pytest.raises(ConfigError, match="gravityforms"):
        get_preset("formstack")
    with pytest.raises(ConfigError):
        CsvFormSource(config("nope", "x.csv"))


def test_unknown_column_field_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown field 'review'"):
        CsvFormSource(config(path="x.csv", columns={"review": "Comments"}))


def test_gravityforms_headers_resolve_to_entry_meta_name_inputs_and_consent_inputs():
    headers = ["Name (First)", "Name (Last)", "Your review", "Consent (Consent)", "Consent (Text)",
               "Consent (Description)", "Entry Id", "Entry Date", "Date Updated", "Source Url"]
    columns = resolve_columns(headers, "gravityforms")
    named = {f: headers[i[0]] for f, i in columns.items()}
    assert named == {"first_name": "Name (First)", "last_name": "Name (Last)", "text": "Your review",
                     "consent": "Consent (Consent)", "consent_text": "Consent (Text)",
                     "id": "Entry Id", "submitted_at": "Entry Date"}


def test_exact_names_win_over_patterns_case_and_space_insensitively():
    headers = ["Tell us about your visit", "  FEEDBACK ", "Start Date (UTC)", "submit date  (utc)"]
    columns = resolve_columns(headers, "typeform")
    assert columns["text"] == (1,)
    assert columns["submitted_at"] == (3,)


def test_consent_question_mentioning_review_is_not_taken_as_the_text():
    headers = ["May we share your review on our website?", "Please tell us about your experience"]
    columns = resolve_columns(headers, "googleforms")
    assert columns["consent"] == (0,)
    assert columns["text"] == (1,)


def test_typeform_network_id_is_not_an_id():
    columns = resolve_columns(["Network ID", "Review"], "typeform")
    assert "id" not in columns


def test_column_overrides_win_over_the_preset():
    headers = ["Entry Id", "Your review", "Anything else?"]
    columns = resolve_columns(headers, "gravityforms", {"text": "Anything else?", "id": ["Missing", "Entry Id"]})
    assert columns["text"] == (2,)
    assert columns["id"] == (0,)


def test_override_naming_an_absent_column_does_not_fall_back_to_patterns():
    columns = resolve_columns(["Your review", "Consent"], "generic", {"consent": "Permission to publish"})
    assert "consent" not in columns


def test_empty_override_says_the_form_has_no_such_column():
    columns = resolve_columns(["Review", "Consent"], "generic", {"consent": []})
    assert "consent" not in columns


def test_file_without_text_column_lists_headers_and_how_to_map_one():
    with pytest.raises(ParseError) as raised:
        parse_csv_text("When,Who,Stars\n2026-11-20,Ana,5\n", config(), where="entries.csv")
    reason = raised.value.reason
    assert "'When', 'Who', 'Stars'" in reason
    assert 'columns = { text = "' in reason and "plaudit.toml" in reason


# --- the fixtures, one per preset --------------------------------------------------------------------------


def test_gravityforms_export_with_bom_consent_inputs_and_entry_meta():
    parsed = parse_fixture("gravityforms", consent_version="consent-2026-03")
    reviews = by_id(parsed)
    first = reviews["101"]
    assert first.author == "Maria Testperson"
    assert first.email == "maria.t@example.com" and first.phone == "(555) 010-0101"
    assert (first.published, first.published_raw) == ("2026-11-20", "2026-11-20 14:03:22")
    assert first.consent == Consent(
        given=True, text_version="consent-2026-03", at="2026-11-20T14:03:22",
        text="I authorize Example Family Practice to publish my review and first name on its website.")
    assert reviews["103"].consent.given is False  # "Not Checked"
    assert [r.rating for r in parsed.reviews] == [5.0, 4.0, 4.0, 4.0, None]


def test_multi_line_cell_counts_as_one_spreadsheet_row():
    parsed = parse_fixture("gravityforms")
    assert parsed.reviews[1].text == "The nurse explained everything.\nI felt heard.\n\nWould recommend."
    # Row 3 spans four lines of the file; the empty-text entry 105 is still row 6 in a spreadsheet.
    assert [(s.where, s.reason) for s in parsed.skipped] == [
        ("gravityforms.csv row 6", "no review text (column 'Your review' is empty)")]


def test_hostile_html_is_reduced_to_plain_text_and_emoji_kept():
    reviews = by_id(parse_fixture("gravityforms"))
    hostile = reviews["103"].text
    assert "<" not in hostile and "onerror" not in hostile
    assert hostile.endswith("Great staff and & clean rooms")
    assert reviews["104"].text == "Lovely visit 😊👍 thank you!"


def test_wpforms_cp1252_export_and_row_with_extra_field():
    parsed = parse_fixture("wpforms")
    reviews = by_id(parsed)
    assert "café-style" in reviews["201"].text and "Müller’s" in reviews["201"].text
    assert reviews["201"].consent.given is True  # the GDPR agreement text itself
    assert "respond to my inquiry" in reviews["201"].consent.text
    assert reviews["202"].consent.given is False
    assert reviews["201"].published == "2026-11-20" and reviews["204"].consent.at == "2026-11-23T16:45:00"
    assert [s.where for s in parsed.skipped] == ["wpforms.csv row 4"]
    assert "9 fields where the header has 8" in parsed.skipped[0].reason
    assert "204" in reviews and parsed.malformed == 1


def test_googleforms_duplicate_question_titles_and_no_response_id():
    reviews = parse_fixture("googleforms").reviews
    assert all(r.external_id is None for r in reviews)
    ben = next(r for r in reviews if r.author == "Ben Example")
    assert ben.text == "Second-branch answer about the dentist."  # the repeated title's second column
    assert reviews[0].published == "2026-11-20" and reviews[0].consent.at == "2026-11-20T14:03:22"


def test_googleforms_checkbox_label_is_consent_and_part_of_the_wording():
    reviews = parse_fixture("googleforms").reviews
    ana = reviews[0].consent
    assert ana.given is True
    assert ana.text == ("May we share your review on our website, with your first name?: "
                        "Yes, you may share my review and first name")
    assert [r.consent.given for r in reviews[1:3]] == [False, False]  # empty, "No"


def test_unbalanced_quote_costs_one_row_and_the_next_row_is_read():
    parsed = parse_fixture("googleforms")
    assert [s.where for s in parsed.skipped] == ["googleforms.csv row 5"]
    assert "line 5" in parsed.skipped[0].reason and "quote" in parsed.skipped[0].reason
    assert parsed.reviews[-1].text == "After the broken row, all fine."
    assert parsed.reviews[-1].author == "Eve Example"


def test_typeform_token_submit_date_and_one_zero_answers():
    reviews = parse_fixture("typeform").reviews
    assert [r.external_id for r in reviews] == ["a1b2c3d4e5f6g7h8", "i9j8k7l6m5n4o3p2", "q1r2s3t4u5v6w7x8"]
    assert reviews[1].published_raw == "2026-11-21 08:01:30"  # Submit Date, not Start Date
    assert [r.consent.given for r in reviews] == [True, False, False]
    assert "💙" in reviews[0].text
    assert reviews[2].rating is None  # 10 stars on a 5-star form


def test_jotform_named_dates_and_consent_value_equal_to_its_label():
    reviews = parse_fixture("jotform").reviews
    assert reviews[0].external_id == "5871234567890123456"
    assert (reviews[0].published, reviews[0].published_raw) == ("2026-11-20", "Nov 20, 2026")
    assert reviews[0].consent.given is True
    assert reviews[0].consent.text == "I agree to let the clinic share my testimonial"
    assert reviews[1].consent.given is False
    assert reviews[0].text == "Thorough check-up,\nfriendly reception."


def test_utf16_tab_separated_export_without_consent_column():
    reviews = parse_fixture("generic").reviews
    assert [r.author for r in reviews] == ["Sue Example", "Ted Example", "Uma Example"]
    assert all(r.consent == Consent(given=None) for r in reviews)  # absent is never "no"
    assert [r.rating for r in reviews] == [4.0, 4.5, None]


def test_day_first_file_reads_its_ambiguous_dates_day_first():
    reviews = parse_fixture("generic").reviews
    assert [r.published for r in reviews] == ["2026-11-20", "2026-11-05", "2026-12-03"]


# --- values -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, scale, expected", [
    ("5", 5, 5.0), ("4/5", 5, 4.0), ("★★★★☆", 5, 4.0), ("⭐⭐⭐", 5, 3.0), ("4 stars", 5, 4.0),
    ("", 5, None), (None, 5, None), ("8/10", 5, 4.0), ("4 out of 5", 5, 4.0), ("4,5", 5, 4.5),
    ("9", 10, 4.5), ("1", 10, 1.0), ("7", 5, None), ("0", 5, None), ("6/5", 5, None), ("great", 5, None),
])
def test_rating_shapes_normalise_to_five(raw, scale, expected):
    assert parse_rating(raw, scale) == expected


@pytest.mark.parametrize("value, expected", [
    ("1", True), ("Yes", True), ("TRUE", True), ("Checked", True), ("x", True), ("✓", True),
    ("agree", True), ("I agree to the terms above", True), ("Yes, you may share my review", True),
    ("", False), ("0", False), ("no", False), ("Unchecked", False), ("Not Checked", False),
    ("I do not agree", False), ("No, keep it private", False), ("I withdraw my consent", False),
    ("maybe later", None), ("Dr. Smith", None),
])
def test_consent_values(value, expected):
    assert consent_given(value) is expected


def test_consent_value_equal_to_the_question_label_is_ticked():
    assert consent_given("  Share my review  ", "Share my review") is True


def test_consent_column_absent_gives_unknown_not_refused():
    parsed = parse_csv_text("Review,Name\nLovely staff,Ana\n", config(consent_version="v1"))
    assert parsed.reviews[0].consent == Consent(given=None)


def test_consent_text_column_is_preferred_over_the_header():
    text = 'Review,Consent,Consent text\nGreat,yes,"I allow use of my words, v7"\n'
    consent = parse_csv_text(text, config(consent_version="v7")).reviews[0].consent
    assert consent == Consent(given=True, text_version="v7", at=None, text="I allow use of my words, v7")


@pytest.mark.parametrize("raw, expected", [
    ("2026-11-20 14:03:22", "2026-11-20T14:03:22"), ("2026-11-20", "2026-11-20"),
    ("11/20/2026 14:03:22", "2026-11-20T14:03:22"), ("11/20/2026 2:03 PM", "2026-11-20T14:03:00"),
    ("20/11/2026", "2026-11-20"), ("05/11/2026", "2026-05-11"), ("20.11.2026", "2026-11-20"),
    ("Nov 20, 2026", "2026-11-20"), ("November 20, 2026 2:03 pm", "2026-11-20T14:03:00"),
    ("2026-11-20T14:03:22Z", "2026-11-20T14:03:22+00:00"), ("13/13/2026", None), ("last week", None), ("", None),
])
def test_submitted_dates(raw, expected):
    assert parse_submitted(raw) == expected


def test_ambiguous_dates_read_day_first_only_when_asked():
    assert parse_submitted("05/11/2026", day_first=True) == "2026-11-05"
    assert infer_day_first(["05/11/2026", "20/11/2026"]) is True
    assert infer_day_first(["05/11/2026", "11/20/2026"]) is False
    assert infer_day_first(["05/11/2026", "20/11/2026", "11/20/2026"]) is None  # mixed: keep month-first
    assert infer_day_first(["05/11/2026"]) is None


def test_unparseable_date_is_none_not_an_error():
    review = parse_csv_text("Date,Review\nsoon,Fine\n", config()).reviews[0]
    assert (review.published, review.published_raw) == (None, "soon")


# --- rows and files ---------------------------------------------------------------------------------------


def test_row_numbers_after_blank_lines_and_multi_line_cells():
    text = 'Review,Name\n"one\ntwo",A\n\n,B\n"three",C\n'
    records = list(iter_records(text))
    assert [(r.row, r.line) for r in records] == [(1, 1), (2, 2), (3, 4), (4, 5), (5, 6)]
    parsed = parse_csv_text(text, config(), where="/x/entries.csv")
    assert [s.where for s in parsed.skipped] == ["entries.csv row 4"]  # the blank row 3 is not reported


def test_short_row_is_skipped_and_extra_empty_trailing_cells_are_allowed():
    text = "Review,Name,Rating\nGood,Ana,5,,\nShort,Ben\nAfter,Cy,4\n"
    parsed = parse_csv_text(text, config(), where="e.csv")
    assert [r.text for r in parsed.reviews] == ["Good", "After"]
    assert [s.where for s in parsed.skipped] == ["e.csv row 3"]


def test_quote_swallowing_to_the_end_of_the_file_is_reported():
    parsed = parse_csv_text('Review,Name\n"never closed,Ana\nNext,Ben\n', config(), where="e.csv")
    assert [r.text for r in parsed.reviews] == ["Next"]
    assert parsed.skipped[0].where == "e.csv row 2" and "unexpected end of data" in parsed.skipped[0].reason


def test_semicolon_export_from_european_excel():
    parsed = parse_csv_text("Name;Review;Rating\nAna;Sehr gut, danke;5\n", config())
    review = parsed.reviews[0]
    assert (review.author, review.text, review.rating) == ("Ana", "Sehr gut, danke", 5.0)


def test_one_megabyte_cell_is_refused_with_a_reason_and_a_long_review_is_kept_whole():
    # Issue 9, item 8: a long review was cut at 19,999 characters without a word.
    before = csv.field_size_limit()
    big = "Great care. " * 90_000  # ~1 MB in one cell
    long = "The care was thorough. " * 1_500  # 34,500 characters: long, but a review
    parsed = parse_csv_text(f'Review,Name\n"{big}",Ana\n"{long}",Cy\nSmall,Ben\n', config())
    assert [r.text for r in parsed.reviews] == [long.strip(), "Small"]
    assert [(s.where, s.expected) for s in parsed.skipped] == [("export.csv row 2", False)]
    assert "over 100,000 characters: not stored" in parsed.skipped[0].reason
    assert csv.field_size_limit() >= before  # raised, never lowered


def test_one_latin1_row_in_a_utf8_export_is_read_alone_and_noted():
    # Issue 9, item 7: one bad byte made the whole file cp1252, "Luis Peña" became "Luis PeÃ±a".
    data = ("Name,Review\nLuis Peña,Muy amable\n".encode() + "José,Très bien\n".encode("latin-1")
            + 'Zoë,"Great ✓\non two lines"\nAna,Último\n'.encode())
    parsed = parse_csv_bytes(data, config())
    assert [r.author for r in parsed.reviews] == ["Luis Peña", "José", "Zoë", "Ana"]
    assert parsed.reviews[1].text == "Très bien" and parsed.reviews[2].text == "Great ✓\non two lines"
    assert [(n.where, n.reason) for n in parsed.notes] == [("export.csv row 3", "not valid UTF-8: read as Windows-1252")]


def test_an_empty_answer_is_a_normal_skip():
    parsed = parse_csv_text("Review,Name\n,Ana\nGood,Ben\n", config())
    assert [(s.where, s.expected) for s in parsed.skipped] == [("export.csv row 2", True)]


def test_utf16_without_bom_and_xlsx_and_forced_encoding():
    assert decode_export("Review\nOk\n".encode("utf-16-le"), "e.csv") == ("Review\nOk\n", [])
    with pytest.raises(ParseError, match="Excel workbook"):
        decode_export(b"PK\x03\x04rest-of-zip", "e.xlsx")
    assert decode_export("Review\ncafé\n".encode("latin-1"), "e.csv", encoding="latin-1") == ("Review\ncafé\n", [])


def test_names_combine_first_and_last_else_single_name():
    text = "First Name,Last Name,Name,Review\nAna,Lopez,,Good\n,,Ben Single,Fine\n"
    assert [r.author for r in parse_csv_text(text, config()).reviews] == ["Ana Lopez", "Ben Single"]


# --- the source: files, cursor, failures ------------------------------------------------------------------


def copy_fixtures(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def test_build_source_returns_the_csv_source():
    assert isinstance(build_source(config(path="x.csv")), CsvFormSource)


def test_glob_reads_every_file_in_sorted_order(tmp_path):
    copy_fixtures(tmp_path, "typeform.csv", "jotform.csv")
    batch = CsvFormSource(config("generic", str(tmp_path / "*.csv"))).collect(None, {})
    assert batch.pages == 2 and batch.complete is True
    assert batch.reviews[0].author == "Quinn Example"  # jotform.csv sorts before typeform.csv
    assert sorted(batch.cursor["files"]) == [str(tmp_path / "jotform.csv"), str(tmp_path / "typeform.csv")]


def test_no_matching_file_names_the_path(tmp_path):
    pattern = str(tmp_path / "exports" / "*.csv")
    with pytest.raises(SourceUnavailable, match="no file matches path") as raised:
        CsvFormSource(config(path=pattern)).collect(None, {})
    assert pattern in str(raised.value)


def test_unchanged_file_is_not_reread_and_batch_is_not_complete(tmp_path):
    copy_fixtures(tmp_path, "typeform.csv", "jotform.csv")
    source = CsvFormSource(config("generic", str(tmp_path / "*.csv")))
    first = source.collect(None, {})
    (tmp_path / "typeform.csv").write_text((FIXTURES / "typeform.csv").read_text(encoding="utf-8")
                                           + "z9,Zed,,4,Added later.,1,2026-11-23 09:00:00,2026-11-23 09:01:00,x\n",
                                           encoding="utf-8")
    second = source.collect(None, json.loads(json.dumps(first.cursor)))
    assert second.pages == 1 and second.complete is False
    assert {r.source for r in second.reviews} == {"generic-form"} and len(second.reviews) == 4
    assert set(second.cursor["files"]) == set(first.cursor["files"])
    assert second.cursor["files"][str(tmp_path / "jotform.csv")] == first.cursor["files"][str(tmp_path / "jotform.csv")]
    third = source.collect(None, second.cursor)
    assert (third.pages, third.reviews, third.complete) == (0, [], False)


def test_bad_file_is_skipped_and_the_others_are_read(tmp_path):
    copy_fixtures(tmp_path, "jotform.csv")
    (tmp_path / "a_notes.csv").write_text("When,Who\n2026-11-20,Ana\n", encoding="utf-8")
    (tmp_path / "b_workbook.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    batch = CsvFormSource(config("jotform", str(tmp_path / "*.csv"))).collect(None, {})
    assert batch.pages == 1 and len(batch.reviews) == 2 and batch.complete is False
    where = {s.where: s.reason for s in batch.skipped}
    assert "no review-text column" in where[str(tmp_path / "a_notes.csv")]
    assert "Excel workbook" in where[str(tmp_path / "b_workbook.csv")]
    assert list(batch.cursor["files"]) == [str(tmp_path / "jotform.csv")]


def test_every_file_failing_makes_the_source_unavailable(tmp_path):
    (tmp_path / "only.csv").write_text("When,Who\n2026-11-20,Ana\n", encoding="utf-8")
    with pytest.raises(SourceUnavailable, match="no review-text column"):
        CsvFormSource(config(path=str(tmp_path / "only.csv"))).collect(None, {})


def test_malformed_row_makes_the_batch_incomplete(tmp_path):
    copy_fixtures(tmp_path, "wpforms.csv")
    batch = CsvFormSource(config("wpforms", str(tmp_path / "wpforms.csv"))).collect(None, {})
    assert batch.complete is False and len(batch.reviews) == 3


def test_folder_path_reads_its_csv_files(tmp_path):
    copy_fixtures(tmp_path, "generic.csv")
    batch = CsvFormSource(config(path=str(tmp_path))).collect(None, {})
    assert len(batch.reviews) == 3


# --- real-world: Gravity Forms REST entry objects ---------------------------------------------------------

GF_META_HEADERS = {"id": "Entry Id", "date_created": "Entry Date", "date_updated": "Date Updated",
                   "source_url": "Source Url", "ip": "User IP", "user_agent": "User Agent"}
GF_NAME_INPUTS = {"2": "Prefix", "3": "First", "4": "Middle", "6": "Last", "8": "Suffix"}  # Name field inputs


def gravity_entry_as_export(entry: dict, labels: dict[str, str]) -> str:
    """A one-entry CSV the way Gravity Forms exports it: meta headers and "Label (Input)" for sub-inputs."""
    headers, values = [], []
    for key, value in entry.items():
        field_id, _, input_id = key.partition(".")
        if key in GF_META_HEADERS:
            headers.append(GF_META_HEADERS[key])
        elif field_id in labels:
            headers.append(f"{labels[field_id]} ({GF_NAME_INPUTS[input_id]})" if input_id else labels[field_id])
        elif key == "fields":  # the Field Helper plugin's friendly names, e.g. name_first
            headers.extend(value)
            values.extend(value.values())
            continue
        else:
            continue
        values.append("" if value is None else str(value))
    return ",".join(f'"{h}"' for h in headers) + "\n" + ",".join(f'"{v}"' for v in values) + "\n"


@pytest.mark.realworld
@pytest.mark.parametrize("name", ["entry_standard.json", "entry_friendly.json"])
def test_gravityforms_preset_reads_rest_entry_objects_field_naming(name):
    path = REALWORLD / "form-submission-formats" / "gravityforms" / name
    if not path.is_file():
        pytest.skip(f"{path} absent (realworld data lives beside the project checkout)")
    entry = json.loads(path.read_text(encoding="utf-8"))
    text = gravity_entry_as_export(entry, {"1": "Name", "3": "Your review"})
    columns = {"text": "beverage"} if "fields" in entry else {}
    review = parse_csv_text(text, config("gravityforms", columns=columns), where=name).reviews[0]
    assert review.external_id == entry["id"]
    assert review.author == "Jane Doe"
    assert review.published == entry["date_created"][:10] and review.published_raw == entry["date_created"]
    assert review.text == "Tea" and review.consent == Consent(given=None)
