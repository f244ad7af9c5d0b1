"""Small display helpers for the templates: stars, sentiment words, times, flag names in plain words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

FLAG_WORDS = {
    "crisis": ("Crisis language", "Words about suicide, self-harm or overdose. Never published; follow up with "
               "the patient as your clinic's crisis procedure says."),
    "health_claim": ("Health claim", "Claims a treatment outcome. Cure, comparative and safety claims are never "
                     "published; other outcome claims need a clinician's sign-off."),
    "patient_detail": ("Patient detail", "A name, phone number, email, address, date or age of a patient. It may "
                       "stay in the review but must be left out of the excerpt."),
    "profanity": ("Profanity", "Must be left out of the excerpt."),
    "insider": ("Insider", "Written by staff or a relative of staff: the quote needs a disclosure."),
    "incentivized": ("Incentivised", "The writer got something for it: the quote needs a disclosure."),
    "spam": ("Spam or link", "Promotional text or links. A link may stay in the review, never in the excerpt; "
             "other spam is never published."),
    "suspicious": ("Suspicious", "Looks machine-written, posted under several names, or shares a whole passage "
                   "with another person's review. Never published."),
    "mismatch": ("Stars and words disagree", "The star rating contradicts the text; read it before deciding."),
    "non_english": ("Not English", "Read it (or have it read) before deciding."),
    "shouting": ("Mostly capitals", "Long text written mostly in capitals; read it before deciding. It never "
                 "raises the sentiment score."),
    "link": ("Link", "The review contains a link; it may be quoted only without it."),
    "warning": ("Warning to others", "The reviewer's verdict (\u201cavoid\u201d, \u201cnever again\u201d): never "
                "suggested as a quote, whatever else the review praises."),
    "suggestion": ("Wish or suggestion", "A request or improvement suggestion, not praise: never part of a "
                   "suggested excerpt."),
}
FLAG_ORDER = tuple(FLAG_WORDS)


def stars(rating: float | None) -> str:
    """'4 of 5 stars' or 'no rating' (words, not only symbols)."""
    return "no rating" if rating is None else f"{rating:g} of 5 stars"


def sentiment(compound: float | None) -> str:
    """Positive / neutral / negative with the score."""
    if compound is None:
        return "not scored"
    word = "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
    return f"{word} ({compound:+.2f})"


def when(value: str | None) -> str:
    """An ISO time as 'YYYY-MM-DD HH:MM UTC' (dates stay dates)."""
    if not value:
        return "—"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    return parsed.strftime("%Y-%m-%d") if len(value) <= 10 else parsed.strftime("%Y-%m-%d %H:%M UTC")


def flag_title(flag: dict[str, Any] | str) -> str:
    """A flag's name in plain words."""
    name = flag if isinstance(flag, str) else flag["name"]
    return FLAG_WORDS.get(name, (name.replace("_", " ").capitalize(), ""))[0]


def flag_help(flag: dict[str, Any]) -> str:
    """What a flag means for the quote."""
    return FLAG_WORDS.get(flag["name"], ("", "Read the review before deciding."))[1]


def detail(flag: dict[str, Any]) -> str:
    """A flag's detail in words ("date_of_birth" -> "date of birth")."""
    return str(flag.get("detail") or "").replace("_", " ")


FILTERS = {"stars": stars, "sentiment": sentiment, "when": when, "flag_title": flag_title, "flag_help": flag_help,
           "detail": detail}
