"""A review that warns other patients away is not a testimonial, whatever its other sentences praise."""

from __future__ import annotations

import pytest

from pipeline.judge.scoring import score_record
from pipeline.publish.suggest import eligible, suggestion
from pipeline.settings import load_settings

PRAISE = "The nurses were lovely and kind. My friend and I both got a room quickly and the food was good."


def warns_others(text: str) -> bool:
    return any(f["name"] == "warning" for f in score_record(text).flags)


def suggested(text: str) -> bool:
    settings = load_settings(None, env={})
    scored = score_record(text)
    row = {"id": "r1", "text": text, "rating": None, "author": None, "compound": scored.compound,
           "sentences": scored.sentences, "flags": scored.flags, "version": 1}
    return eligible(row, settings) and suggestion(row, settings) is not None


@pytest.mark.parametrize("warning", ["Avoid for any surgery though.", "Avoid if you can.", "Avoid at any cost.",
                                     "Avoid Dr Patel.", "Never again.", "Stay away from this place.",
                                     "I will never go back to this clinic."])
def test_praise_with_a_warning_to_others_is_not_suggested(warning):
    assert suggested(PRAISE), "the praise alone should be suggested"
    assert warns_others(f"{PRAISE} {warning}")
    assert not suggested(f"{PRAISE} {warning}")
    [marked] = [f for f in score_record(f"{PRAISE} {warning}").flags if f["name"] == "warning"]
    start, end = marked["spans"][0]
    assert f"{PRAISE} {warning}"[start:end].lower() in warning.lower()  # the span points at the warning


@pytest.mark.parametrize("text", ["They helped me avoid surgery. Wonderful, caring staff.",
                                  "Thanks to the team I could avoid another hospital stay. Wonderful care."])
def test_avoiding_something_with_the_practice_help_is_no_warning(text):
    assert not warns_others(text)
    assert suggested(text)


def test_every_flag_scoring_gives_is_explained_to_staff():
    """A flag the staff app has no words for would be shown as a bare name, its reason lost."""
    from tests.judgement_corpus import read_golden
    from web.staff.formatting import FLAG_WORDS

    names = {f["name"] for record in read_golden() for f in record["judgement"]["flags"]}
    assert "warning" in names and not names - set(FLAG_WORDS)
