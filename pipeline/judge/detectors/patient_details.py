"""Patient details written inside review text: names, phones, emails, addresses, dates of birth, ages, record numbers.

HIPAA (COMPLIANCE.md section 1): these must stay outside any published excerpt, so each kind found becomes one
flag {"name": "patient_detail", "detail": kind, "spans": [[start, end], ...]} with character offsets.
Settings: `staff_names` (names of staff are not patient details).

How each kind is found (US-focused, offline, pure). The words of the text are collected once and each
detector runs only when its keywords or digits are there, so a typical review costs a few set look-ups:
- phone: `phonenumbers` (Google's libphonenumber) finds valid US numbers; a 10-digit pattern adds the numbers
  it rejects (555-555-0100, bare digits), a 7-digit one needs a phone word before it ("call 555-1234").
- name: relatives' names, self-introductions, honorifics, sign-offs and census first names, staff left out
  (`pipeline.judge.detectors.patient_names`).
- address: street addresses by their shape, PO boxes, ZIP codes (`pipeline.judge.detectors.addresses`).
- email, date_of_birth, age, record_number: precompiled patterns on keyword context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pipeline.judge.detectors.addresses import address_spans, is_the_practice
from pipeline.judge.detectors.phrases import lower_same_length
from pipeline.judge.detectors.patient_names import _KIN_WORDS, Span, _covered, name_spans
from pipeline.judge.tokens import TokenMemo

KINDS = ("name", "phone", "email", "address", "date_of_birth", "age", "record_number")

_PUNCT = ".,!?;:()[]\"“”‘'’*…"
_DIGITS = "0123456789"
_DIGIT_BYTES = _DIGITS.encode()
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_SPELLED_EMAIL = re.compile(r"(?i)\b[\w.+-]{1,64}\s*(?:\(at\)|\[at\]|\s+at\s+)\s*[\w-]{1,63}\s*(?:\(dot\)|\[dot\]"
                            r"|\s+dot\s+)\s*(?:com|net|org|edu|gov|us)\b")

_PHONE_10 = re.compile(r"(?<![\w$/.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w/-]|\.\d)")
_PHONE_7 = re.compile(r"(?i:\b(?:call|text|cell|phone|number|reach|dial|ext)\b)[^.!?\d]{0,25}"
                      r"(?<![\w$/.-])(?P<v>\d{3}[-.]\d{4})(?![\w/-]|\.\d)")
_DIGIT_WORDS = frozenset("zero oh one two three four five six seven eight nine".split())
_SPELLED_PHONE = re.compile(r"(?i)\b(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[\s,-]+){6,9}"
                            r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b")

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_ORD = r"(?:st|nd|rd|th)?"
_DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})\b|\d{{4}}-\d{{2}}-\d{{2}}"
         rf"|{_MONTH}\s+\d{{1,2}}{_ORD}(?:,?\s+\d{{4}})?\b"
         rf"|(?:the\s+)?\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
         rf"|{_MONTH}\s+\d{{4}}\b|\d{{1,2}}/\d{{1,2}}\b|(?:19|20)\d{{2}}\b|['’]\d{{2}}\b)")
_DOB_WORDS = frozenset("dob d.o.b birth born birthday birthdate bday b-day".split())
_DOB = re.compile(
    rf"(?i)(?:\bdob\b|\bd\.o\.b\b\.?|date\s+of\s+birth|\bbirth\s*date|\bborn(?:\s+in\s+[a-z]+(?:\s+[a-z]+)?)?"
    r"(?:\s+(?:on|in))?)"
    rf"\s*(?:is|was|:|-|as|listed\s+as)?\s*(?P<d>{_DATE})"
    r"|\b(?P<p>(?:my|his|her)\s+(?:\w+['’]s\s+)?(?:birthday|bday|b-day))"
    rf"(?:\s*(?:is|was|:|-)?\s*(?:on\s+)?(?P<pd>{_DATE}))?"
    rf"|\b(?:birthday|bday|b-day)\s*(?:is|was|:|-)\s*(?:on\s+)?(?P<bd>{_DATE})")

_WORD_NUM = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six"
             r"|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
             r"|one|two|three|four|five|six|seven|eight|nine)")
_AGE_WORDS = frozenset("yo y/o y.o age aged i'm im am turned turning turns is was be i'll she's he's".split())
_SELF_WORDS = frozenset("i'm im am".split())
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_AGE = re.compile(
    rf"(?i)\b(?P<a>(?:\d{{1,3}}|{_WORD_NUM})\s*-?\s*(?:years?|yrs?)\s*-?\s*(?:old|young))\b"
    r"|\b(?P<b>\d{1,3}\s*(?:yo|y/o|y\.o\.))(?!\w)"
    r"|\b(?:age|aged)\s*:?\s*(?:of\s+)?(?P<c>\d{1,3})\b(?![%/])"
    rf"|\bi(?:['’]m|\s+am)\s+(?:now\s+|only\s+|almost\s+|nearly\s+|just\s+|over\s+)?(?P<d>\d{{2,3}}|{_WORD_NUM})"
    r"(?![.,]\d)(?=\s*(?:[.,;!)]|$|\s+(?:and|but|so|with|now|yet|or|myself|too)\b))"
    r"|\b(?:she|he|who|i)(?:\s+is|['’]s|\s+was|\s+will\s+be|['’]ll\s+be)\s+(?:only\s+|just\s+|now\s+|almost\s+|nearly\s+"
    r"|over\s+)?(?P<g>\d{2,3})\b"
    r"(?=\s*(?:[.,;!)]|$|\s+(?:and|but|now|in|this|next|soon)\b))"
    r"|\b(?:turned|turning|turns)\s+(?P<e>\d{2,3})\b(?![%/]|\.\d|\s*(?:min|hour|day|week|month))"
    r"|\bin\s+(?:my|his|her|their)\s+(?:(?:early|mid|late)[\s-]*)?(?P<f>\d0['’]?s|(?:twen|thir|for|fif|six|seven"
    r"|eigh|nine)ties)\b")
# "my son is 7.", "our mother, who was 88, ...", "at 25, my son ...": on the lower-cased text, gated by kin words / "at".
_KIN = "|".join(sorted(_KIN_WORDS, key=len, reverse=True))
_HEDGE = r"(?:only\s+|just\s+|now\s+|almost\s+|nearly\s+|over\s+)?"
_KIN_AGE = re.compile(rf"(?:my|our|his|her|their)\s+(?:{_KIN}),?(?:\s+who)?(?:\s+is|['’]s|\s+was|\s+turned|\s+turns"
                      rf"|\s+just\s+turned)\s+{_HEDGE}(?P<v>\d{{1,3}})\b(?![.,:]\d)"
                      r"(?=\s*(?:[.,;!)]|$|\s+(?:and|but|now|so|yet|this|next|in|when|with)\b))")
# "grandma, 82, ..." / "my son (7)": a number set off right after a relative, found from the number backwards.
_SET_OFF_NUMBER = re.compile(r"[,(]\s*(?P<v>\d{1,3})(?=\s*[,)])")
_KIN_AT_END = re.compile(rf"(?<![\w-])(?:{_KIN})\s*\Z")
# 1 to 12 after "at" is a clock hour ("At 9, we were seen").
_AT_AGE = re.compile(r"(?:at|by)(?<![\w-]at)(?<![\w-]by)\s+(?:the\s+age\s+of\s+(?P<a>\d{1,3})|(?P<v>1[3-9]|[2-9]\d|1[01]\d))"
                     r",\s*(?:i|my|our|his|her|he|she|we|they)\b")
# "Rose is 91 and", "Earl, 93,", "Tyler (16)": a number right after a person's name.
_AGE_AFTER_NAME = re.compile(r"(?:,\s*|\s*\(\s*|\s+(?:is|was|are|are\s+both|turned|turns)\s+)(?P<v>\d{1,3})\b"
                             r"(?=\s*(?:[,)]|and\b|now\b|\.(?!\d)))")

# Nouns that name a record, bill or card when "number", "no.", "#" or "ID" follows ("file number", "UHID").
_RECORD_NOUNS = ("patient member insurance subscriber policy claim case account acct invoice reference ref medicare "
                 "medicaid file hospital registration reg admission bill billing receipt card encounter visit booking "
                 "confirmation order tracking health prescription rx lab sample specimen report group ip op ipd opd "
                 "uhid").split()
# Words that are a record on their own, and those that need a nouns' "number" / "no" / "num" / "#" / "id".
_RECORD_WORDS = frozenset("mrn m.r.n id i.d uhid ssn account acct invoice claim policy record security".split())
_RECORD_NOUN_WORDS = frozenset(["chart", *_RECORD_NOUNS])
_NUMBER_WORDS = frozenset("number no num".split())
# Matched on the lower-cased text with no leading \b, so the engine skips to the keywords' first letters; the
# word start is checked on the (rare) matches instead.
_RECORD = re.compile(
    r"(?:mrn\b|m\.r\.n\b\.?|uhid\b|ssn\b|social\s+security(?:\s+(?:number|no\.?|num|\#))?"
    r"|medical\s+record(?:\s+(?:number|no\.?|num|\#))?|record\s+(?:number|no\.?|\#)"
    rf"|chart\s+(?:number|no\.?|\#)|(?:{'|'.join(_RECORD_NOUNS)})\.?\s*(?:id|number|no\.?|num|\#)"
    r"|(?:account|acct|invoice|claim|policy)\b\.?|i\.?d\b\.?)"
    r"\s*(?:(?:is|was|of|:|=)\s*)*\#?\s*"
    r"(?P<v>(?=[a-z0-9-]*\d[a-z0-9-]*\d[a-z0-9-]*\d)[a-z0-9][a-z0-9-]{2,}[a-z0-9])\b")

_STRIPPED = TokenMemo(lambda token: token.strip(_PUNCT))


def find_patient_details(text: str, staff_names: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Flags for the patient details written in text, one per kind present, spans sorted."""
    if not text:
        return []
    lower = text.lower()
    words = set(map(_STRIPPED.__getitem__, lower.replace("'s", " ").replace("’s", " ").split()))
    digits = _digit_count(text)
    found = {
        "email": _emails(text, words),
        "record_number": _record_numbers(text, words) if digits >= 4 else [],
        "date_of_birth": _dates_of_birth(text) if words & _DOB_WORDS or "d.o.b" in lower else [],
        "address": address_spans(text, words) if digits or "live" in lower else [],
        "phone": _phones(text, words, digits),
    }
    found["name"] = name_spans(text, lower, words, staff_names)
    found["age"] = _ages(text, lower, words, digits) + (_ages_after_names(text, found["name"]) if digits else [])
    if not any(found.values()):  # most reviews
        return []
    _resolve_overlaps(found)
    return [{"name": "patient_detail", "detail": kind, "spans": [list(s) for s in _merge(found[kind])]}
            for kind in KINDS if found[kind]]


def _digit_count(text: str) -> int:
    """How many of the characters are the digits 0-9 (one byte pass for ASCII text instead of ten counts)."""
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, _DIGIT_BYTES))
    return sum(map(text.count, _DIGITS))


def _emails(text: str, words: set[str]) -> list[Span]:
    spans = [m.span() for m in _EMAIL.finditer(text)] if "@" in text else []
    if "dot" in words or "(dot)" in words or "[dot]" in words:
        spans += [m.span() for m in _SPELLED_EMAIL.finditer(text)]
    return spans


def _record_numbers(text: str, words: set[str]) -> list[Span]:
    if not (words & _RECORD_WORDS or words & _RECORD_NOUN_WORDS and (words & _NUMBER_WORDS or "#" in text)):
        return []
    low = lower_same_length(text)
    return [m.span("v") for m in _RECORD.finditer(low) if not (m.start() and low[m.start() - 1].isalnum())]


def _dates_of_birth(text: str) -> list[Span]:
    return [m.span(next(g for g in ("d", "pd", "bd", "p") if m.group(g))) for m in _DOB.finditer(text)]


def _ages(text: str, lower: str, words: set[str], digits: int) -> list[Span]:
    spans = []
    if digits and not words.isdisjoint(_KIN_WORDS):
        spans += [m.span("v") for m in _KIN_AGE.finditer(lower)]
        spans += [m.span("v") for m in _SET_OFF_NUMBER.finditer(lower)
                  if _KIN_AT_END.search(lower, max(0, m.start() - 25), m.start())]
    if digits and ("at" in words or "by" in words):
        spans += [m.span(m.lastgroup) for m in _AT_AGE.finditer(lower)]
    with_digits = digits and (words & _AGE_WORDS or "0s" in lower or "0's" in lower or "he's" in lower
                              or "he’s" in lower)
    in_words = "old" in lower or "young" in lower or "ties" in lower
    if not (with_digits or in_words or words & _SELF_WORDS and any(tens in lower for tens in _TENS)):
        return spans
    return spans + [m.span(m.lastgroup) for m in _AGE.finditer(text)]


def _ages_after_names(text: str, names: list[Span]) -> list[Span]:
    found = (_AGE_AFTER_NAME.match(text, end) for _, end in names)
    return [m.span("v") for m in found if m and 0 < int(m.group("v")) < 120]


def _phones(text: str, words: set[str], digits: int) -> list[Span]:
    spans = []
    if len(words & _DIGIT_WORDS) >= 3:
        spans += [m.span() for m in _SPELLED_PHONE.finditer(text)]
    if digits < 7:
        return spans
    import phonenumbers

    matcher = phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.VALID)
    numbers = [(m.start, m.end) for m in matcher] + [m.span() for m in _PHONE_10.finditer(text)]
    numbers += [m.span("v") for m in _PHONE_7.finditer(text)]
    return spans + [s for s in numbers if not is_the_practice(text, s[0])]


def _resolve_overlaps(found: dict[str, list[Span]]) -> None:
    """A number read as a record, date or address is not also a phone; nothing inside an email is anything else."""
    stronger = found["record_number"] + found["date_of_birth"] + found["address"]
    found["phone"] = [s for s in found["phone"] if not _covered(s, stronger)]
    found["name"] = [s for s in found["name"] if not _covered(s, found["address"])]
    found["age"] = [s for s in found["age"] if not _covered(s, found["date_of_birth"] + found["record_number"])]
    for kind in KINDS:
        if kind != "email":
            found[kind] = [s for s in found[kind] if not _covered(s, found["email"])]


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]
