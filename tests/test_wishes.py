"""Requests, wishes, counterfactuals and suggestions are not praise (issue 12, section 1).

Every sentence here is our own; bench/wishes.py measures the detector on the labelled set.
"""

import json
from pathlib import Path

import pytest

from pipeline.judge import sentiment
from pipeline.judge.detectors.wishes import explain, has_trigger_words, is_wish, wish_kind
from pipeline.judge.scoring import SUGGESTION_DETAIL, score_record
from pipeline.judge.sentiment import score_sentences_plain, score_text
from pipeline.publish.quotes import fallback_excerpt, suggest_excerpt
from pipeline.publish.suggest import eligible

LABELLED = Path(__file__).resolve().parents[1] / "bench" / "data" / "wishes_labelled.jsonl"

# The issue's examples: VADER reads each as praise.
ISSUE_EXAMPLES = [
    "Would be good to have more staff at weekends.",
    "If the waiting time were shorter it would have been great.",
    "Please bring back the evening classes.",
    "Improve communication between staff and patients.",
    "More information on side effects would help.",
]


@pytest.fixture(autouse=True)
def default_clinic_rules():
    sentiment.configure(None)
    yield
    sentiment.configure(None)


@pytest.mark.parametrize("text", ISSUE_EXAMPLES)
def test_polite_suggestions_read_by_vader_as_praise_score_at_most_neutral(text):
    assert score_sentences_plain(text).compound > 0  # what plain VADER makes of them
    assert is_wish(text)
    assert score_text(text).compound <= 0


@pytest.mark.parametrize("text, kind", [
    ("It would be nice to get a text reminder the day before.", "suggestion"),
    ("I wish they had evening hours.", "wish"),
    ("If only the office were open on Saturdays.", "counterfactual"),
    ("Would have been five stars if the billing had been clearer.", "counterfactual"),
    ("Could you please offer more afternoon slots?", "request"),
    ("The check-in process could be faster.", "suggestion"),
    ("The phone system needs work.", "suggestion"),
    ("They should answer the phone more often.", "suggestion"),
    ("Hire more staff.", "suggestion"),
    ("Don't make patients wait an hour past their appointment time.", "suggestion"),
    ("Shorter wait times.", "suggestion"),
    ("More parking needed.", "suggestion"),
    ("I would like to see more evening appointments.", "wish"),
    ("Hopefully they will fix the phone system.", "wish"),
    ("My only suggestion would be to run on time.", "suggestion"),
])
def test_forms_of_wishes_are_recognised_by_kind(text, kind):
    assert wish_kind(text) == kind


@pytest.mark.parametrize("text", [
    "Nothing, everything was perfect.",  # the answer to "anything we could improve?"
    "Nothing to improve.",
    "N/A",
    "I would recommend this clinic to anyone.",
    "I would come back in a heartbeat.",
    "If I could give ten stars I would.",
    "If it weren't for Dr. Patel I wouldn't be walking today.",
    "Keep up the great work!",
    "Please keep doing what you are doing.",
    "Don't change a thing.",
    "I wish I had found them sooner.",
    "I wish every doctor was as kind as Dr. Okafor.",
    "They should be proud of their nurses.",
    "Everyone should know about this place.",
    "Go see Dr. Morales, you won't regret it.",
    "The nurse would check on me every fifteen minutes.",
    "Better than any clinic I have been to.",
    "Less pain and more energy after three infusions.",
    "Huge improvement in my mood after the second session.",
    "They gave me everything I needed.",
    "I couldn't have asked for better care.",
])
def test_praise_that_looks_like_a_wish_is_not_one(text):
    assert explain(text) is None
    assert not score_text(text).wishes and score_text(text).compound >= 0


@pytest.mark.parametrize("text", [
    "Nothing, everything was perfect.", "Nothing at all, thank you!", "Nothing.", "I can't think of anything.",
    "There is nothing I would change.", "No changes needed.",
])
def test_nothing_to_improve_is_praise(text):
    # plain VADER reads "nothing" as a negation: "Nothing, everything was perfect." scores -0.46
    assert score_text(text).compound > 0.15


def test_imperatives_are_found_without_any_trigger_word_in_the_review():
    text = "Hire more staff. Extend the opening hours on Fridays."
    assert not has_trigger_words(text)
    assert all(is_wish(s, triggered=False) for s in ("Hire more staff.", "Extend the opening hours on Fridays."))
    assert not is_wish("Staff are friendly and kind.", triggered=False)


def test_a_wish_sentence_is_never_part_of_a_suggested_excerpt():
    text = ("The nurses were wonderful and kind. It would be great to have more parking spaces. "
            "Dr. Lee explained everything clearly and I felt safe.")
    scored = score_record(text, 5)
    wish = text.index("It would"), text.index(" Dr. Lee")
    assert [f["spans"] for f in scored.flags if f["name"] == "suggestion"] == [[list(wish)]]
    assert all(f["detail"] == SUGGESTION_DETAIL for f in scored.flags if f["name"] == "suggestion")
    for excerpt in (suggest_excerpt(text, scored.sentences, scored.flags, 1000),
                    fallback_excerpt(text, scored.sentences, scored.flags, 1000)):
        assert excerpt and "parking" not in excerpt and "nurses" in excerpt


def test_a_review_made_only_of_suggestions_is_not_suggested(make_settings):
    text = "Would be good to have more staff at weekends. Please bring back the evening classes."
    scored = score_record(text)
    assert scored.compound <= 0 and suggest_excerpt(text, scored.sentences, scored.flags) is None
    assert not eligible({"compound": scored.compound, "rating": None, "flags": scored.flags}, make_settings())


def test_negative_wish_sentences_keep_their_score():
    # "at most neutral": a complaint phrased as a request stays as negative as VADER reads it
    text = "Please stop being so rude to patients."
    assert score_text(text).compound == score_sentences_plain(text).compound < 0


@pytest.mark.parametrize("holdout", [False, True])
def test_labelled_set_precision_and_recall(holdout):
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if bool(r.get("holdout")) == holdout]
    found = [is_wish(r["text"]) for r in rows]
    gold = [r["label"] == "wish" for r in rows]
    hits = sum(f and g for f, g in zip(found, gold))
    assert len(rows) >= 100 and hits / sum(found) >= 0.95 and hits / sum(gold) >= 0.9
