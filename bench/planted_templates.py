"""Sentences and value forms that `bench/planted_details.py` plants into real review text, written for it.

A template is a sentence holding one gold span in [[...]] (the patient detail a detector must find), with
{slots} filled from FORMS. Templates and forms are "dev" (the detectors may be tuned on them) or "holdout"
(written at the same time, scored once before any tuning on them, then kept as a check of classes of
language rather than of examples). A plant is held out when its template or any of its forms is.
All values are invented; numbers are drawn at random, names from mixed lists (US Census names and names the
Census list lacks).
"""

from __future__ import annotations

import random
from collections.abc import Callable

Form = Callable[[random.Random], str]

FIRST = ("Linda Robert Maria James Patricia Kevin Angela Carlos Denise Tyler Emily Rosa Gloria Walter Priya "
         "Manisha Aarav Xochitl Oluwaseun Siobhan Thanh Mehmet Anjali Darnell Ngozi Ramesh Leticia Yusuf "
         "Bronwyn Keanu Svetlana Deshawn Imani Hiroshi Guadalupe Tamika").split()
LAST = ("Martinez Johnson O'Brien Nguyen Patel Williams Okafor Kowalski Rivera Thompson Gupta Washington "
        "Delgado Fitzgerald Chen Abernathy Mbeki Castillo Reyes Sorensen").split()
RELATIVES = ("husband wife son daughter mother mom father dad grandmother grandfather brother sister aunt uncle "
             "fiance partner friend neighbor").split()
STREETS = ("Kennedy|Elm|Oak Hill|Bayshore|Dale Mabry|Gulf|Maple|Palm|Lincoln|Martin Luther King Jr|Main|5th|22nd|"
           "Sunset Point|Fowler|Cypress Creek|Hillsborough|Orange Blossom|Magnolia|Belcher").split("|")
SUFFIXES = ("St Street Ave Avenue Blvd Boulevard Rd Road Dr Drive Ln Lane Ct Court Way Pl Place Cir Circle Ter "
            "Pkwy Hwy Trail Loop").split()
DIRECTIONS = ("N", "S", "E", "W", "NE", "SW", "North", "South")
UNITS = ("Apt 3B", "Unit 12", "Suite 200", "#4", "Ste 110", "Apt. 1207", "Lot 44")
CITIES = ("Tampa, FL 33602", "Sarasota, FL 34236", "Orlando FL 32801", "Austin, TX 78701", "Clearwater, Florida 33755",
          "Atlanta, GA 30303", "Brandon, FL", "Phoenix, AZ 85004-1234")
AREA_CODES = ("813", "727", "941", "305", "407", "561", "239", "352", "904", "850", "212", "646", "512", "404")
MONTHS = ("January February March April May June July August September October November December").split()
EMAIL_HOSTS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "icloud.com", "comcast.net")


def _pick(options):
    return lambda rng: rng.choice(options)


def _phone_parts(rng: random.Random) -> tuple[str, str, str]:
    exchange = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(2, 9)}"
    return rng.choice(AREA_CODES), exchange, f"{rng.randint(0, 9999):04d}"


def _phone(fmt: str) -> Form:
    return lambda rng: fmt.format(*_phone_parts(rng))


def _first(rng):
    return rng.choice(FIRST)


def _user(rng, sep="."):
    return f"{_first(rng).lower()}{sep}{rng.choice(LAST).lower().replace(chr(39), '')}"


def _date(rng) -> tuple[int, int, int]:
    return rng.randint(1, 12), rng.randint(1, 28), rng.randint(1935, 2012)


def _dob(render: Callable[[int, int, int], str]) -> Form:
    return lambda rng: render(*_date(rng))


def _street(rng, direction=0.3) -> str:
    number = str(rng.choice((rng.randint(1, 99), rng.randint(100, 9999), rng.randint(10000, 99999))))
    pre = rng.choice(DIRECTIONS) + " " if rng.random() < direction else ""
    return f"{number} {pre}{rng.choice(STREETS)} {rng.choice(SUFFIXES)}"


def _digits(n: int) -> Form:
    return lambda rng: "".join(str(rng.randint(0, 9)) for _ in range(n))


_ONES = "zero one two three four five six seven eight nine".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _age_words(rng) -> str:
    n = rng.randint(21, 94)
    return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])


# slot -> (dev forms, holdout forms)
FORMS: dict[str, tuple[list[Form], list[Form]]] = {
    "phone": ([_phone("({}) {}-{}"), _phone("{}-{}-{}"), _phone("{}.{}.{}"), _phone("+1 {} {} {}")],
              [_phone("{}{}{}"), _phone("1-{}-{}-{}"), _phone("{} {} {}"), _phone("+1 ({}) {}-{}")]),
    "email": ([lambda r: f"{_user(r)}@{r.choice(EMAIL_HOSTS)}",
               lambda r: f"{_user(r, '')}{r.randint(1, 99)}@{r.choice(EMAIL_HOSTS)}"],
              [lambda r: f"{_user(r, '_')}@{r.choice(EMAIL_HOSTS)}",
               lambda r: f"{_user(r, '')} at gmail dot com",
               lambda r: f"{_user(r).upper()}@{r.choice(EMAIL_HOSTS).upper()}"]),
    "name": ([_first, lambda r: f"{_first(r)} {r.choice(LAST)}"],
             [lambda r: f"{_first(r)} {r.choice(LAST)[0]}."]),
    "rel": ([_pick(RELATIVES)], []),
    "dob": ([_dob(lambda m, d, y: f"{m:02d}/{d:02d}/{y}"), _dob(lambda m, d, y: f"{MONTHS[m - 1]} {d}, {y}"),
             _dob(lambda m, d, y: f"{m}-{d}-{y % 100:02d}")],
            [_dob(lambda m, d, y: f"{d} {MONTHS[m - 1]} {y}"), _dob(lambda m, d, y: f"{y}-{m:02d}-{d:02d}"),
             _dob(lambda m, d, y: f"{d:02d}.{m:02d}.{y}"), _dob(lambda m, d, y: f"{MONTHS[m - 1][:3]}. {d}th {y}")]),
    "address": ([_street, lambda r: f"{_street(r)}, {r.choice(UNITS)}", lambda r: f"{_street(r)}, {r.choice(CITIES)}",
                 lambda r: f"PO Box {r.randint(1, 99999)}"],
                [lambda r: f"{_street(r, 0.8)} {r.choice(UNITS)} {r.choice(CITIES)}",
                 lambda r: f"P.O. Box {r.randint(1, 9999)}, {r.choice(CITIES)}",
                 lambda r: f"{r.randint(1, 9999)} {r.choice(DIRECTIONS)} {r.randint(1, 99)}th {r.choice(SUFFIXES)}"]),
    "age": ([lambda r: str(r.randint(18, 97))], []),
    "kidage": ([], [lambda r: str(r.randint(2, 17))]),
    "agew": ([_age_words], []),
    "mrn": ([_digits(7), lambda r: "A" + _digits(7)(r), lambda r: f"{_digits(2)(r)}-{_digits(2)(r)}-{_digits(4)(r)}"],
            [lambda r: "MRN" + _digits(6)(r), _digits(10), lambda r: f"{_digits(4)(r)}/{_digits(5)(r)}"]),
}

# kind -> (dev templates, holdout templates); the gold span is the [[...]] part.
TEMPLATES: dict[str, tuple[list[str], list[str]]] = {
    "phone": ([
        "Please call me back at [[{phone}]], I have been waiting a week.",
        "My number is [[{phone}]] if anyone from billing reads this.",
        "You can reach my daughter at [[{phone}]].",
        "[[{phone}]] is my cell and nobody has called back.",
        "Ph: [[{phone}]]",
        "Mob [[{phone}]], call after six.",
    ], [
        "I left my number, [[{phone}]], at the desk twice.",
        "Text me on [[{phone}]] and I will share the reports.",
        "Still waiting for a callback on [[{phone}]].",
        "Whoever took my file, ring [[{phone}]].",
    ]),
    "email": ([
        "Email me at [[{email}]] with the report.",
        "My email is [[{email}]].",
        "Send the bill to [[{email}]] please.",
        "Write to [[{email}]] if you need my reports.",
    ], [
        "I wrote to them from [[{email}]] three times.",
        "Contact: [[{email}]]",
        "They have my address ([[{email}]]) but never replied.",
    ]),
    "name": ([
        "My {rel} [[{name}]] had surgery here last month.",
        "They took great care of my {rel}, [[{name}]].",
        "My name is [[{name}]] and I was admitted for three days.",
        "I brought my {rel} [[{name}]] for a checkup.",
        "Me and my {rel} [[{name}]] waited four hours.",
        "My {rel}'s name is [[{name}]], please check her file.",
    ], [
        "Our {rel} [[{name}]] was discharged yesterday.",
        "[[{name}]], my {rel}, was scared before the operation.",
        "This is [[{name}]] writing on behalf of my {rel}.",
        "The nurses were kind to my {rel} ([[{name}]]) all week.",
    ]),
    "date_of_birth": ([
        "My DOB is [[{dob}]], please fix it in the system.",
        "I was born on [[{dob}]].",
        "Date of birth: [[{dob}]].",
        "My son was born [[{dob}]] in this hospital.",
    ], [
        "They wrote my birthdate as [[{dob}]] on the report.",
        "D.O.B. [[{dob}]]",
        "My mother (born [[{dob}]]) was admitted.",
    ]),
    "address": ([
        "We moved to [[{address}]] last year and this is still the closest hospital.",
        "[[{address}]] is where they sent the bill.",
        "I live at [[{address}]].",
        "Send the reports to [[{address}]].",
        "[[{address}]]",
        "Our address is [[{address}]] but the bill went elsewhere.",
        "They have my old address, [[{address}]], in the system.",
    ], [
        "Our home on [[{address}]] is twenty minutes away.",
        "They mailed the refund to the wrong place ([[{address}]]).",
        "The ambulance came to [[{address}]] within ten minutes.",
        "Used to drive here from [[{address}]] every week.",
    ]),
    "age": ([
        "I am [[{age}]] and was treated with respect.",
        "My [[{age}-year-old]] {rel} had a stroke.",
        "My {rel} is [[{age} years old]] and was scared.",
        "I'm [[{agew}]], so I have seen a few hospitals.",
        "My {rel} is [[{age}]].",
        "At [[{age}]], my {rel} needed a knee replacement.",
        "A [[{age}-yr-old]] man in the next bed was ignored.",
    ], [
        "She is [[{age}]] now and walks without help.",
        "My {rel}, aged [[{age}]], was admitted overnight.",
        "I turned [[{age}]] last month.",
        "My {rel} ([[{age}]]) had bypass surgery.",
        "Our son, [[{kidage}]], needed stitches and never cried.",
        "As a [[{age} yr old]] I found the stairs hard.",
    ]),
    "record_number": ([
        "MRN [[{mrn}]] if you want to check.",
        "My medical record number is [[{mrn}]].",
        "Patient ID: [[{mrn}]].",
        "UHID [[{mrn}]], please check.",
        "My file number is [[{mrn}]].",
        "Insurance ID [[{mrn}]] was rejected at the desk.",
    ], [
        "Account #[[{mrn}]] still shows a balance.",
        "Claim number [[{mrn}]] was denied twice.",
        "My member ID [[{mrn}]] was typed wrong.",
        "Bill no. [[{mrn}]] has charges I never had.",
    ]),
}

# A second held-out batch, written after the detectors were tuned on "dev" and "holdout1" and scored once
# before any change it prompted (figures in bench/planted_details.py).
FORMS2: dict[str, list[Form]] = {
    "phone": [_phone("({}){}-{}"), _phone("+1-{}-{}-{}"), _phone("{}/{}-{}")],
    "email": [lambda r: f"{_user(r, '-')}@{r.choice(EMAIL_HOSTS)}",
              lambda r: f"{_user(r)}@{r.choice(('bayhealth.org', 'mail.usf.edu', 'company.co.uk'))}",
              lambda r: f"{_user(r, '')} [at] gmail [dot] com"],
    "name": [lambda r: f"{_first(r)} {r.choice(FIRST)[0]}. {r.choice(LAST)}"],
    "dob": [_dob(lambda m, d, y: f"{m}/{d}/{y % 100:02d}"), _dob(lambda m, d, y: f"{MONTHS[m - 1]} {d}th, {y}")],
    "address": [lambda r: f"{r.randint(10, 999)}-{r.randint(10, 99)} {r.choice(STREETS)} {r.choice(SUFFIXES)}",
                lambda r: f"{_street(r)} #{r.randint(1, 40)}",
                lambda r: f"{r.randint(100, 9999)} {r.choice(STREETS)} {r.choice(SUFFIXES)}, {r.choice(CITIES)}"],
    "age": [lambda r: str(r.randint(30, 99))],
    "mrn": [lambda r: f"{_digits(3)(r)}-{_digits(3)(r)}-{_digits(3)(r)}", lambda r: "P" + _digits(8)(r)],
}
TEMPLATES2: dict[str, list[str]] = {
    "phone": ["Give me a ring at [[{phone}]] when the report is ready.", "My cell: [[{phone}]]",
              "The callback number I gave was [[{phone}]], my husband's line."],
    "email": ["Reports can go to [[{email}]].", "my mail id is [[{email}]]", "E-mail - [[{email}]]"],
    "name": ["We had to carry [[{name}]], our {rel}, up the stairs.", "My {rel} [[{name}]]'s surgery went well.",
             "Thank you from [[{name}]] and family.", "Please ask for [[{name}]] in room 4, my {rel}."],
    "date_of_birth": ["DOB - [[{dob}]]", "My birthday is [[{dob}]], not what is on the form.",
                      "Born [[{dob}]], I have been coming here for years."],
    "address": ["Our apartment at [[{address}]] is right across the street.", "I reside at [[{address}]].",
                "Pick-up was from [[{address}]] at 6 am."],
    "age": ["We brought in grandma, [[{age}]], after a fall.", "I'm a [[{age}]] year old woman with diabetes.",
            "He's only [[{age}]] and already had two surgeries.", "Not bad for someone who is [[{age}]]!"],
    "record_number": ["Ref #[[{mrn}]]", "IP no: [[{mrn}]]", "Registration number [[{mrn}]] for my father.",
                      "My case no. is [[{mrn}]]."],
}
