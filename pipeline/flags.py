"""Flags that route a review to a person: contact details in the text, star/text mismatch, non-English text.

A flag is a dict {"name", "detail", "spans"}; spans are (start, end) character offsets into the review text,
so a quote can be checked to stay clear of them. Settings: none yet (thresholds are module constants).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.text import words

MISMATCH_HIGH_STARS, MISMATCH_LOW_STARS = 4.0, 2.0
MISMATCH_NEGATIVE, MISMATCH_POSITIVE = -0.3, 0.5

_EMAIL_RE = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+", re.UNICODE)
_PHONE_RE = re.compile(
    r"(?<![\w])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?![\w])"
    r"|(?<![\w])\+\d{1,3}(?:[\s.-]?\d{2,4}){2,5}(?![\w])")

# The commonest English function words: a text with almost none of them is not English.
_ENGLISH_WORDS = frozenset("""
a about after all also am an and any are as at be been but by can could did do does doctor dr for from get got
had has have he her here him his how i if in is it its just me more my no not now of on one only or our out
over she so some than that the their them then there they this to too up us very was we well were what when
which who will with would you your staff great good best care clinic nice thank thanks helpful friendly
""".split())


def flag(name: str, detail: str, spans: list[tuple[int, int]] | None = None) -> dict[str, Any]:
    """A flag record."""
    return {"name": name, "detail": detail, "spans": [list(s) for s in spans or []]}


def contact_details(text: str) -> list[dict[str, Any]]:
    """Email addresses and phone numbers written in the text."""
    found = []
    emails = [m.span() for m in _EMAIL_RE.finditer(text)]
    phones = [m.span() for m in _PHONE_RE.finditer(text) if not _inside(m.span(), emails)]
    if emails:
        found.append(flag("contact_details", "email", emails))
    if phones:
        found.append(flag("contact_details", "phone", phones))
    return found


def _inside(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in others)


def mismatch(rating: float | None, compound: float) -> list[dict[str, Any]]:
    """A star rating that contradicts the text: high stars on negative text, or low stars on praise."""
    if rating is None:
        return []
    if rating >= MISMATCH_HIGH_STARS and compound <= MISMATCH_NEGATIVE:
        return [flag("mismatch", f"{rating:g} stars but negative text")]
    if rating <= MISMATCH_LOW_STARS and compound >= MISMATCH_POSITIVE:
        return [flag("mismatch", f"{rating:g} stars but positive text")]
    return []


def language_guess(text: str) -> str | None:
    """'en' when the text reads as English, 'other' when it clearly does not, None when too short to tell."""
    tokens = [w.lower() for w in words(text)]
    if len(tokens) < 4:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isascii() for ch in letters) / len(letters) < 0.5:
        return "other"
    english = sum(t in _ENGLISH_WORDS for t in tokens) / len(tokens)
    return "en" if english >= 0.12 else "other"


def non_english(language: str | None) -> list[dict[str, Any]]:
    """Flag text that is not English (staff must read it before anything is suggested)."""
    return [flag("non_english", "text does not read as English")] if language == "other" else []


def flags_for(text: str, rating: float | None, compound: float) -> tuple[list[dict[str, Any]], str | None]:
    """All flags of one review, and the language guess."""
    language = language_guess(text)
    return contact_details(text) + mismatch(rating, compound) + non_english(language), language
