"""The hosted review form's rules: what a submission must hold, its limits, and the consent version it records.

Settings: `review_consent_text` (shown in full; its version is a hash of the exact wording, so changing the
text makes a new version without anyone naming it), `review_form_max_chars`, `practice_name` and the
configured `[[locations]]`. The public app renders the form and stores what `check_submission` returns in
the inbox; the `inbox` source reads it back with the generic field names used here.

Consent to use the review as a testimonial is separate and optional: a review without it is received the
same way (the form never steers anyone by how happy they are).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.settings import Settings
from pipeline.text import clean_text

TOOL = "hosted-form"  # the inbox's source_tool for this form
MIN_TEXT_CHARS = 10
MAX_NAME_CHARS = 80
MAX_EMAIL_CHARS = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def consent_version(text: str) -> str:
    """The version label of a consent wording: the same text always gives the same version."""
    return "form-" + hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:10]


@dataclass
class Checked:
    """A checked submission: the inbox payload when it is acceptable, else an error per field; `values` for
    showing the form again with what the patient typed."""

    payload: dict[str, Any] | None
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)


def _value(form: dict[str, str], name: str, limit: int | None = None) -> str:
    """What was typed, trimmed; cut only where a longer value cannot be meant (the app bounds the body)."""
    value = str(form.get(name) or "").replace("\r\n", "\n").strip()
    return value[:limit] if limit else value


def check_submission(form: dict[str, str], settings: Settings, received_at: str) -> Checked:
    """Validate a submitted form; every problem is reported at once and nothing typed is dropped."""
    values = {"text": _value(form, "text"), "rating": _value(form, "rating", 10), "name": _value(form, "name"),
              "email": _value(form, "email"), "location": _value(form, "location", 200),
              "consent": "yes" if form.get("consent") else "", "consent_version": _value(form, "consent_version", 40)}
    errors = _errors(values, settings)
    if errors:
        return Checked(None, errors, values)
    payload = {"text": values["text"], "rating": values["rating"], "name": values["name"] or None,
               "email": values["email"] or None, "location": values["location"] or None,
               "consent": "yes" if values["consent"] else "no", "consent_version": values["consent_version"],
               "consent_text": settings.review_consent_text, "submitted_at": received_at}
    return Checked(payload, {}, values)


def _errors(values: dict[str, str], settings: Settings) -> dict[str, str]:
    errors = {}
    text, limit = values["text"], settings.review_form_max_chars
    if len(clean_text(text, limit + 1)) < MIN_TEXT_CHARS:
        errors["text"] = f"Please write your review (at least {MIN_TEXT_CHARS} characters)."
    elif len(text) > limit:
        errors["text"] = f"Your review is {len(text):,} characters long; the most this form takes is {limit:,}."
    if values["rating"] not in ("1", "2", "3", "4", "5"):
        errors["rating"] = "Please choose a rating from 1 to 5 stars."
    if len(values["name"]) > MAX_NAME_CHARS:
        errors["name"] = f"Please keep your name under {MAX_NAME_CHARS} characters."
    if values["email"] and (len(values["email"]) > MAX_EMAIL_CHARS or not _EMAIL.match(values["email"])):
        errors["email"] = "This does not look like an email address; you can also leave it empty."
    known = [loc.id for loc in settings.locations]
    if values["location"] and values["location"] not in known:
        errors["location"] = "Please choose one of the listed locations."
    if values["consent"] and values["consent_version"] != consent_version(settings.review_consent_text):
        errors["consent"] = ("The wording of this permission changed since the page was opened. Please read it "
                             "again below and tick the box if you still agree.")
    return errors
