"""Clinic rules by classes of language (issue 12, section 2): conditions, relief, failed treatment, side effects,
earlier care, warnings and how patients say they were treated.

Every sentence here is our own. The real-world checks read ../shared/realworld at run time and print no text.
"""

from pathlib import Path

import numpy as np
import pytest

from pipeline.judge import sentiment
from pipeline.judge.detectors.earlier_care import about_earlier_care
from pipeline.judge.sentiment import score_text, score_whole

ICWSM = Path(__file__).resolve().parents[1].parent / "shared" / "realworld" / "vader-icwsm2014"


@pytest.fixture(autouse=True)
def default_clinic_rules():
    sentiment.configure(None)
    yield
    sentiment.configure(None)


@pytest.mark.parametrize("text", [
    "I came in with a kidney problem.",  # plain VADER -0.40
    "My father had heart surgery here last month.",  # +0.64: "heart" is praise to VADER
    "I have had back problems for years.",
    "I broke my wrist in a fall.",
    "I have been battling depression for a decade.",
    "I was referred for a heart problem.",
    "I was nervous before my first infusion.",
    "I was worried about the procedure.",
])
def test_condition_and_the_fear_before_care_are_not_verdicts(text):
    assert abs(score_text(text).compound) < 0.2


@pytest.mark.parametrize("text", [
    "I am back at work after six months off.",
    "I was able to return to work.",
    "I'm off all my pain medication now.",  # plain VADER -0.51
    "I no longer need a cane.",
    "I'm walking without a limp.",
    "Pain almost gone in eight hours.",
    "I finally found a doctor who listens.",
    "We were treated like family.",
])
def test_relief_and_recovery_read_positive(text):
    assert score_text(text).compound > 0.2


@pytest.mark.parametrize("text", [
    "The medication did nothing for my pain.",  # plain VADER +0.40
    "It didn't do anything for me.",
    "Nothing they tried worked.",
    "It only helped for a day.",
    "The relief lasted only a few hours.",  # plain VADER +0.48
])
def test_treatment_that_did_not_work_reads_negative(text):
    assert score_text(text).compound < -0.2


@pytest.mark.parametrize("text", [
    "I was treated like a number.",  # plain VADER +0.42 ("like")
    "They made me feel like a drug seeker.",
    "The doctor did not listen.",
    "He has no bedside manner.",
    "I felt rushed.",
    "Save your time and money.",  # plain VADER +0.49 ("save")
    "Think twice before going here.",
    "Avoid this place.",
    "They order unnecessary tests to make money.",
    "The last clinic was a nightmare and this one is worse.",
])
def test_poor_care_and_warnings_read_negative(text):
    assert score_text(text).compound < -0.2


@pytest.mark.parametrize("text", [
    "My previous doctor never listened to me.",
    "I saw five specialists before and none of them could help.",
    "For years nobody could tell me what was wrong.",
    "I was in terrible pain before I found this clinic.",
    "The last clinic I went to was a nightmare.",
])
def test_complaints_about_earlier_care_are_not_complaints_about_this_practice(text):
    assert about_earlier_care(text)
    assert score_text(text).compound == 0


@pytest.mark.parametrize("text", [
    "The last clinic was a nightmare and this one is worse.",
    "I had to go to another hospital because nobody saw me.",
    "The nurse here was rude.",
])
def test_a_sentence_that_also_judges_this_practice_keeps_its_score(text):
    assert not about_earlier_care(text)


def test_earlier_care_only_lifts_negative_sentences():
    text = "Much better than my last doctor."
    assert score_text(text).compound == pytest.approx(score_whole(text), abs=0.01) and score_whole(text) > 0


def test_no_relief_reading_for_nothing_in_the_middle_of_a_sentence():
    assert score_text("It did nothing at all for my pain.").compound < 0


@pytest.mark.realworld
def test_tuned_scorer_keeps_vaders_behaviour_on_general_text():
    """Issue 12: within 0.02 Pearson r of plain VADER on each ICWSM 2014 set (bench/general_text.py)."""
    if not ICWSM.is_dir():
        pytest.skip(f"{ICWSM} is not present (third-party data, not shipped with Plaudit)")
    from bench.general_text import SETS, load

    for file in SETS.values():
        texts, means = load(ICWSM / file)
        plain = np.corrcoef([score_whole(t) for t in texts], means)[0, 1]
        tuned = np.corrcoef([score_text(t).compound for t in texts], means)[0, 1]
        assert abs(tuned - plain) <= 0.02, file
