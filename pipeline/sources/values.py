"""Review values as pages display them: numbers, counts, ratings, dates and author names, made uniform.

Shared by the schema.org extraction (`structured.py`) and the CSS-selector extraction (`selectors.py`).
Driven by a source's `rating_scale` (the best rating, passed to `normalise_rating` as `best`) and, for a
`selectors` source, its `date_format` (the `fmt` of `parse_date`); nothing here reads settings itself.

- numbers: the first number in a value, a decimal comma read as a point ("4,5" → 4.5); never negative;
- counts: thousands separators ignored ("1,234", "1.234" and "1 234" → 1234);
- ratings map linearly from [worst, best] onto 1–5, to two decimals; out of range → None;
- dates become ISO `YYYY-MM-DD` when unambiguous: ISO, "February 11, 2022", "11 février 2022" (English,
  French, Italian, German and Spanish month names), numeric day/month only when one part exceeds 12 or both
  agree, dotted numeric dates day-first; relative or ambiguous dates are None;
- author names lose a leading "— ", "-" or "by ".

Values may be JSON-LD values as well as strings: numbers, `{"@value": …}` objects and lists are read too.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pipeline.text import clean_text

MAX_VALUE_DEPTH = 8  # real markup wraps a value two or three levels deep; hostile markup nests thousands
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")  # no sign: "rating-50" is 50, ratings are never negative
_COUNT_RE = re.compile(r"\d[\d,.\s'’\u00a0\u202f]*")
_AUTHOR_PREFIX_RE = re.compile(r"^(?:[-–—―~]+\s*|by\s+|by:\s*)", re.IGNORECASE)

_MONTH_NAMES = (
    "january jan gennaio genn janvier janv januar jänner enero ene",
    "february feb febbraio febr février fevrier févr fevr februar febrero",
    "march mar marzo mars märz maerz mär",
    "april apr aprile avril avr abril abr",
    "may maggio mai mayo",
    "june jun giugno juin juni junio",
    "july jul luglio juillet juil juli julio",
    "august aug agosto août aout ago",
    "september sep sept settembre sett septembre septiembre setiembre",
    "october oct ottobre ott octobre oktober okt octubre",
    "november nov novembre noviembre",
    "december dec dicembre dic décembre decembre déc dezember dez diciembre",
)
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_MONTH_FIRST_RE = re.compile(r"\b([^\W\d_]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DAY_FIRST_RE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+)?([^\W\d_]{3,10})\.?,?\s+(?:de\s+)?(\d{4})\b")
_NUMERIC_RE = re.compile(r"(?<!\d)(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?!\d)")


# --- text, numbers, ratings ----------------------------------------------------------------------------


def as_text(value: Any, depth: int = 0) -> str:
    """A value as text: strings, numbers, `@value`/`value` objects, the first non-blank item of a list."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if depth > MAX_VALUE_DEPTH:
        return ""
    if isinstance(value, dict):
        return as_text(value.get("@value", value.get("value", "")), depth + 1)
    if isinstance(value, list):
        return next((text for item in value if (text := as_text(item, depth + 1)).strip()), "")
    return ""


def parse_number(value: Any) -> float | None:
    """The first number in a value; a decimal comma is read as a point ("4,5" → 4.5)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _NUMBER_RE.search(as_text(value))
    return float(match.group().replace(",", ".")) if match else None


def parse_count(value: Any) -> int | None:
    """A count such as a review total, ignoring thousands separators ("1,234" and "1.234" → 1234)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value)
    match = _COUNT_RE.search(as_text(value))
    digits = re.sub(r"\D", "", match.group()) if match else ""
    return int(digits) if digits else None


def normalise_rating(value: float | None, best: float | None = 5.0, worst: float = 1.0) -> float | None:
    """A rating on [worst, best] mapped linearly onto 1–5 (two decimals); None when missing or out of range."""
    if value is None or best is None or best <= worst or not worst - 1e-9 <= value <= best + 1e-9:
        return None
    return round(1.0 + 4.0 * (value - worst) / (best - worst), 2)


def clean_author(raw: str | None) -> str | None:
    """A display name from untrusted text, without a leading "— ", "-" or "by "."""
    name = clean_text(raw, max_chars=200)
    return _AUTHOR_PREFIX_RE.sub("", name).strip() or None


# --- dates ---------------------------------------------------------------------------------------------


def parse_date(text: str | None, fmt: str | None = None) -> str | None:
    """An ISO date (YYYY-MM-DD) from a displayed date, or None when absent, relative or ambiguous."""
    if not text:
        return None
    if fmt:
        try:
            return datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            return None
    for parse in (_iso_date, _named_month_date, _numeric_date):
        found = parse(text)
        if found:
            return found
    return None


def _make_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _iso_date(text: str) -> str | None:
    match = _ISO_DATE_RE.search(text)
    return _make_date(int(match[1]), int(match[2]), int(match[3])) if match else None


def _named_month_date(text: str) -> str | None:
    for match in _MONTH_FIRST_RE.finditer(text):
        if match[1].lower() in MONTHS:
            return _make_date(int(match[3]), MONTHS[match[1].lower()], int(match[2]))
    for match in _DAY_FIRST_RE.finditer(text):
        if match[2].lower() in MONTHS:
            return _make_date(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    return None


def _numeric_date(text: str) -> str | None:
    # 11/02/2022 is 11 February in most of the world and November 2 in the US: only read it when one
    # part cannot be a month (or both agree); dotted dates (11.02.2022) are day-first everywhere.
    match = _NUMERIC_RE.search(text)
    if not match:
        return None
    first, separator, second, year = int(match[1]), match[2], int(match[3]), int(match[4])
    if separator == "." or first > 12 or first == second:
        return _make_date(year, second, first)
    if second > 12:
        return _make_date(year, first, second)
    return None
