"""The inbox (append-only, deliveries deduplicated) and the `inbox` source that reads it into the pipeline."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline import steps
from pipeline.models import SourceConfig
from pipeline.publish.build import summary_rows
from pipeline.runs import begin_run
from pipeline.settings import load_settings
from pipeline.sources import build_source
from pipeline.sources.hosted_form import TOOL, check_submission, consent_version
from storage.inbox import append, dedupe_key, open_inbox, read_after
from tests.publicdata import public_settings

FORM = {"text": "The nurses were wonderful and kind to my mother.", "rating": "5", "name": "Patsy Rogers",
        "email": "patsy@example.com", "location": "tampa", "consent": "yes"}


@pytest.fixture
def settings(tmp_path):
    return public_settings(tmp_path)


def submit(settings, db, form=FORM, at="2026-11-20T10:00:00+00:00"):
    checked = check_submission({**form, "consent_version": consent_version(settings.review_consent_text)},
                               settings, at)
    assert checked.payload is not None, checked.errors
    return append(db, TOOL, checked.payload, received_at=at)


def test_a_delivery_sent_twice_is_stored_once(settings):
    db = open_inbox(settings.inbox_db)
    first = append(db, "gravityforms-webhook", {"Entry Id": "17", "Your review": "Lovely staff."})
    again = append(db, "gravityforms-webhook", {"Your review": "Lovely staff.", "Entry Id": "17"})
    other = append(db, "gravityforms-webhook", {"Entry Id": "18", "Your review": "Lovely staff."})
    keyed = append(db, "typeform-webhook", {"text": "changed"}, key="delivery-abc")
    replay = append(db, "typeform-webhook", {"text": "changed again"}, key="delivery-abc")
    assert first == (first[0], True) and again == (first[0], False) and other[1] is True
    assert replay == (keyed[0], False)
    assert [row["id"] for row in read_after(settings.inbox_db, 0)] == [first[0], other[0], keyed[0]]
    assert dedupe_key("a", {"x": 1, "y": 2}) == dedupe_key("a", {"y": 2, "x": 1}) != dedupe_key("b", {"x": 1, "y": 2})


def test_the_inbox_refuses_updates_and_deletes(settings):
    db = open_inbox(settings.inbox_db)
    append(db, TOOL, {"text": "hello there"})
    for statement in ("UPDATE submissions SET payload = '{}'", "DELETE FROM submissions"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(statement)
    assert len(read_after(settings.inbox_db, 0)) == 1


def test_no_inbox_yet_reads_as_nothing(settings):
    assert read_after(settings.inbox_db, 0) == []
    source = build_source(SourceConfig(name="hosted-form", kind="inbox", path=str(settings.inbox_db)))
    batch = source.collect(None, {})
    assert batch.reviews == [] and batch.cursor == {"after_id": 0} and not batch.complete


def test_inbox_source_reads_each_delivery_once_with_its_consent_version(settings):
    db = open_inbox(settings.inbox_db)
    row_id, _ = submit(settings, db)
    source = build_source(SourceConfig(name="hosted-form", kind="inbox", path=str(settings.inbox_db)))
    batch = source.collect(None, {})
    [review] = batch.reviews
    assert review.text == FORM["text"] and review.rating == 5.0 and review.author == "Patsy Rogers"
    assert review.email == "patsy@example.com" and review.location == "tampa"
    assert review.external_id == f"inbox-{row_id}" and review.published == "2026-11-20"
    assert review.consent.given is True and review.consent.text == settings.review_consent_text
    assert review.consent.text_version == consent_version(settings.review_consent_text)
    assert batch.cursor == {"after_id": row_id}
    assert source.collect(None, batch.cursor).reviews == []
    declined, _ = submit(settings, db, {**FORM, "text": "Long wait, kind nurse though.", "consent": ""})
    [later] = source.collect(None, batch.cursor).reviews
    assert later.consent.given is False and later.external_id == f"inbox-{declined}"


def test_a_tool_payload_is_mapped_by_the_tools_preset_and_bad_rows_are_reported(settings):
    db = open_inbox(settings.inbox_db)
    append(db, "gravityforms", {"Entry Id": "88", "Name (First)": "Maria", "Name (Last)": "Lopez",
                                "Your review": "Warm, welcoming staff.", "Consent (Consent)": "Checked"})
    append(db, "gravityforms", {"Entry Id": "89", "Favourite colour": "blue"})
    batch = build_source(SourceConfig(name="hooks", kind="inbox", path=str(settings.inbox_db),
                                      consent_version="gf-2026")).collect(None, {})
    [review] = batch.reviews
    assert (review.external_id, review.author, review.consent.given) == ("88", "Maria Lopez", True)
    assert review.consent.text_version == "gf-2026"
    assert [s.where for s in batch.skipped] == ["inbox row 2"] and "no review-text field" in batch.skipped[0].reason


def test_consent_version_follows_the_wording(settings):
    assert consent_version("I agree.") == consent_version("I  agree.\n") != consent_version("I agree!")
    assert consent_version(settings.review_consent_text).startswith("form-")


def test_form_rules_report_every_problem_and_keep_what_was_typed(settings):
    typed = {"text": "  short  ", "rating": "6", "email": "not-an-email", "location": "miami", "name": "x" * 81,
             "consent": "yes", "consent_version": "form-old"}
    checked = check_submission(typed, settings, "2026-11-20T10:00:00+00:00")
    assert checked.payload is None
    assert set(checked.errors) == {"text", "rating", "email", "location", "name", "consent"}
    assert checked.values["text"] == "short" and checked.values["email"] == "not-an-email"
    assert "changed since the page was opened" in checked.errors["consent"]
    long = check_submission({"text": "x" * (settings.review_form_max_chars + 1), "rating": "4"}, settings, "now")
    assert "the most this form takes is 5,000" in long.errors["text"] and len(long.values["text"]) == 5001
    fine = check_submission({"text": "Kind staff, short wait.", "rating": "4"}, settings, "now")
    assert fine.payload["consent"] == "no" and fine.payload["consent_text"] == settings.review_consent_text


def test_summary_counts_each_configured_location_and_never_publishes_typed_locations(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    settings = public_settings(folder)
    config = settings.config_path
    config.write_text(config.read_text() + '\n[[sources]]\nname = "hosted-form"\nkind = "inbox"\n'
                      'label = "Review form"\nlocation = "tampa"\n')
    settings = load_settings(config, env={})
    db = open_inbox(settings.inbox_db)
    for text, rating, location in (("Kind staff in Tampa.", "5", "tampa"), ("Slow desk in Orlando.", "2", "orlando"),
                                   ("Fine visit overall.", "4", "Downtown <b>office</b>"), ("Good care.", "3", "")):
        append(db, TOOL, {"text": text, "rating": rating, "location": location})
    steps.collect_source(settings, "hosted-form", None, begin_run(settings, "test"))
    with steps.open_store(settings) as store:
        rows = summary_rows(store, settings)
    assert [(r["location"], r["review_count"], r["average_rating"]) for r in rows] == [
        ("tampa", 3, 4.0), ("orlando", 1, 2.0)]  # typed text counts under the source's own location
    assert "Downtown" not in repr(rows)


def test_a_large_inbox_is_read_whole_a_chunk_at_a_time(settings, monkeypatch):
    monkeypatch.setattr("pipeline.sources.inbox.CHUNK", 3)
    db = open_inbox(settings.inbox_db)
    for n in range(8):
        append(db, TOOL, {"text": f"Review number {n}, kind staff.", "rating": "5"})
    batch = build_source(SourceConfig(name="hosted-form", kind="inbox", path=str(settings.inbox_db))).collect(None, {})
    assert [r.text for r in batch.reviews] == [f"Review number {n}, kind staff." for n in range(8)]
    assert batch.cursor == {"after_id": 8} and batch.pages == 3


def test_read_deliveries_are_blanked_after_inbox_keep_days_and_retries_still_known(tmp_path):
    """Retention blanks what the pipeline read and is old; unread or recent rows keep their fields."""
    settings = public_settings(tmp_path)
    config = settings.config_path
    config.write_text(config.read_text() + '\n[[sources]]\nname = "hosted-form"\nkind = "inbox"\n')
    settings = load_settings(config, env={}, inbox_keep_days=30)
    db = open_inbox(settings.inbox_db)
    old, _ = submit(settings, db, at="2026-01-05T10:00:00+00:00")
    recent, _ = submit(settings, db, {**FORM, "text": "Second visit, just as kind."}, at="2099-01-01T10:00:00+00:00")
    steps.collect_source(settings, "hosted-form", None, begin_run(settings, "test"))
    unread, _ = submit(settings, db, {**FORM, "text": "Arrived after the run, not yet read."},
                       at="2026-01-06T10:00:00+00:00")

    assert steps.apply_retention(settings)["inbox_blanked"] == 1
    rows = {r["id"]: r for r in read_after(settings.inbox_db, 0)}
    assert rows[old]["payload"] == {} and rows[recent]["payload"]["text"] and rows[unread]["payload"]["text"]
    assert steps.apply_retention(settings)["inbox_blanked"] == 0  # once only
    again = submit(settings, db, at="2026-01-05T10:00:00+00:00")  # the same delivery retried
    assert again == (old, False)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # the guard is back
        db.execute("UPDATE submissions SET payload = '{}'")
    with steps.open_store(settings) as store:  # the review itself was kept in the internal store
        assert store.execute("SELECT count(*) FROM reviews WHERE text LIKE 'The nurses were wonderful%'").fetchone()[0] == 1
