"""Flags that route a review to a person: patient details, risks (crisis, claims, spam, insiders...),
star/text mismatch, shouting (`pipeline/judge/detectors/shouting.py`) and non-English text. Patient details
and risks have their own modules.

A flag is a dict {"name", "detail", "spans"}; spans are (start, end) character offsets into the review text,
so a quote can be checked to stay clear of them. Settings: none yet (thresholds are module constants).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pipeline.judge.detectors.patient_details import find_patient_details
from pipeline.judge.detectors.risk import risk_flags
from pipeline.judge.detectors.shouting import shouting
from pipeline.models import flag
from pipeline.text import words

MISMATCH_HIGH_STARS, MISMATCH_LOW_STARS = 4.0, 2.0
MISMATCH_NEGATIVE, MISMATCH_POSITIVE = -0.3, 0.5

# Languages the detector chooses among: English plus those most often met in US patient reviews.
_LANGUAGES = ("ENGLISH", "SPANISH", "PORTUGUESE", "FRENCH", "ITALIAN", "GERMAN", "DUTCH", "POLISH", "RUSSIAN",
              "UKRAINIAN", "CHINESE", "JAPANESE", "KOREAN", "VIETNAMESE", "TAGALOG", "HINDI", "ARABIC")

# The commonest English function words: a text with almost none of them is not English.
_ENGLISH_WORDS = frozenset("""
a about after all also am an and any are as at be been but by can could did do does doctor dr for from get got
had has have he her here him his how i if in is it its just me more my no not now of on one only or our out
over she so some than that the their them then there they this to too up us very was we well were what when
which who will with would you your staff great good best care clinic nice thank thanks helpful friendly
""".split())

# ASCII word characters (\w) and the apostrophe kept, every other byte a space.
_WORD_BYTES = bytes(c if chr(c).isalnum() or chr(c) in "_'" else 32 for c in range(128)) + bytes(range(128, 256))


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
    """ISO 639-1 code of the text's language ("en" for English), or None when too short to tell.

    Common English function words settle most reviews cheaply; only the rest go to lingua (accurate on short
    texts, but ~10k texts/s per core, too slow to run on every review of a backfill).
    """
    tokens = _ascii_words(text.lower()) if text.isascii() else [w.lower() for w in words(text)]
    if len(tokens) < 3:
        return None
    if sum(map(_ENGLISH_WORDS.__contains__, tokens)) / len(tokens) >= 0.2:
        return "en"
    detected = _language_detector().detect_language_of(text)
    return detected.iso_code_639_1.name.lower() if detected else None


def _ascii_words(lower: str) -> list[str]:
    """`pipeline.text.words` of lower-case ASCII text, by one byte translation and a split (the regex costs twice as
    much); only runs holding an apostrophe go through `words`, which keeps one apostrophe between letters."""
    runs = lower.encode("ascii").translate(_WORD_BYTES).decode("ascii").split()
    if "'" not in lower:
        return runs
    return [token for run in runs for token in (words(run) if "'" in run else (run,))]


@lru_cache(maxsize=1)
def _language_detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in _LANGUAGES)).build()


def non_english(language: str | None) -> list[dict[str, Any]]:
    """Flag text that is not English (staff must read it before anything is suggested)."""
    if language is None or language == "en":
        return []
    return [flag("non_english", f"text reads as language '{language}'")]


def flags_for(text: str, rating: float | None, compound: float, author: str | None = None,
              staff_names: tuple[str, ...] = ()) -> tuple[list[dict[str, Any]], str | None]:
    """All flags of one review (patient details, risks, mismatch, shouting, language), and the language guess."""
    language = language_guess(text)
    flags = find_patient_details(text, staff_names) + risk_flags(text, author, staff_names)
    return flags + mismatch(rating, compound) + shouting(text) + non_english(language), language
