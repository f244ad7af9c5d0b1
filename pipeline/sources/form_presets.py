"""Column-mapping presets for the CSV exports of common form tools, and the words those tools write.

Many forms ask two questions, "What did we do well?" and "What could we do better?": the first is the review
`text` (a quote candidate), the second is `improvement` (feedback for staff, scored and counted, never quoted).
A single free-text column ("Comments or suggestions") is always the review text.

Settings: a csv source's `preset` picks one of PRESETS (`gravityforms`, `wpforms`, `googleforms`, `typeform`,
`jotform`, `generic`); its `columns` table (canonical field -> header name or list of names) wins over the
preset, and an empty list says "this form has no such column".

Each preset gives, per canonical field, exact header names (compared case- and space-insensitively) and regex
patterns for free question titles. Every tool preset is the tool's own names put in front of `generic`.
Header conventions, as the tools write them (synthetic fixtures in tests/fixtures/forms/ follow them):

- Gravity Forms: field labels; multi-input fields as "Label (Input)", e.g. "Name (First)", "Name (Last)",
  "Consent (Consent)" ("Checked"/"Not Checked"), "Consent (Text)"; entry meta "Entry Id", "Entry Date",
  "Date Updated", "Source Url", "User IP", "User Agent".
- WPForms: field labels ("Name", "Email", "Comment or Message", "GDPR Agreement" = the agreement text when
  ticked), then "Entry ID", "Date".
- Google Forms: "Timestamp", optionally "Email Address", then one column per question title; a ticked
  checkbox holds the option label. No response id in the export.
- Typeform: "#" (the response token), question titles, "Start Date (UTC)", "Submit Date (UTC)",
  "Network ID" (a network fingerprint, not an id); yes/no and legal answers as 1/0.
- Jotform: "Submission Date", question titles, "Submission ID", "Submission IP".
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import ConfigError

# Canonical fields, in the order columns are claimed by patterns: specific fields before the free-text
# ones, so "May we share your review?" becomes consent before `text` can take it for its word "review", and
# "How could we improve your experience?" becomes `improvement` before `text` takes it for "experience".
FIELDS: tuple[str, ...] = (
    "id", "submitted_at", "email", "phone", "consent_text", "consent", "rating",
    "first_name", "last_name", "name", "title", "location", "improvement", "text",
)


@dataclass(frozen=True)
class FieldColumns:
    """Where one canonical field may be: exact header names first, then regex patterns."""

    names: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


Preset = dict[str, FieldColumns]

_SUBMITTED = r"^(?!.*\b(visit|appointment|birth|updated|modified|start)\b).*\b(date|timestamp)\b"
_FULL_NAME = r"^(what is |what's )?(your |full |patient )?(full )?name\??$"
_LOCATION = r"^(which |what |your )?(office |clinic )?(location|office|clinic|branch)\b[^.]{0,25}$"

GENERIC: Preset = {
    "id": FieldColumns(("id", "entry id", "submission id", "response id"),
                       (r"^(entry|submission|response|record) ?id$",)),
    "submitted_at": FieldColumns(("date", "timestamp", "submitted at", "submission date", "date submitted",
                                  "created at", "created"), (_SUBMITTED,)),
    "email": FieldColumns(("email", "e-mail", "email address"), (r"\be-?mail\b",)),
    "phone": FieldColumns(("phone", "phone number", "telephone", "mobile"),
                          (r"\b(phone|mobile|cell|telephone)\b",)),
    "consent_text": FieldColumns(("consent text", "consent wording"),
                                 (r"^(consent|agreement|permission)\W{0,3}(text|wording|label)\W?$",)),
    "consent": FieldColumns(("consent", "permission", "authorization", "authorisation", "gdpr agreement"),
                            (r"\bconsent", r"\bpermission\b", r"\bauthori[sz]", r"\bagree", r"\bmay we\b",
                             r"\bcan we (use|share|publish|quote|feature)\b", r"\bgdpr\b",
                             r"\b(ok|okay) to (use|share|publish|quote)\b")),
    "rating": FieldColumns(("rating", "stars", "star rating", "overall rating"),
                           (r"\brat(e|ing)\b", r"\bstars?\b")),
    "first_name": FieldColumns(("first name", "first", "given name"),
                               (r"\bfirst\W*name\b", r"\bname\W*first\b", r"\bgiven name\b")),
    "last_name": FieldColumns(("last name", "last", "surname", "family name"),
                              (r"\blast\W*name\b", r"\bname\W*last\b", r"\b(surname|family name)\b")),
    "name": FieldColumns(("name", "full name", "your name", "patient name", "author"),
                         (_FULL_NAME, r"\byour (full )?name\b")),
    "title": FieldColumns(("title", "subject", "review title", "headline"),
                          (r"\b(title|headline|subject)\b",)),
    "location": FieldColumns(("location", "office", "clinic", "branch"), (_LOCATION,)),
    "improvement": FieldColumns(("improvement", "improvements", "suggestions", "suggestion", "what could we do better",
                                 "what could we improve", "how could we improve", "areas for improvement"),
                                (r"\bimprov", r"\b(do|done|been|be)\s+(any\s+)?better\b", r"\bsuggestions?\b",
                                 r"\bwhat (would|could|should) (you|we) change\b", r"\bdifferently\b",
                                 r"\b(dis)?liked? least\b")),
    "text": FieldColumns(("review", "testimonial", "feedback", "comments", "comment", "message", "your review",
                          "review text", "text", "body", "what did we do well", "what went well"),
                         (r"\breview\b", r"\btestimonial", r"\bfeedback\b", r"\bcomments?\b", r"\btell us\b",
                          r"\bexperience\b", r"\bmessage\b", r"\bdescribe\b", r"\bstory\b", r"\bshare\b",
                          r"\b(do|did|went|done|doing)\s+(so\s+|really\s+)?well\b", r"\bliked? (most|best)\b",
                          r"\bwhat did you (like|enjoy|appreciate)\b")),
}


def _extend(base: Preset, **names: tuple[str, ...] | FieldColumns) -> Preset:
    """A preset: the tool's exact names (or a FieldColumns adding patterns) in front of the base's."""
    preset = dict(base)
    for field, extra in names.items():
        add = extra if isinstance(extra, FieldColumns) else FieldColumns(extra)
        preset[field] = FieldColumns(add.names + base[field].names, add.patterns + base[field].patterns)
    return preset


PRESETS: dict[str, Preset] = {
    "generic": GENERIC,
    "gravityforms": _extend(
        GENERIC,
        id=("Entry Id",), submitted_at=("Entry Date",),
        first_name=FieldColumns(("Name (First)",), (r"\(first\)$",)),
        last_name=FieldColumns(("Name (Last)",), (r"\(last\)$",)),
        consent=FieldColumns(("Consent (Consent)",), (r"\(consent\)$",)),
        consent_text=FieldColumns(("Consent (Text)", "Consent (Description)"), (r"\(text\)$",)),
        text=("Your review", "Testimonial", "Comments"),
    ),
    "wpforms": _extend(
        GENERIC,
        id=("Entry ID",), submitted_at=("Date", "Entry Date"), consent=("GDPR Agreement",),
        text=("Comment or Message", "Message", "Paragraph Text"), name=("Name",),
    ),
    "googleforms": _extend(GENERIC, submitted_at=("Timestamp",), email=("Email Address",)),
    "typeform": _extend(
        GENERIC,
        id=("#", "Response ID", "Token"), submitted_at=("Submit Date (UTC)", "Submitted At"),
    ),
    "jotform": _extend(
        GENERIC,
        id=("Submission ID",), submitted_at=("Submission Date",), name=("Full Name", "Name"),
        email=("E-mail",), phone=("Phone Number",), rating=("Star Rating", "Scale Rating"),
    ),
}

# How form tools write a consent checkbox. Compared after casefolding and trimming.
TICKED: frozenset[str] = frozenset({
    "1", "yes", "y", "true", "checked", "x", "✓", "✔", "☑", "on", "agree", "agreed", "i agree", "accept",
    "accepted", "i accept", "consent", "consented", "i consent", "selected", "ok", "okay",
})
UNTICKED: frozenset[str] = frozenset({
    "", "0", "no", "n", "false", "unchecked", "not checked", "off", "disagree", "i disagree", "decline",
    "declined", "not selected", "none", "-", "n/a",
})
# A longer answer: refusals first ("I do not agree" contains "agree"), then assents.
REFUSAL_PATTERN = (r"^(no\b|not\b|never\b|i (do not|don't|don’t|decline|refuse)\b|do not\b|don't\b|don’t\b"
                   r"|decline|disagree|refuse)|\b(withdraw|revoke)")
ASSENT_PATTERN = r"^(yes\b|sure\b|ok\b|okay\b|you may\b|please do\b)|\b(agree|consent|authori[sz]e|permission|accept)"

# Date formats with month names that these tools write ("Nov 20, 2026" Jotform, "November 20, 2026 2:03 pm"
# WPForms); ISO and d/m/y or m/d/y numbers are handled by the parser itself.
NAMED_DATE_FORMATS: tuple[str, ...] = (
    "%b %d, %Y", "%B %d, %Y", "%b %d, %Y %H:%M", "%b %d, %Y %H:%M:%S", "%B %d, %Y %H:%M",
    "%b %d, %Y %I:%M %p", "%B %d, %Y %I:%M %p", "%d %b %Y", "%d %B %Y", "%d %b %Y %H:%M",
    "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
)


def get_preset(name: str) -> Preset:
    """The preset called `name`; ConfigError naming the choices when there is none."""
    try:
        return PRESETS[(name or "generic").strip().lower()]
    except KeyError:
        raise ConfigError(f"unknown csv preset {name!r}; choose one of {', '.join(sorted(PRESETS))}") from None
