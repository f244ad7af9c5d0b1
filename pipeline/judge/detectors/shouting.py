"""Shouting: long text written mostly in capitals, for the `shouting` flag (a signal for staff, with its reason).

A long all-capitals rant can be polite word by word and still read as anger, and VADER boosts ALL-CAPS words,
so such text would score higher than its words. The flag holds the review from suggestion until a person has
read it (`pipeline/publish/suggest.py`), and `pipeline.judge.sentiment.score_shouted` scores it as if it were
lower-cased, never above its score as written. Long: at least MIN_WORDS words of two or more letters; mostly:
at least MIN_SHARE of them fully upper-case (acronyms such as "MRI", "ER" or "ICU" in ordinary text stay far
below). On real text (../shared/realworld) the thresholds flag 0 of 996 hospital reviews, 0 of 19,503
Amazon, movie and NYT snippets, and 7 of 4,200 tweets. Settings: none (module constants).
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Any

from pipeline.models import flag

MIN_WORDS = 10
MIN_SHARE = 0.7

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]")
_UPPER = string.ascii_uppercase.encode()
_LETTERS = string.ascii_letters.encode()


@lru_cache(maxsize=1)  # the scorer asks twice per review: which score to use, then for the flag
def capital_words(text: str) -> tuple[int, int] | None:
    """(words in capitals, words) when the text is long and mostly in capitals, else None."""
    raw = text.encode("ascii", "ignore")
    letters = len(raw) - len(raw.translate(None, _LETTERS))
    upper = len(raw) - len(raw.translate(None, _UPPER))
    # a cheap test on letters before the words: short capital words beside long lower-case ones need slack
    if letters < 2 * MIN_WORDS or upper < 0.4 * letters:
        return None
    words = _WORD.findall(text)
    shouted = sum(word.isupper() for word in words)
    if len(words) < MIN_WORDS or shouted < MIN_SHARE * len(words):
        return None
    return shouted, len(words)


def is_shouting(text: str) -> bool:
    """Whether the text is long and mostly in capitals."""
    return capital_words(text) is not None


def shouting(text: str) -> list[dict[str, Any]]:
    """The shouting flag of a text, with its reason, or nothing."""
    found = capital_words(text)
    if found is None:
        return []
    shouted, words = found
    return [flag("shouting", f"{shouted} of {words} words in capitals")]
