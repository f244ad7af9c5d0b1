"""Excerpts built by keeping sentences or striking words, and the optimistic check on concurrent decisions."""

from __future__ import annotations

import pytest

from pipeline.errors import NotPublishable
from pipeline.publish import decisions
from pipeline.publish.concurrency import ChangedMeanwhile, edits
from pipeline.publish.excerpts import diff_segments, from_sentences, from_struck_words
from pipeline.publish.quotes import is_deletion
from pipeline.runs import run_nightly
from pipeline.steps import open_store
from tests.test_pipeline_e2e import quote_ids, setup  # noqa: F401 (fixture)

TEXT = "The nurses were kind and very patient. Parking was awful. Dr. Lee explained everything, twice!"


@pytest.mark.parametrize("edited, expected", [
    ("The nurses were kind and patient.", "The nurses were kind and … patient."),
    ("The nurses were kind … explained everything", "The nurses were kind … explained everything"),
    ("nurses were kind and very patient. Dr. Lee explained everything, twice!",
     "nurses were kind and very patient. … Dr. Lee explained everything, twice!"),
    ("Parking was wonderful.", None),  # a changed word
    ("patient. The nurses", None),  # reordered
    ("", None),
])
def test_struck_words_become_elisions(edited, expected):
    result = from_struck_words(TEXT, edited)
    assert result == expected
    if result:
        assert is_deletion(TEXT, result)


def test_sentences_and_diff():
    sentences = [(0, 38, 0.6), (39, 57, -0.5), (58, len(TEXT), 0.4)]
    excerpt = from_sentences(TEXT, sentences, {0, 2})
    assert excerpt == "The nurses were kind and very patient. … Dr. Lee explained everything, twice!"
    segments = diff_segments(TEXT, excerpt)
    assert "".join(piece for piece, _ in segments) == TEXT
    assert [piece for piece, kept in segments if not kept] == [" Parking was awful. "]
    assert diff_segments(TEXT, "Parking was lovely.") is None


def test_the_second_of_two_concurrent_decisions_is_refused_with_who_decided(setup):  # noqa: F811
    settings, _ = setup
    run_nightly(settings)
    quote = quote_ids(settings, "review-form")[0]
    with open_store(settings) as db:
        seen = edits(db, quote)  # both staff opened the page now
        decisions.approve(db, settings, quote, "amy", seen=seen)
        with pytest.raises(ChangedMeanwhile) as refused:
            decisions.reject(db, settings, quote, "bob", seen=seen)
        assert refused.value.actor == "amy"
        assert db.execute("SELECT status, decided_by FROM quotes WHERE id = ?", (quote,)).fetchone() == (
            "approved", "amy")
        fresh = edits(db, quote)
        with pytest.raises(NotPublishable):  # a refused decision leaves the counter alone
            decisions.approve(db, settings, quote, "amy", decisions.Approval(excerpt="Words never written."),
                              seen=fresh)
        assert edits(db, quote) == fresh
