"""Person names written inside review text, staff left out: the "name" kind of `pipeline.judge.detectors.patient_details`.

Settings: `staff_names` (names of staff are not patient details), passed in by `find_patient_details`.

A relative's name ("my husband John", "my kids Ava and Liam"), "my name is", Mr./Mrs./Ms., a signature
("- Robert T."), and any word on the US Census first-name list (`names` package) that is not an everyday
English word, month or Florida place. Staff are not patient details: names whose words are all in
`staff_names`, names after a title or role ("Dr. Ruiz", "Nurse Kim", "our MA Luis") and names with a role
after them ("Brittany at the front desk", "Tanya Brooks, NP"). A relative's name is flagged even if a staff
member shares it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

Span = tuple[int, int]

# Street suffixes: a capitalised word before one is a street, not a name ("Dale Mabry Hwy"); addresses use them too.
_SUFFIX_WORDS = frozenset("""street st avenue ave boulevard blvd road rd drive dr lane ln court ct way place pl parkway
pkwy highway hwy circle cir terrace ter trail trl loop square sq plaza cove crossing""".split())

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
    rf"(?:{'|'.join(sorted(_KIN_WORDS, key=len, reverse=True))})\b[ \t]*(?:,|\(|[-–—:])?[ \t]*(?=[A-Za-z])")
# The same on lower-cased ASCII text without the leading "(?i)\b", so the engine skips to the possessives' first
# letters (a case-blind pattern opening with \b is tried at every character); the word start is checked on matches.
_KIN_LOWER = re.compile(_KIN.pattern.removeprefix(r"(?i)\b"))
_KIN_ALT = "|".join(sorted(_KIN_WORDS, key=len, reverse=True))
# "Ramesh, my son, was scared", "Priya C. (my wife)": a name set off before the relative it names.
_AFTER_NAME_KIN = re.compile(rf"[,(\-–—][ \t]*(?:my|our|his|her)[ \t]+(?:{_KIN_ALT})\b(?P<closed>[ \t]*[,)\-–—])?")
_NAME_AT_END = re.compile(rf"(?<![\w'’.-])(?P<n>{_NAME_TOKEN}(?:[ \t]+(?:{_NAME_TOKEN}|[A-Z]\.))?)[ \t]*\Z")
# "This is Anjali writing for my dad", "it's Mehmet here": a writer naming themself.
_THIS_IS = re.compile(rf"(?i:\b(?:this\s+is|it['’]s))[ \t]+(?P<n>{_NAME_TOKEN}(?:[ \t]+(?:{_NAME_TOKEN}|[A-Z]\.))?)"
                      r"(?=[ \t]*,?[ \t]+(?i:writing|here|speaking|from)\b)")
# "Thank you from Priya and family": a writer signing with their household.
_FROM_FAMILY = re.compile(rf"\b[Ff]rom[ \t]+(?P<n>{_NAME_TOKEN}(?:[ \t]+(?:{_NAME_TOKEN}|[A-Z]\.)){{0,2}})[ \t]+(?:and|&)[ \t]+"
                          r"(?:the[ \t]+)?(?:family|kids|children|grandkids)\b")
# Words that open a sentence before ", my husband ..." without naming anyone ("Overall, my wife ...").
_DISCOURSE = frozenset("""overall unfortunately luckily thankfully sadly anyway also later finally today yesterday
recently meanwhile honestly however again initially fortunately then now well yes no otherwise plus besides together
first second third afterwards surprisingly eventually tonight tomorrow last next sometimes once ok okay oh wow sir
madam hello hi dear doctor doctors nurse nurses staff everyone everybody thanks thank""".split())
_SELF = re.compile(rf"(?i)\b(?:(?:my|(?:my|our)\s+(?:{'|'.join(sorted(_KIN_WORDS, key=len, reverse=True))})['’]s)\s+name"
                   r"\s+(?:is|was)|name['’]s|call\s+me|signed)[ \t]*,?[ \t]*(?=[A-Z])")
_HONORIFIC = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Miss|Mx|MR|MRS|MS)\b\.?[ \t]*(?=[A-Z])")
_HONORIFIC_WORDS = frozenset("mr mrs ms miss mx".split())
_SIGN_OFF_CHARS = frozenset("-–—~\n")
_SIGN_OFF_WORDS = frozenset("sincerely regards best cheers respectfully bless love".split())
_SIGNATURE = re.compile(r"(?:(?:^|[.!?\n]\s*)(?:[-–—~]+\s*|(?i:sincerely|regards|best|cheers|respectfully"
                        r"|god\s+bless|love),?\s+)|\n\s*)"
                        rf"(?P<n>{_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}|[A-Z]\.?))?)\s*[.!]?\s*$")
_ROLE = (r"dr|doctor|nurse|np|pa|pa-c|rn|lpn|cma|aprn|arnp|practitioner|physician|assistant|receptionist|tech"
         r"|technician|scheduler|manager|coordinator|therapist|provider|surgeon|staff|phlebotomist|specialist"
         r"|front\s+desk|desk|billing|secretary|counselor|prof|professor|supervisor|executive|director|officer"
         r"|pharmacist|dietitian|dietician|physiotherapist|consultant|attendant|volunteer")
# "Nurse Kim", "Doctors Mr Anil", "the nurses, especially Teena": a role (or its plural) just before the name.
_ROLE_BEFORE = re.compile(rf"(?:(?i:\b(?:{_ROLE})s?)|\b(?:MA|CMA|RN|NP|PA|LPN|PT|OT))\b\.?\s*,?\s*"
                          r"(?i:(?:especially|particularly|specially|namely|including|like)\s+)?"
                          r"(?:(?:Mr|Mrs|Ms|Miss)\.?\s+)?(?:[A-Z][a-z]+\s+){0,2}$")
# "Brittany at the front desk", "Aisha the customer care supervisor", "Vishaal from the International department".
_ROLE_AFTER = re.compile(
    rf"(?:\s*,)?\s*(?:(?i:(?:who\s+)?(?:is|was)\s+)?(?i:(?:at|from|in|on|behind|working)\s+(?:the\s+)?(?:front|desk"
    rf"|reception|check|billing|scheduling|office|lab|x-ray)|(?:the|our|my|a|your)\s+(?:\w+\s+){{0,2}}(?:{_ROLE})"
    r"|head\s+of|in[\s-]?charge)\b"
    r"|(?i:from|of|in)\s+(?:the\s+)?(?:[A-Za-z]+\s+){1,2}(?i:department|dept|team|desk|ward)\b"
    r"|,?\s*(?:RN|NP|PA(?:-C)?|LPN|MA|CMA|ARNP|APRN|MD|DO|DPT)\b)")
_TITLES = frozenset(_ROLE.replace(r"\s+", " ").split("|")) | {"mr", "mrs", "ms", "miss", "mx", "md", "do", "dpt",
                                                             "dds", "phd", "jr", "sr", "ma"}
# A sentence end (not the dot of "Dr." or "Mrs."): a role in the sentence before names nobody in this one.
_SENTENCE_END = re.compile(r"(?<![Dd]r)(?<![Pp]rof)(?<![Mm]rs)(?<![Mm]r)(?<![Mm]s)(?<![A-Z])[.!?]\s+")
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
wednesday thursday friday saturday ok okay
""".split())
_NOT_SURNAME = frozenset("""the and or but so i is was were are thanks thank great very highly best she he they we you
it this that my our his her their everyone staff office if when then also not as at in on for to from with of by
after before while who which what where why how all any both each every no yes please just only even still again
here there today yesterday tomorrow hospital""".split())


_NOT_FIRST = _TITLES | _NOT_SURNAME


def name_spans(text: str, lower: str, words: set[str], staff_names: Iterable[str] = ()) -> list[Span]:
    """Names of patients and the people they write about, staff excluded (`words`: the lower-case words)."""
    staff = _staff_tokens(tuple(staff_names))
    spans = _kin_names(text, lower, staff) if words & _KIN_WORDS else []
    if words & _HONORIFIC_WORDS:
        spans += [s for s in _names_after(text, _HONORIFIC) if not _is_staff(text, s, staff)]
    if "name" in words and ("name is" in lower or "name was" in lower or "name's" in lower) or "call me" in lower \
            or "signed" in words:
        spans += [s for s in _names_after(text, _SELF) if not _is_staff(text, s, staff)]
    if words & _SIGN_OFF_WORDS or not _SIGN_OFF_CHARS.isdisjoint(text[-60:]):
        spans += [s for s in _signature_name(text) if not _is_staff(text, s, staff)]
    if words & _KIN_WORDS and ("my " in lower or "our " in lower or "his " in lower or "her " in lower):
        spans += [s for s in _names_before_kin(text) if not _is_staff(text, s, staff)]
    if ("this is" in lower or "it's" in lower or "it’s" in lower) and ("writing" in words or "here" in words
                                                                     or "speaking" in words or "from" in words):
        spans += [m.span("n") for m in _THIS_IS.finditer(text) if m.group("n").split()[0].lower() not in _NOT_FIRST]
    if "from" in words and ("family" in words or "kids" in words or "children" in words or "grandkids" in words):
        spans += [m.span("n") for m in _FROM_FAMILY.finditer(text) if m.group("n").split()[0].lower() not in _NOT_FIRST]
    return spans + _listed_names(text, words, spans, staff)


def _names_before_kin(text: str) -> list[Span]:
    """Names set off before a relative: closed by a comma or bracket, or a census first name.

    Found from the relative backwards (", my wife"), since a pattern opening with a name is tried at every
    character.
    """
    spans = []
    for m in _AFTER_NAME_KIN.finditer(text):
        start = max(0, m.start() - 40)
        name = _NAME_AT_END.search(text[start:m.start()])
        if not name:
            continue
        first = name.group("n").split()[0].lower()
        if first in _NOT_FIRST or first in _DISCOURSE or first.endswith("ly") or first in _PLACE_AFTER:
            continue
        if m.group("closed") or first in _first_names() and first not in _NOT_NAMES:
            spans.append((start + name.start("n"), start + name.end("n")))
    return spans


def _kin_names(text: str, lower: str, staff: frozenset[str]) -> list[Span]:
    """Names after a relative or friend ("my son Tyler", "my kids Ava and Liam"): flagged even if staff share them."""
    spans = []
    for m in _kin_matches(text, lower):
        token = _TOKEN_AT.match(text, m.end())
        if token and _kin_name_ok(token.group(1)):
            spans.append(_extend(text, token.start(1), token.end(1)))
            spans += _more_names(text, spans[-1][1], staff)
    return spans


def _kin_matches(text: str, lower: str) -> Iterable[re.Match]:
    """`_KIN`'s matches in text (`lower`: text.lower())."""
    if not text.isascii():  # case-blind matching and lower() differ on a few other letters ("ſ", "K")
        return _KIN.finditer(text)
    return (m for m in _KIN_LOWER.finditer(lower) if not (m.start() and _is_word_char(lower[m.start() - 1])))


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


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
    """Census first names written as names (capitalised, or anywhere in an all-lower-case review).

    Read from left to right, so that "Sandra Lee" is one name rather than "Lee" alone: in set order the result
    changed with Python's hash seed from run to run.
    """
    names = words & _bare_names()
    if not names:  # most reviews
        return []
    spans: list[Span] = []
    all_lower = text.islower()
    found = sorted((start, form) for word in names
                   for form in ((word.capitalize(), word) if all_lower else (word.capitalize(),))
                   for start in _occurrences(text, form))
    for start, form in found:
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
    start = max(0, span[0] - 30)
    for end in _SENTENCE_END.finditer(text, start, span[0]):
        start = end.end()
    return bool(_ROLE_BEFORE.search(text, start, span[0]) or _ROLE_AFTER.match(text, span[1]))


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
