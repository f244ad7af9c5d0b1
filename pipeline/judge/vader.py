"""VADER 3.3.2's compound score, computed the same way with less work (issue 12: scoring at twice the speed).

vaderSentiment lower-cases the sentence's whole word list again for every check around every sentiment word
(its negation and idiom checks each build a lower-cased copy), and computes the positive, negative and neutral
shares nobody here reads. That made it most of the score stage's time. This module lower-cases each word once
and otherwise follows VADER's steps in VADER's order, with VADER's own constants and its "but" step, so every
float operation is the same and so is the compound score (quirks included: a "so" or "this" just before a word
three places after another raises it too). A sentiment word with no negation, booster, "so"/"this", "least"
or idiom word where VADER looks keeps its lexicon valence without the look-back steps, which could not change
it. `tests/test_vader.py` compares the two on VADER's examples and on generated sentences full of negations,
boosters, idioms and capitals; `tests/test_judgement_unchanged.py` on every pinned review. Text with
emoji is VADER's own business: the caller sends it to vaderSentiment.
Settings: none.
"""

from __future__ import annotations

import math
import string

from vaderSentiment.vaderSentiment import (BOOSTER_DICT, C_INCR, N_SCALAR, NEGATE, SPECIAL_CASES,
                                           SentimentIntensityAnalyzer)

from pipeline.judge.tokens import TokenMemo

_NEGATE = frozenset(NEGATE)
_PUNCTUATION = string.punctuation
_but_check = SentimentIntensityAnalyzer._but_check  # rare, and order-sensitive: VADER's own code
# Every word of VADER's idioms and multi-word boosters: without one nearby, no idiom can match.
_IDIOM_WORDS = frozenset(w for phrase in [*SPECIAL_CASES, *BOOSTER_DICT] if " " in phrase for w in phrase.split())
# Words that change a sentiment word up to three places after them (with "n't" words): without one, and without
# an idiom word near, a sentiment word keeps its lexicon valence.
_SHIFTERS = _NEGATE | frozenset(w for w in BOOSTER_DICT if " " not in w) | {"no", "never", "so", "this", "without",
                                                                           "least"}


def _vader_word(token: str) -> str:
    """VADER's word for a token: outer punctuation removed, unless that leaves two characters or fewer."""
    stripped = token.strip(_PUNCTUATION)
    return token if len(stripped) <= 2 else stripped


_WORDS = TokenMemo(_vader_word)


def compound(text: str, lexicon: dict[str, float]) -> float:
    """VADER's compound score of a text without emoji, with this lexicon (rounded to 4 places, as VADER does)."""
    words = list(map(_WORDS.__getitem__, text.split()))
    if text.isascii():  # one lower() for the sentence: ASCII lower-cases letter by letter, the words hold no space
        joined = " ".join(words).lower()
        lowers = joined.split(" ")
    else:
        lowers = [word.lower() for word in words]
        joined = " ".join(lowers)
    if lexicon.keys().isdisjoint(lowers):
        return 0.0  # every word scores 0
    sentiments = _sentiments(words, lowers, lexicon, "n't" in joined)
    if "but" in lowers:
        sentiments = _but_check(words, sentiments)
    total = float(sum(sentiments))
    emphasis = _punctuation_emphasis(text)
    if total > 0:
        total += emphasis
    elif total < 0:
        total -= emphasis
    return round(_normalize(total), 4)


def _sentiments(words: list[str], lowers: list[str], lexicon: dict[str, float], contractions: bool) -> list[float]:
    """Each word's valence: 0 for boosters, "kind of" and words outside the lexicon (`contractions`: a word holds
    "n't")."""
    some_caps = 0 < sum(map(str.isupper, words)) < len(words)
    last = len(words) - 1
    sentiments: list[float] = [0] * len(words)
    for i in [i for i, lower in enumerate(lowers) if lower in lexicon]:  # most words are not
        lower = lowers[i]
        if lower not in BOOSTER_DICT and not (lower == "kind" and i < last and lowers[i + 1] == "of"):
            sentiments[i] = _valence(i, words, lowers, lexicon, some_caps, contractions)
    return sentiments


def _valence(i: int, words: list[str], lowers: list[str], lexicon: dict[str, float], some_caps: bool,
             contractions: bool = True) -> float:
    """VADER's `sentiment_valence` for the lexicon word at i (`contractions`: some word holds "n't")."""
    lower = lowers[i]
    valence = lexicon[lower]
    if (not contractions and lower != "no" and _SHIFTERS.isdisjoint(lowers[max(0, i - 3):i])
            and not _near_idiom(lowers, i)):
        # nothing before it can boost, negate or dampen it, and no idiom is near: only capitals count
        if some_caps and words[i].isupper():
            return valence + C_INCR if valence > 0 else valence - C_INCR
        return valence
    if lower == "no" and i != len(words) - 1 and lowers[i + 1] in lexicon:
        valence = 0.0  # "no" negates the next word instead
    if ((i > 0 and lowers[i - 1] == "no") or (i > 1 and lowers[i - 2] == "no")
            or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in ("or", "nor"))):
        valence = lexicon[lower] * N_SCALAR
    if some_caps and words[i].isupper():
        valence = valence + C_INCR if valence > 0 else valence - C_INCR
    for back in range(3):
        before = i - back - 1
        if before >= 0 and lowers[before] not in lexicon:
            scalar = _scalar(words[before], lowers[before], valence, some_caps) if lowers[before] in BOOSTER_DICT else 0.0
            if back == 1 and scalar != 0:
                scalar = scalar * 0.95
            if back == 2 and scalar != 0:
                scalar = scalar * 0.9
            valence = _negation(valence + scalar, lowers, back, i)
            if back == 2 and _near_idiom(lowers, i):
                valence = _idioms(valence, lowers, i)
    return _least(valence, lowers, i, lexicon)


def _near_idiom(lowers: list[str], i: int) -> bool:
    """Whether an idiom or multi-word booster could match around the word at i (i > 2: VADER looks only then).

    Every n-gram VADER tries there holds the word itself or the word two places before it."""
    return i > 2 and (lowers[i] in _IDIOM_WORDS or lowers[i - 2] in _IDIOM_WORDS)


def _scalar(word: str, lower: str, valence: float, some_caps: bool) -> float:
    """VADER's `scalar_inc_dec`: what a booster or dampener before a sentiment word adds to it."""
    scalar = 0.0
    if lower in BOOSTER_DICT:
        scalar = BOOSTER_DICT[lower]
        if valence < 0:
            scalar *= -1
        if word.isupper() and some_caps:
            scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
    return scalar


def _negated(lower: str) -> bool:
    return lower in _NEGATE or "n't" in lower


def _negation(valence: float, lowers: list[str], back: int, i: int) -> float:
    """VADER's `_negation_check` for the word `back + 1` places before i."""
    if back == 0:
        return valence * N_SCALAR if _negated(lowers[i - 1]) else valence
    if back == 1:
        if lowers[i - 2] == "never" and lowers[i - 1] in ("so", "this"):
            return valence * 1.25
        if lowers[i - 2] == "without" and lowers[i - 1] == "doubt":
            return valence
        return valence * N_SCALAR if _negated(lowers[i - 2]) else valence
    if (lowers[i - 3] == "never" and lowers[i - 2] in ("so", "this")) or lowers[i - 1] in ("so", "this"):
        return valence * 1.25
    if lowers[i - 3] == "without" and (lowers[i - 2] == "doubt" or lowers[i - 1] == "doubt"):
        return valence
    return valence * N_SCALAR if _negated(lowers[i - 3]) else valence


def _idioms(valence: float, lowers: list[str], i: int) -> float:
    """VADER's `_special_idioms_check` around the word at i (i > 2)."""
    one, two, three, zero = lowers[i - 1], lowers[i - 2], lowers[i - 3], lowers[i]
    for sequence in (f"{one} {zero}", f"{two} {one} {zero}", f"{two} {one}", f"{three} {two} {one}",
                     f"{three} {two}"):
        if sequence in SPECIAL_CASES:
            valence = SPECIAL_CASES[sequence]
            break
    if len(lowers) - 1 > i and f"{zero} {lowers[i + 1]}" in SPECIAL_CASES:
        valence = SPECIAL_CASES[f"{zero} {lowers[i + 1]}"]
    if len(lowers) - 1 > i + 1 and f"{zero} {lowers[i + 1]} {lowers[i + 2]}" in SPECIAL_CASES:
        valence = SPECIAL_CASES[f"{zero} {lowers[i + 1]} {lowers[i + 2]}"]
    for n_gram in (f"{three} {two} {one}", f"{three} {two}", f"{two} {one}"):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _least(valence: float, lowers: list[str], i: int, lexicon: dict[str, float]) -> float:
    """VADER's `_least_check`: "least" before a word negates it, except in "at least" and "very least"."""
    if i > 1 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
        if lowers[i - 2] != "at" and lowers[i - 2] != "very":
            valence = valence * N_SCALAR
    elif i > 0 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
        valence = valence * N_SCALAR
    return valence


def _punctuation_emphasis(text: str) -> float:
    """VADER's emphasis from exclamation marks (up to 4) and question marks (2 or more)."""
    questions = text.count("?")
    question_emphasis = 0
    if questions > 1:
        question_emphasis = questions * 0.18 if questions <= 3 else 0.96
    return min(text.count("!"), 4) * 0.292 + question_emphasis


def _normalize(score: float, alpha: float = 15) -> float:
    """VADER's `normalize`: score / sqrt(score^2 + alpha), within [-1, 1]."""
    norm_score = score / math.sqrt((score * score) + alpha)
    return max(-1.0, min(1.0, norm_score))
