"""The re-implemented VADER loop (`pipeline.judge.vader`) gives vaderSentiment's compound score, to the bit."""

from __future__ import annotations

import random

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from pipeline.judge import vader
from pipeline.judge.sentiment import _tuned, analyzer

VADER_EXAMPLES = [
    "VADER is smart, handsome, and funny.", "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.", "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, handsome, and FUNNY!!!", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.", "The book was good.", "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.", "Today SUX!",
    "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!", "Not bad at all",
    "", "   ", "!!!", "No pain, no gain?", "no good or bad", "It was the shit", "never so good", "never this bad",
    "without a doubt great", "without doubt the best", "the least bad option", "at least good", "very least good",
    "least good", "It's kind of great but sort of bad", "This is just enough good", "yeah right, great",
    "good, good, but good", "bad bad BAD but good good", "He is GREAT great but no, not good",
]

# Words chosen to exercise every rule: lexicon words, boosters and dampeners (one and several words), negations,
# "no", "least", "but", "so"/"this", idioms, emoticons, punctuation and capitals.
VOCABULARY = """good bad great kind of sort just enough no not never without doubt least at very so this but
extremely barely kinda the shit bus stop to die for kiss death yeah right beating heart cut mustard isn't didn't
or nor love hate pain helped cured care happy sad okay fine terrible wonderful nothing rarely despite really
:) :( lol ok the a my was is and staff nurse doctor""".split()
DECOR = ["", "", "", "!", "?", ",", ".", "!!", "...", "'", "("]


def _sentence(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(1, 14)):
        word = rng.choice(VOCABULARY)
        if rng.random() < 0.15:
            word = word.upper()
        elif rng.random() < 0.1:
            word = word.capitalize()
        words.append(rng.choice(DECOR[:4]) * (rng.random() < 0.05) + word + rng.choice(DECOR))
    return " ".join(words)


@pytest.mark.parametrize("sentence", VADER_EXAMPLES)
def test_vader_examples_score_as_vader_scores_them(sentence):
    for lexicon_owner in (analyzer(), _tuned().analyzer):
        expected = SentimentIntensityAnalyzer.polarity_scores(lexicon_owner, sentence)["compound"]
        assert vader.compound(sentence, lexicon_owner.lexicon) == expected


def test_generated_sentences_score_as_vader_scores_them():
    rng = random.Random(12)
    plain, tuned = analyzer(), _tuned().analyzer
    differ = []
    for _ in range(20_000):
        sentence = _sentence(rng)
        for owner in (plain, tuned):
            expected = SentimentIntensityAnalyzer.polarity_scores(owner, sentence)["compound"]
            if vader.compound(sentence, owner.lexicon) != expected:
                differ.append(sentence)
    assert not differ, differ[:10]


def test_a_lexicon_with_boosters_and_negations_in_it_scores_as_vader_scores_it():
    owner = SentimentIntensityAnalyzer()
    owner.lexicon = {**analyzer().lexicon, "very": 1.0, "not": -1.0, "least": 0.5, "so": 0.7, "but": 0.3}
    rng = random.Random(3)
    for _ in range(5_000):
        sentence = _sentence(rng)
        assert vader.compound(sentence, owner.lexicon) == owner.polarity_scores(sentence)["compound"], sentence


def test_sentences_full_of_idiom_and_booster_words_score_as_vader_scores_them():
    rng = random.Random(8)
    words = sorted(vader._IDIOM_WORDS | vader._SHIFTERS) + VOCABULARY
    plain, tuned = analyzer(), _tuned().analyzer
    for _ in range(10_000):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(1, 10)))
        for owner in (plain, tuned):
            expected = SentimentIntensityAnalyzer.polarity_scores(owner, sentence)["compound"]
            assert vader.compound(sentence, owner.lexicon) == expected, sentence
