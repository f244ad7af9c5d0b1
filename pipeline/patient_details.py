"""Patient details written inside review text: names, phones, emails, addresses, dates of birth, ages, record numbers.

HIPAA (COMPLIANCE.md section 1): these must stay outside any published excerpt, so each kind found becomes one
flag {"name": "patient_detail", "detail": kind, "spans": [[start, end], ...]} with character offsets.
Settings: `staff_names` (names of staff are not patient details).

How each kind is found (US-focused, offline, pure). The words of the text are collected once and each
detector runs only when its keywords or digits are there, so a typical review costs a few set look-ups:
- phone: `phonenumbers` (Google's libphonenumber) finds valid US numbers; a 10-digit pattern adds the numbers
  it rejects (555-555-0100, bare digits), a 7-digit one needs a phone word before it ("call 555-1234").
- name: a relative's name ("my husband John", "my kids Ava and Liam"), "my name is", Mr./Mrs./Ms., a signature
  ("- Robert T."), and any word on the US Census first-name list (`names` package) that is not an everyday
  English word, month or Florida place. Staff are not patient details: names whose words are all in
  `staff_names`, names after a title or role ("Dr. Ruiz", "Nurse Kim", "our MA Luis") and names with a role
  after them ("Brittany at the front desk", "Tanya Brooks, NP"). A relative's name is flagged even if a staff
  member shares it.
- email, address, date_of_birth, age, record_number: precompiled patterns on keyword context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

KINDS = ("name", "phone", "email", "address", "date_of_birth", "age", "record_number")
Span = tuple[int, int]

_PUNCT = ".,!?;:()[]\"“”‘'’*…"
_DIGITS = "0123456789"
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
    r"|\b(?:she|he|who|i)(?:\s+is|['’]s|\s+was|\s+will\s+be|['’]ll\s+be)\s+(?P<g>\d{2,3})\b"
    r"(?=\s*(?:[.,;!)]|$|\s+(?:and|but|now|in|this|next|soon)\b))"
    r"|\b(?:turned|turning|turns)\s+(?P<e>\d{2,3})\b(?![%/]|\.\d|\s*(?:min|hour|day|week|month))"
    r"|\bin\s+(?:my|his|her|their)\s+(?:(?:early|mid|late)[\s-]*)?(?P<f>\d0['’]?s|(?:twen|thir|for|fif|six|seven"
    r"|eigh|nine)ties)\b")
# "Rose is 91 and", "Earl, 93,", "Tyler (16)": a number right after a person's name.
_AGE_AFTER_NAME = re.compile(r"(?:,\s*|\s*\(\s*|\s+(?:is|was|are|are\s+both|turned|turns)\s+)(?P<v>\d{1,3})\b"
                             r"(?=\s*(?:[,)]|and\b|now\b|\.(?!\d)))")

_RECORD_WORDS = frozenset("mrn m.r.n record chart id i.d account acct policy claim case member invoice reference "
                          "ref".split())
_RECORD = re.compile(
    r"(?i)(?:\bmrn\b|\bm\.r\.n\b\.?|medical\s+record(?:\s+(?:number|no\.?|num|\#))?|\brecord\s+(?:number|no\.?|\#)"
    r"|\bchart\s+(?:number|no\.?|\#)|\b(?:patient|member|insurance|subscriber|policy|claim|case|account|acct"
    r"|invoice|reference|ref|medicare|medicaid)\.?\s*(?:id|number|no\.?|num|\#)"
    r"|\b(?:account|acct|invoice|claim|policy)\b\.?|\bi\.?d\b\.?)"
    r"\s*(?:(?:is|was|of|:|=)\s*)*\#?\s*"
    r"(?P<v>(?=[a-z0-9-]*\d[a-z0-9-]*\d[a-z0-9-]*\d)[a-z0-9][a-z0-9-]{2,}[a-z0-9])\b")

_SUFFIX_WORDS = frozenset("""street st avenue ave boulevard blvd road rd drive dr lane ln court ct way place pl parkway
pkwy highway hwy circle cir terrace ter trail trl loop square sq plaza cove crossing""".split())
_SUFFIX = (r"(?:(?i:street|avenue|ave|boulevard|blvd|road|rd|drive|lane|ln|court|ct|parkway|pkwy|highway|hwy)\b"
           r"|(?:Way|Place|Pl|Circle|Cir|Terrace|Ter|Trail|Trl|Loop|Square|Sq|Plaza|Cove|Crossing)\b"
           r"|(?:Dr|dr|St|st)\b(?!\.?\s+[A-Z][a-z]))")
_STREET = re.compile(
    rf"\b\d{{1,6}}(?:-\d{{1,4}})?[A-Z]?[ \t]+(?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?[ \t]+)?"
    rf"(?:(?:[A-Z][a-z]+(?:['’.-][A-Za-z]+)*|\d{{1,3}}(?:st|nd|rd|th))[ \t]+){{1,4}}?{_SUFFIX}\.?"
    r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b\.?)?(?:,?\s+(?i:apt|apartment|unit|suite|ste|lot|\#)\.?\s*\#?\s*[A-Za-z0-9-]+)?"
    r"(?:,?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2},?\s+(?:FL|Fla\.?|Florida)\b(?:\s+\d{5}(?:-\d{4})?)?)?")
_LIVE_ON = re.compile(rf"(?i:\blive[sd]?\s+(?:on|off|at))\s+(?P<v>(?:[A-Z][a-z]+\s+){{1,3}}{_SUFFIX})")
_PO_BOX = re.compile(r"(?i)\bp\.?\s?o\.?\s+box\s+\d+")
_ZIP = re.compile(r"(?:(?i:\bzip(?:\s*code)?)\s*(?:is|:)?|\bFL|\bFlorida)\s+(?P<v>\d{5}(?:-\d{4})?)\b")
_CLINIC_PLACE = re.compile(r"(?i)\b(?:office|clinic|location|practice|building|center|facility|moved|located"
                           r"|parking|branch)\b")
_PERSONAL = re.compile(r"(?i)\b(?:live[sd]?|living|home|house|address|apartment|condo|mail(?:ed)?|sen[dt]|my|me"
                       r"|cell|reach|text)\b")
_SENTENCE_BREAK = re.compile(r"[.!?\n]\s")

# Names. A token is a capitalised word ("O'Brien", "Mary-Kate"); "Don't" is not a token, "Linda's" is "Linda".
_NAME_TOKEN = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?!['’](?!s\b)\w)"
_TOKEN_AT = re.compile(rf"[ \t]*,?[ \t]*({_NAME_TOKEN}|[a-z]+(?=[\s,.!?;:)]|$))")
_NEXT_TOKEN = re.compile(rf" ({_NAME_TOKEN}|[A-Z]\.)")
_MORE_NAMES = re.compile(rf"\s*(?:,\s*|\s+and\s+|\s*&\s*)({_NAME_TOKEN})")
_KIN_WORDS = frozenset("""husband wife spouse partner son daughter child kid boy girl kids children sons daughters mom
mother mum mommy dad father daddy parent parents brother sister grandson granddaughter grandchild grandma grandmother
grandpa grandfather granny aunt uncle cousin niece nephew friend neighbor neighbour roommate coworker co-worker
colleague boss fiance fiancé fiancee boyfriend girlfriend stepson stepdaughter stepmom stepdad caregiver friends
neighbors neighbours grandkids grandchildren boys girls cousins sisters brothers twins
mother-in-law father-in-law son-in-law daughter-in-law sister-in-law brother-in-law""".split())
_KIN = re.compile(
    r"(?i)\b(?:my|our|his|her|their)\s+(?:(?:late|dear|elderly|little|older|younger|oldest|youngest|best|new"
    r"|teenage|adult|grown|twin|two|three|four|\d+(?:\s*-?\s*year\s*-?\s*old)?)\s+)?"
    rf"(?:{'|'.join(sorted(_KIN_WORDS, key=len, reverse=True))})\b[ \t]*,?[ \t]*(?=[A-Za-z])")
_SELF = re.compile(r"(?i)\b(?:my\s+name\s+is|name['’]s|call\s+me|signed)[ \t]*,?[ \t]*(?=[A-Z])")
_HONORIFIC = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Miss|Mx|MR|MRS|MS)\b\.?[ \t]*(?=[A-Z])")
_HONORIFIC_WORDS = frozenset("mr mrs ms miss mx".split())
_SIGN_OFF_WORDS = frozenset("sincerely regards best cheers respectfully bless love".split())
_SIGNATURE = re.compile(r"(?:(?:^|[.!?\n]\s*)(?:[-–—~]+\s*|(?i:sincerely|regards|best|cheers|respectfully"
                        r"|god\s+bless|love),?\s+)|\n\s*)"
                        rf"(?P<n>{_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}|[A-Z]\.?))?)\s*[.!]?\s*$")
_ROLE = (r"dr|doctor|nurse|np|pa|pa-c|rn|lpn|cma|aprn|arnp|practitioner|physician|assistant|receptionist|tech"
         r"|technician|scheduler|manager|coordinator|therapist|provider|surgeon|staff|phlebotomist|specialist"
         r"|front\s+desk|desk|billing|secretary|counselor|prof|professor")
_ROLE_BEFORE = re.compile(rf"(?:(?i:\b(?:{_ROLE}))|\b(?:MA|CMA|RN|NP|PA|LPN|PT|OT))\b\.?\s*,?\s*"
                          r"(?:(?:Mr|Mrs|Ms|Miss)\.?\s+)?(?:[A-Z][a-z]+\s+){0,2}$")
_ROLE_AFTER = re.compile(
    rf"(?:\s*,)?\s*(?:(?i:(?:who\s+)?(?:is|was)\s+)?(?i:(?:at|from|in|on|behind|working)\s+(?:the\s+)?(?:front|desk"
    rf"|reception|check|billing|scheduling|office|lab|x-ray)|(?:the|our|my|a|your)\s+(?:\w+\s+)?(?:{_ROLE}))\b"
    r"|,?\s*(?:RN|NP|PA(?:-C)?|LPN|MA|CMA|ARNP|APRN|MD|DO|DPT)\b)")
_TITLES = frozenset(_ROLE.replace(r"\s+", " ").split("|")) | {"mr", "mrs", "ms", "miss", "mx", "md", "do", "dpt",
                                                             "dds", "phd", "jr", "sr", "ma"}
_STAFF_WORD = re.compile(r"[A-Za-z'’-]+")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.?\s+$")
_WORD_AFTER = re.compile(r"\s+([A-Za-z]+)")
_PLACE_BEFORE = frozenset("lake port fort ft palm saint st mount mt san santa new west north south east cape winter "
                          "sun spring temple land plant dade apollo tarpon university christmas n s e w ne nw se sw"
                          .split())
_PLACE_AFTER = frozenset("hospital medical health center centre clinic county city chapel park beach springs pharmacy "
                         "insurance university college school church regional general memorial baptist methodist "
                         "heights harbor village lakes hills bay island group associates pain spine orthopedics "
                         "rehab care".split()) | _SUFFIX_WORDS
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec january june april may august".split())
# Census first names that are also everyday English words, months or Florida places: only context makes
# them names ("my wife Hope"), never the list alone.
_NOT_NAMES = frozenset("""
will may june april august hope faith grant guy max pat sue bill angel gene earnest drew olive clay van garland
miles sterling chase chuck rod brain rob son cliff charity autumn reed summer lea basil ward gale coy art beau dick
lane hunter numbers hung gay freeman young forest rich major brooks chance royal marquis ivory cherry foster queen
berry tanner prince bud kitty sung chi walker noble sierra ma valentine sol king sun buster destiny birdie herb
manual merry long man barb porter buck aura alpha princess raven mi precious sunny brook windy soon fawn blanch
bonny garnet abbey era coral nova prudence marvel meta deb mercy glory marry star sunshine in viva page my stormy
patience delta spring harmony diamond ha velvet min else trinity song chin yen loan lady dot dell genie cherish
lore desire angle angelic so scarlet karma honey tam tiny maple dung liberty echo omega china miss mica emerald
bell hang blossom yon aide pa bunny winter conception kit hue carry genesis season fairy an marine lean bong wan
see sparkle sage ping peg nu gala temple moon bee shin many golden willow love vi christian jesus christ
florida brandon orlando odessa venice easter sunday georgia carolina dakota dallas houston phoenix denver
india asia america africa europe january february march july september october november december monday tuesday
wednesday thursday friday saturday
""".split())
_NOT_SURNAME = frozenset("""the and or but so i is was were are thanks thank great very highly best she he they we you
it this that my our his her their everyone staff office if when then also not as at in on for to from with of by
after before while who which what where why how all any both each every no yes please just only even still again
here there today yesterday tomorrow hospital""".split())


_NOT_FIRST = _TITLES | _NOT_SURNAME


def find_patient_details(text: str, staff_names: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Flags for the patient details written in text, one per kind present, spans sorted."""
    if not text:
        return []
    lower = text.lower()
    words = {w.strip(_PUNCT) for w in lower.replace("'s", " ").replace("’s", " ").split()}
    digits = sum(map(text.count, _DIGITS))
    found = {
        "email": _emails(text, words),
        "record_number": _record_numbers(text, words) if digits >= 4 else [],
        "date_of_birth": _dates_of_birth(text) if words & _DOB_WORDS or "d.o.b" in lower else [],
        "address": _addresses(text, words) if digits or "live" in lower else [],
        "phone": _phones(text, words, digits),
    }
    found["name"] = _names(text, lower, words, _staff_tokens(tuple(staff_names)))
    found["age"] = _ages(text, lower, words, digits) + (_ages_after_names(text, found["name"]) if digits else [])
    _resolve_overlaps(found)
    return [{"name": "patient_detail", "detail": kind, "spans": [list(s) for s in _merge(found[kind])]}
            for kind in KINDS if found[kind]]


def _emails(text: str, words: set[str]) -> list[Span]:
    spans = [m.span() for m in _EMAIL.finditer(text)] if "@" in text else []
    if "dot" in words or "(dot)" in words or "[dot]" in words:
        spans += [m.span() for m in _SPELLED_EMAIL.finditer(text)]
    return spans


def _record_numbers(text: str, words: set[str]) -> list[Span]:
    if not (words & _RECORD_WORDS or "#" in text):
        return []
    return [m.span("v") for m in _RECORD.finditer(text)]


def _dates_of_birth(text: str) -> list[Span]:
    return [m.span(next(g for g in ("d", "pd", "bd", "p") if m.group(g))) for m in _DOB.finditer(text)]


def _ages(text: str, lower: str, words: set[str], digits: int) -> list[Span]:
    with_digits = digits and (words & _AGE_WORDS or "0s" in lower or "0's" in lower)
    in_words = "old" in lower or "young" in lower or "ties" in lower
    if not (with_digits or in_words or words & _SELF_WORDS and any(tens in lower for tens in _TENS)):
        return []
    return [m.span(m.lastgroup) for m in _AGE.finditer(text)]


def _ages_after_names(text: str, names: list[Span]) -> list[Span]:
    found = (_AGE_AFTER_NAME.match(text, end) for _, end in names)
    return [m.span("v") for m in found if m and 0 < int(m.group("v")) < 120]


def _addresses(text: str, words: set[str]) -> list[Span]:
    spans = []
    if words & _SUFFIX_WORDS:
        spans += [m.span() for m in _STREET.finditer(text) if not _is_the_practice(text, m.start())]
        if "live" in words or "lives" in words or "lived" in words:
            spans += [m.span("v") for m in _LIVE_ON.finditer(text)]
    if "box" in words:
        spans += [m.span() for m in _PO_BOX.finditer(text)]
    if "zip" in words or "fl" in words or "florida" in words:
        spans += [m.span("v") for m in _ZIP.finditer(text)]
    return spans


def _is_the_practice(text: str, start: int) -> bool:
    """The practice's own address or phone ("call the office at ...") is not a patient detail."""
    before = _SENTENCE_BREAK.split(text[max(0, start - 80):start])[-1]
    return bool(_CLINIC_PLACE.search(before)) and not _PERSONAL.search(before)


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
    return spans + [s for s in numbers if not _is_the_practice(text, s[0])]


def _names(text: str, lower: str, words: set[str], staff: frozenset[str]) -> list[Span]:
    spans = _kin_names(text, staff) if words & _KIN_WORDS else []
    if words & _HONORIFIC_WORDS:
        spans += [s for s in _names_after(text, _HONORIFIC) if not _is_staff(text, s, staff)]
    if "name" in words and ("name is" in lower or "name's" in lower) or "call me" in lower or "signed" in words:
        spans += [s for s in _names_after(text, _SELF) if not _is_staff(text, s, staff)]
    if words & _SIGN_OFF_WORDS or any(c in text[-60:] for c in "-–—~\n"):
        spans += [s for s in _signature_name(text) if not _is_staff(text, s, staff)]
    return spans + _listed_names(text, words, spans, staff)


def _kin_names(text: str, staff: frozenset[str]) -> list[Span]:
    """Names after a relative or friend ("my son Tyler", "my kids Ava and Liam"): flagged even if staff share them."""
    spans = []
    for m in _KIN.finditer(text):
        token = _TOKEN_AT.match(text, m.end())
        if token and _kin_name_ok(token.group(1)):
            spans.append(_extend(text, token.start(1), token.end(1)))
            spans += _more_names(text, spans[-1][1], staff)
    return spans


def _kin_name_ok(word: str) -> bool:
    """After a relative any capitalised word is a name; a lower-case one only if it is a census first name."""
    lower = word.lower()
    if lower in _NOT_FIRST:
        return False
    if word[0].isupper():
        return lower not in _PLACE_AFTER
    return lower in _first_names() and lower not in _NOT_NAMES


def _more_names(text: str, end: int, staff: frozenset[str]) -> list[Span]:
    """Further names listed after the first: "Ava and Liam", unless the next one is staff ("John and Kim")."""
    spans = []
    while (m := _MORE_NAMES.match(text, end)) and _kin_name_ok(m.group(1)):
        span = _extend(text, m.start(1), m.end(1))
        if _is_staff(text, span, staff):
            break
        spans.append(span)
        end = span[1]
    return spans


def _names_after(text: str, pattern: re.Pattern) -> list[Span]:
    """Capitalised names right after a pattern ("Mrs. Ortiz", "my name is Patricia Owens")."""
    spans = []
    for m in pattern.finditer(text):
        token = _TOKEN_AT.match(text, m.end())
        if token and token.group(1)[0].isupper() and token.group(1).lower() not in _NOT_FIRST:
            spans.append(_extend(text, token.start(1), token.end(1)))
    return spans


def _signature_name(text: str) -> list[Span]:
    """A name signing off the review: "- Robert T.", "Sincerely, Maria Gonzalez"."""
    offset = max(0, len(text) - 60)
    m = _SIGNATURE.search(text, offset)
    if not m or m.group("n").split()[0].lower() in _TITLES:
        return []
    return [m.span("n")]


def _listed_names(text: str, words: set[str], taken: list[Span], staff: frozenset[str]) -> list[Span]:
    """Census first names written as names (capitalised, or anywhere in an all-lower-case review)."""
    spans: list[Span] = []
    all_lower = text.islower()
    for word in words & _bare_names():
        for form in (word.capitalize(), word) if all_lower else (word.capitalize(),):
            for start in _occurrences(text, form):
                span = _extend(text, start, start + len(form))
                if not _covered(span, taken + spans) and not _not_a_patient(text, span, staff):
                    spans.append(span)
    return spans


def _occurrences(text: str, word: str) -> Iterable[int]:
    start = text.find(word)
    while start >= 0:
        if _whole_word(text, start, start + len(word)):
            yield start
        start = text.find(word, start + len(word))


def _whole_word(text: str, start: int, end: int) -> bool:
    """Not part of a longer word; a possessive "'s" may follow ("Linda's"), other apostrophes not ("Don't")."""
    before, after = text[start - 1] if start else " ", text[end:end + 3]
    if before.isalnum() or before in "'’-":
        return False
    if after[:1] in ("'", "’"):
        return after[1:2] == "s" and not after[2:3].isalnum()
    return not after[:1].isalnum()


def _not_a_patient(text: str, span: Span, staff: frozenset[str]) -> bool:
    return _is_staff(text, span, staff) or _is_place(text, span) or _is_date(text, span)


def _extend(text: str, start: int, end: int) -> Span:
    """A first name grown over a following surname or initial: "Maria Lopez", "Robert T."."""
    for _ in range(2):
        m = _NEXT_TOKEN.match(text, end)
        word = m.group(1).lower() if m else ""
        if not m or word in _NOT_SURNAME or word in _TITLES or word in _PLACE_AFTER:
            break
        end = m.end(1)
    return start, end


def _is_staff(text: str, span: Span, staff: frozenset[str]) -> bool:
    """All its words are staff names, or a title or role sits right before or after it."""
    tokens = {t.lower() for t in _STAFF_WORD.findall(text[span[0]:span[1]])}
    if tokens <= staff:
        return True
    return bool(_ROLE_BEFORE.search(text, max(0, span[0] - 30), span[0]) or _ROLE_AFTER.match(text, span[1]))


def _is_place(text: str, span: Span) -> bool:
    """Part of a place or street: "Lake Mary", "St. Pete", "Wesley Chapel", "on Dale Mabry"."""
    before = _WORD_BEFORE.search(text, max(0, span[0] - 15), span[0])
    after = _WORD_AFTER.match(text, span[1])
    if before and before.group(1)[0].isupper() and before.group(1).lower() in _PLACE_BEFORE:
        return True
    if after and after.group(1)[0].isupper() and after.group(1).lower() in _PLACE_AFTER:
        return True
    return bool(before and before.group(1) in ("on", "off") and " " in text[span[0]:span[1]])


def _is_date(text: str, span: Span) -> bool:
    """A month written before a day: "Jan 5"."""
    return text[span[0]:span[1]].lower() in _MONTHS and text[span[1]:span[1] + 2].strip()[:1].isdigit()


@lru_cache(maxsize=64)
def _staff_tokens(staff_names: tuple[str, ...]) -> frozenset[str]:
    words = (w.lower() for name in staff_names for w in _STAFF_WORD.findall(name))
    return frozenset(w for w in words if w not in _TITLES and len(w) > 1)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """US Census first names (lower case), read once per process from the `names` package."""
    import names

    found = set()
    for key in ("first:male", "first:female"):
        with open(names.FILES[key], encoding="ascii") as lines:
            found.update(line.split(None, 1)[0].lower() for line in lines if line.strip())
    return frozenset(found)


@lru_cache(maxsize=1)
def _bare_names() -> frozenset[str]:
    return _first_names() - _NOT_NAMES - _TITLES - _NOT_SURNAME


def _covered(span: Span, spans: list[Span]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


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
