"""Shouting: long text mostly in capitals gets a flag with its reason, is held from suggestion, and its
capitals never raise its score (VADER boosts ALL-CAPS words)."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.judge.detectors.shouting import is_shouting, shouting
from pipeline.judge.scoring import score_record
from pipeline.judge.sentiment import score_text
from pipeline.publish.suggest import eligible
from pipeline.settings import load_settings
from plaudit.jsonl import scored_output

POLITE_RANT = ("THE STAFF WERE GREAT AND THE DOCTOR WAS VERY KIND TO my mother during her stay. THANK YOU ALL SO "
               "MUCH FOR EVERYTHING you did.")


def test_long_text_mostly_in_capitals_is_flagged_with_its_reason():
    assert shouting(POLITE_RANT) == [{"name": "shouting", "detail": "18 of 25 words in capitals", "spans": []}]


def test_short_capitals_and_acronyms_are_not_shouting():
    assert shouting("GREAT SERVICE, THANK YOU ALL!") == []
    assert shouting("The MRI and CT were quick, the ER and ICU teams were kind, and the OT staff explained a lot.") == []
    assert shouting(POLITE_RANT.lower()) == []


def test_capitals_do_not_raise_the_score():
    boosted = score_text(POLITE_RANT).compound  # plain clinic-tuned VADER reads the capitals as emphasis
    scored = score_record(POLITE_RANT).compound
    assert scored == score_text(POLITE_RANT.lower()).compound
    assert scored < boosted


_WORDS = st.sampled_from("the staff doctor nurse was were great kind good bad rude awful very so and but not "
                         "helpful waited hours thank you love never again best worst".split())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=3, max_size=12), min_size=2, max_size=4),
       st.lists(st.booleans(), min_size=48, max_size=48))
def test_shouting_never_scores_above_the_same_text_lower_cased(sentences, lower_mask):
    words = [w for sentence in sentences for w in sentence + ["."]]
    text = " ".join(w.lower() if lower_mask[i % 48] and i % 4 == 0 else w.upper() for i, w in enumerate(words))
    assume(is_shouting(text))
    assert score_record(text).compound <= score_record(text.lower()).compound


def test_shouting_is_held_from_suggestion_until_a_person_reads_it():
    scored = score_record(POLITE_RANT, 5)
    assert scored.compound >= 0.5
    assert not eligible({"compound": scored.compound, "rating": 5, "flags": scored.flags}, load_settings(None, env={}))
    out = scored_output({"id": "1", "text": POLITE_RANT, "rating": 5}, load_settings(None, env={}))
    assert out["suggest"] is False and "shouting" in {f["name"] for f in out["flags"]}
