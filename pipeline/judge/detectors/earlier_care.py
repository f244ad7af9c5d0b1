"""Sentences about earlier or other care: background, not a verdict on this practice.

Patients often tell how they got here: "Other doctors brushed me off for years", "My previous doctor never
listened", "I was in terrible pain before I found this clinic". VADER reads them as complaints about the
practice being reviewed; the scorer reads a negative sentence of this kind as neutral
(`pipeline.judge.sentiment`). A sentence that also judges this practice ("worse than", "the worst", "this
place", "here") keeps its score. Only sentences holding a trigger word are read. Settings: none.
"""

from __future__ import annotations

import re

TRIGGER_WORDS = frozenset(
    b"other others previous prior former last old past another different many several countless numerous multiple "
    b"before unlike years else every dozens two three four five six seven eight nine ten".split())
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))

_PROVIDERS = (r"(?:doctors?|drs?|clinics?|physicians?|hospitals?|specialists?|practices?|providers?|surgeons?|"
              r"therapists?|psychiatrists?|psychologists?|counsel+ors?|dentists?|pharmac(?:y|ies)|offices?|"
              r"facilit(?:y|ies)|practitioners?|gps?|pcps?|neurologists?|rheumatologists?|orthopedists?|"
              r"chiropractors?|urgent\s+cares?|ers?|emergency\s+rooms?|pain\s+(?:clinics?|doctors?|specialists?|"
              r"management)|places|centers|centres)")
_EARLIER = re.compile("|".join((
    rf"\b(?:previous|prior|former|last|old|past|another|different)\s+(?:[\w'-]+\s+)?{_PROVIDERS}\b",
    # "other" only with a plural: "the other doctor" is often a colleague at the same practice
    rf"\b(?:other|many|several|countless|numerous|multiple|\d+|two|three|four|five|six|seven|eight|nine|ten|"
    rf"dozens?\s+of)\s+(?:[\w'-]+\s+)?(?=\w+s\b){_PROVIDERS}\b",
    r"\b(?:every|all\s+the|none\s+of\s+the|most|any)\s+other\s+(?:\w+\s+)?(?:one|\w+s)\b",
    r"\bbefore\s+(?:i\s+(?:found|came|started|discovered|switched|met|was\s+referred)|coming\s+(?:here|to)|"
    r"finding|starting|switching|being\s+referred)\b",
    r"\byears?\b[^.;]{0,40}\b(?:nobody|no\s+one|no\s+doctor|none\s+of\s+them)\b|"
    r"\b(?:nobody|no\s+one|no\s+other\s+doctor)\s+else\b",
    r"\bunlike\s+(?:other|my|the|most|many|any|every)\b",
)))
# The sentence also judges the practice under review, or tells of leaving it for another: keep its score.
_ABOUT_HERE = re.compile(
    r"\b(?:go|went|gone|going|take|took|rush(?:ed)?|shift(?:ed)?|mov(?:e|ed)|transferr?(?:ed)?|redirect(?:ed)?|"
    r"switch(?:ed)?|refer(?:red)?)\s+(?:\w+\s+){0,2}?(?:to\s+)?(?:some\s+|an?\s+|the\s+)?(?:other|another|different)\b|"
    r"\bthan\s+(?:this|here|these)\b|\b(?:worse|worst|even\s+more|just\s+as\s+bad|same\s+as)\b|(?<!found\s)(?<!\bto\s)(?<!discovered\s)"
    r"\bthis\s+(?:one|place|clinic|office|hospital|practice|center|centre|team|doctor)\b|"
    r"(?<!coming\s)(?<!came\s)\bhere\b|\bthese\s+(?:people|guys)\b")


def has_trigger_words(text: str) -> bool:
    """Whether the text holds any word that can start such a sentence (one set test per review)."""
    return not TRIGGER_WORDS.isdisjoint(text.lower().encode("ascii", "replace").translate(_LETTERS_ONLY).split())


def about_earlier_care(sentence: str) -> bool:
    """Whether a sentence tells of earlier or other care, without judging the practice under review."""
    lower = sentence.lower()
    return _EARLIER.search(lower) is not None and _ABOUT_HERE.search(lower) is None
