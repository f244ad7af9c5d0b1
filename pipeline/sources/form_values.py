"""Field values of form-tool exports: ratings, consent answers and submission dates, read from one cell each.

Used by `forms_csv.py` for every row; nothing here reads a file. Driven by a csv source's `rating_scale` (the
form's best rating, passed as `scale`; a fraction such as "8/10" carries its own) and `consent_version` (the
version label of the consent wording, stored on every Consent), and by the words and formats form tools write,
kept in `form_presets` (TICKED, UNTICKED, REFUSAL_PATTERN, ASSENT_PATTERN, NAMED_DATE_FORMATS).

Dates "n/n/yyyy" are read month-first (the US default of Google Forms, Jotform and WPForms) unless the caller
passes `day_first`, which `infer_day_first` decides from a whole file: day-first when some first number is
above 12 and no second number is; "20.11.2026" is always day-first; what cannot be read is None. A consent
answer that is neither a tick nor a refusal is `given=None`: not publishable, and not recorded as a "no".
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pipeline.models import Consent
from pipeline.sources import form_presets as presets
from pipeline.text import clean_text

_SLASH_DATE = re.compile(  # 11/20/2026, 20.11.2026, 11-20-2026, each with an optional h:mm[:ss] [am|pm]
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\.?)?)?$", re.I)
_FRACTION = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:/|out of|of)\s*(\d+(?:[.,]\d+)?)", re.I)
_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)(?!\d)")
_REFUSAL = re.compile(presets.REFUSAL_PATTERN, re.I)
_ASSENT = re.compile(presets.ASSENT_PATTERN, re.I)


def parse_rating(raw: str | None, scale: float = 5.0) -> float | None:
    """A 1-5 rating from "5", "4/5", "8/10", "★★★★☆", "4 stars"; None when absent or out of range."""
    value = (raw or "").strip()
    filled, empty = value.count("★") + value.count("⭐"), value.count("☆")
    if filled or empty:
        return _to_five(filled, filled + empty if empty else scale)
    if match := _FRACTION.match(value):
        return _to_five(_number(match[1]), _number(match[2]))
    if match := _NUMBER.match(value):
        return _to_five(_number(match[1]), scale)
    return None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _to_five(value: float, scale: float) -> float | None:
    if not scale or scale <= 0 or not 0 < value <= scale:
        return None
    return round(max(1.0, value * 5.0 / scale), 2)


def consent_given(value: str | None, *labels: str | None) -> bool | None:
    """Whether a consent cell means ticked (True), unticked (False), or cannot be told (None)."""
    answer = " ".join((value or "").split()).casefold()
    if answer in presets.UNTICKED:
        return False
    if answer in presets.TICKED or answer in {" ".join(label.split()).casefold() for label in labels if label}:
        return True
    if _REFUSAL.search(answer):
        return False
    return True if _ASSENT.search(answer) else None


def parse_consent(value: str | None, header: str, text_cell: str, version: str, at: str | None) -> Consent:
    """The Consent a present consent column records; the wording is the consent-text cell, else the header."""
    answer, label = clean_text(value, 2000), clean_text(header, 2000)
    wording = clean_text(text_cell, 5000) or label
    given = consent_given(answer, label, wording)
    if given and answer.casefold() not in presets.TICKED and answer not in (label, wording):
        wording = f"{wording}: {answer}"  # a ticked option label ("Yes, you may share...") is part of the wording
    return Consent(given=given, text_version=version or None, at=at, text=wording or None)


def parse_submitted(raw: str | None, day_first: bool | None = None) -> str | None:
    """ISO date-time (or date) from the formats form tools write; None when it cannot be read."""
    value = re.sub(r"\s*\(?\b(UTC|GMT)\)?$", "", " ".join((raw or "").split()), flags=re.I)
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        return parsed.isoformat()
    except ValueError:
        pass
    if match := _SLASH_DATE.match(value):
        return _slash_date(match, day_first)
    for fmt in presets.NAMED_DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed.isoformat() if ":" in value else parsed.date().isoformat()
    return None


def _slash_date(match: re.Match[str], day_first: bool | None) -> str | None:
    first, sep, second, year, hour, minute, second_s, half = match.groups()
    a, b = int(first), int(second)
    if sep == "." or a > 12 or (day_first and b <= 12):
        a, b = b, a  # now a is the month
    try:
        if hour is None:
            return date(int(year), a, b).isoformat()
        h = int(hour) % 12 + (12 if half and half.lower() == "p" else 0) if half else int(hour)
        return datetime(int(year), a, b, h, int(minute), int(second_s or 0)).isoformat()
    except ValueError:
        return None


def infer_day_first(values: list[str | None]) -> bool | None:
    """True when a file's n/n/yyyy dates are day-first (some first number > 12), False when month-first."""
    evidence = set()
    for value in values:
        match = _SLASH_DATE.match(" ".join((value or "").split()))
        if match and match[2] != ".":
            if int(match[1]) > 12:
                evidence.add(True)
            elif int(match[3]) > 12:
                evidence.add(False)
    return evidence.pop() if len(evidence) == 1 else None
