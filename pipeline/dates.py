"""Dates people type and dates we store: ISO 8601 in, UTC instants out, compared as dates, never as text.

An authorization's expiry is typed as a date ("2027-12-31", valid through that day in UTC) or a date and time
with an offset ("2027-12-31T17:00-05:00"); a time without an offset is taken as UTC. Stored values are UTC
instants written `YYYY-MM-DDTHH:MM:SS+00:00`, which also sort in time order as text.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from pipeline.errors import PlauditError

EXPECTED = "an ISO 8601 date such as 2027-12-31 (or a date and time such as 2027-12-31T17:00-05:00)"


class InvalidDate(PlauditError):
    """A date that is not ISO 8601 or does not exist; the message says which form is expected."""


def parse_instant(text: str) -> datetime:
    """A typed date or date-time as an aware UTC datetime; a bare date means the end of that day (UTC)."""
    value = (text or "").strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(23, 59, 59), timezone.utc)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidDate(f"{text!r} is not a valid date: expected {EXPECTED}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def normalise_instant(text: str | None) -> str | None:
    """A typed date as the stored UTC form, or None for an empty value; raises InvalidDate."""
    if text is None or not str(text).strip():
        return None
    return format_instant(parse_instant(str(text)))


def format_instant(moment: datetime) -> str:
    """The stored form of an aware datetime: UTC, seconds."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def stored_instant(text: str | None) -> datetime | None:
    """A stored date read back; None when it is empty or cannot be read (callers decide what that means)."""
    if not text:
        return None
    try:
        return parse_instant(text)
    except InvalidDate:
        return None
