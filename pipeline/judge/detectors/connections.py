"""Material connections in reviews: insiders (staff, owners, relatives) and incentivised reviews.

Driven by COMPLIANCE.md §2-§3 (16 CFR 465.5 and 255.5: reviews by insiders or given for a reward must be
disclosed next to the quote) and FTC-07/FTC-08 in notes/compliance-requirements.md.
- `insider` details: `employee` ("I work here", "as an employee", "full disclosure: I'm on staff", "our
  patients"), `owner` ("I am the owner of this clinic"), `relative` ("my wife is the doctor", "my sister is the
  office manager", "Dr. Ruiz is my cousin"; "my wife is a nurse" alone does not say where) and `staff_author`
  (the review's author matches a name on the staff roster; the flag has no spans because it covers the whole
  review). Patients naming staff in the text ("Nurse Luis was great") is not an insider signal.
- `incentivized` details name the reward: `discount`, `gift`, `free_care`, `payment`, `raffle`, or
  `incentive` when the review only says it was sponsored or incentivised. A reward counts when the text ties it
  to the review ("a free session for this review", "gift card for leaving a review", "leave a review and get
  10% off", "in exchange for a discount"); "they offer a discount for paying cash" does not.
Settings: none; the roster comes from the caller (`staff_names`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache, partial

from pipeline.judge.detectors.phrases import Rule, rule

_insider = partial(rule, "insider")
_incentive = partial(rule, "incentivized")

_PLACE = r"(?:here|there|at (?:this|the|that|their) (?:clinic|office|practice|center|location|place))"
_REL = (r"(?:wife|husband|spouse|partner|son|daughter|mom|mother|dad|father|brother|sister|aunt|uncle|cousin|"
        r"niece|nephew|fianc[eé]e?|girlfriend|boyfriend|(?:best )?friend|grand(?:mother|father|son|daughter|ma|pa)|"
        r"(?:mother|father|sister|brother|son|daughter)[- ]in[- ]law)")
_REL_GATES = ("wife husband spouse partner son daughter mom mother dad father brother sister aunt uncle cousin niece "
              "nephew fiance fiancee fiancé fiancée girlfriend boyfriend friend grandmother grandfather grandson "
              "granddaughter grandma grandpa")
_ROLE = (r"(?:doctor|physician|owner|co-?owner|nurse|nurse practitioner|np|pa|physician assistant|receptionist|"
         r"office manager|practice manager|manager|medical director|director|ceo|founder|anesthesiologist|provider|"
         r"medical assistant|front desk|staff|employees?)")

_I_AM = r"\bi(?:'m| am| was) "

INSIDER = [
    _insider("employee", "work worked working",
             rf"\b(?:work|worked|working)(?: part[- ]time| full[- ]time)? {_PLACE}\b(?! in\b| near)",
             lead=r"\bi(?:'ve| have| had| also| currently| used to| actually| now| still)* "),
    _insider("employee", "employee member",
             r"\bas an? (?:former |current )?(?:employee|staff member|team member|member of (?:the|this|their) "
             r"(?:staff|team))\b"),
    _insider("employee", "employee member",
             r"\b(?:employee|staff member|team member|member of (?:the|this|their) (?:staff|team)) (?:here|there|at)\b",
             lead=_I_AM + r"(?:an |a )?(?:former |current )?"),
    _insider("employee", "", r"\b{key}\b", lead=_I_AM + r"(?:on (?:the )?|part of (?:the|this|their) |one of the )",
             keys={"staff": "staff", "team": "team", "nurses": "nurses", "providers": "providers", "doctors": "doctors",
                   "receptionists": "receptionists", "assistants": "medical assistants"}),
    _insider("employee", "our", r"\bour (?:patients|practice|providers|clinicians|nursing staff|team members)\b",
             also="patients practice providers clinicians staff members"),
    _insider("employee", "specialize pride proud forward",
             r"\bwe (?:specialize|pride ourselves|are proud to (?:offer|serve)|look forward to (?:seeing|serving) "
             r"you)\b"),
    _insider("owner", "owner owners founder founders director ceo",
             r"\bco-?owners?\b|\bowners?\b|\bfounders?\b|\bmedical director\b|\bceo\b",
             lead=_I_AM + r"(?:the |a |one of the )?(?:practice )?"),
    _insider("owner", "owner founder director", r"\bas (?:the|an?) (?:co-?)?(?:owner|founder|medical director)\b"),
    _insider("owner", "own run founded opened",
             r"\b(?:own|run|founded|opened) (?:this|the) (?:clinic|practice|office|place|center)\b",
             lead=r"\b(?:i|we) "),
    _insider("relative", _REL_GATES,
             rf"\bmy {_REL} (?:is|was|has been|works as) (?:the|one of (?:the|their)|their) (?:\w+ )?{_ROLE}\b"
             rf"|\bmy {_REL} (?:is|was|has been|works as) an? (?:\w+ )?{_ROLE} {_PLACE}\b"
             rf"|\bmy {_REL} (?:works|worked|has worked|is working|used to work) {_PLACE}\b"
             rf"|\bmy {_REL}'s (?:clinic|practice|office)\b"),
    _insider("relative", _REL_GATES, rf"\bis my {_REL}\b", lead=rf"\b(?:the (?:\w+ )?{_ROLE}|dr\.? \w+|nurse \w+) "),
    _insider("relative", _REL_GATES, rf"'s {_REL}\b", lead=_I_AM + rf"(?:the |a |one of the )?(?:\w+ )?{_ROLE}"),
]

_REVIEW_NOUN = r"(?:reviews?|testimonials?|ratings?|feedback|surveys?)\b"
_REVIEW = (r"(?:them |us |the clinic )?(?:a |an |this |my |our |the |their |one )?(?:honest |positive |good |great |"
           r"nice |5[- ]star |five[- ]star |google |yelp |online |quick )*" + _REVIEW_NOUN)
_FOR_REVIEW = (r"(?:(?:for|in exchange for|in return for|after|by|just for) (?:leaving|writing|posting|giving|doing|"
               r"sharing|submitting|completing) ?|(?:for|in exchange for|in return for|just for) |(?:if (?:i|we|you)"
               r"(?: would| could)?|when (?:i|we|you)|to) (?:leave|write|post|give|left|wrote|posted|gave|do|did|share|"
               r"submit|complete|completed) )" + _REVIEW)
_LEAVE_REVIEW = (r"\b(?:leave|leaving|left|write|writing|wrote|post|posting|posted|give|giving|gave) " + _REVIEW
                 + r" (?:and (?:i |we |you )?(?:get|got|receive|received|earn|earned|be entered|was entered|"
                   r"were entered|won|win)|to (?:get|receive|earn|be entered|win)|in (?:exchange|return) for|for) "
                   r"(?:a |an |my |some |the |\d+ ?% |\$ ?\d+ )?")
_REWARDS = {
    "discount": (r"(?:\d\d* ?% off|\$ ?\d+ off|discount(?:ed)?|coupon|voucher|credit|money off|"
                 r"reduced (?:price|rate|fee))"),
    "gift": r"(?:gift ?cards?|gift certificates?|gifts?|prizes?|rewards?|swag|merch|\$ ?\d+ (?:\w+ )?card)",
    "free_care": (r"(?:free|complimentary|comped) (?:\w+ )?(?:sessions?|infusions?|treatments?|visits?|"
                  r"consult(?:ation)?s?|follow[- ]?ups?|months?|shots?|injections?|boosters?|iv|massages?|"
                  r"appointments?|care)"),
    "payment": (r"(?:paid|compensated|\$ ?\d++(?:\.\d\d)?(?! ?off| gift| discount| credit| coupon| voucher| card|"
                r" \w+ card)(?: cash)?)"),
    "raffle": (r"(?:raffle|drawing|giveaway|sweepstakes|chance to win|entry to win|entered (?:in|into) a "
               r"(?:contest|draw))"),
}
_REVIEW_GATES = "review reviews testimonial testimonials rating ratings feedback survey surveys exchange return"
_REWARD_GATES = {
    "discount": "off discount discounted coupon voucher credit reduced",
    "gift": "gift gifts card cards certificate certificates prize prizes reward rewards swag merch",
    "free_care": "free complimentary comped",
    "payment": "<dollar> paid compensated",
    "raffle": "raffle drawing giveaway sweepstakes win contest draw",
}


def _incentive_rule(detail: str, reward: str) -> Rule:
    """A reward of one kind tied to the review; runs only when the text names both a review and that reward."""
    return _incentive(detail, _REVIEW_GATES,
                      rf"{reward}[^.!?\n]{{0,40}}?\b{_FOR_REVIEW}"
                      rf"|\bin (?:exchange|return) for (?:a |an |my |some )?{reward}"
                      rf"|{_LEAVE_REVIEW}{reward}"
                      rf"|\b{_REVIEW_NOUN} (?:enters?|entered|gets?|got|earns?|earned) (?:you |me |us )?(?:into |in )?"
                      rf"(?:a |an |the )?(?:\w+ )?{reward}", also=_REWARD_GATES[detail])


INCENTIVIZED = [_incentive_rule(detail, reward) for detail, reward in _REWARDS.items()] + [
    _incentive("payment", "paid compensated rewarded",
               r"\b(?:paid|compensated|rewarded) (?:me |us )?(?:to|for) (?:write|writing|leave|leaving|post|posting|"
               r"give|giving)? ?(?:this |my |a |the )?(?:\w+ )?(?:review|testimonial)\b"),
    _incentive("incentive", "incentivized incentivised sponsored",
               r"\b(?:incentivi[sz]ed|sponsored) (?:review|testimonial|post)\b"
               r"|\b(?:this|my) (?:review|testimonial) (?:is|was) (?:sponsored|incentivi[sz]ed)\b"),
]

RULES = INSIDER + INCENTIVIZED

_TITLES = frozenset("dr doctor mr mrs ms miss mx nurse prof".split())
_CREDENTIALS = frozenset("md do np pa c rn lpn crna aprn dnp fnp bc phd pharmd dds dmd lcsw lmhc ma jr sr ii iii"
                         .split())
_NAME_TOKEN = re.compile(r"[^\W\d_]+")


def name_key(name: str) -> tuple[str, ...]:
    """A person's name as lower-case, accent-free tokens without titles or credentials.

    Credentials are dropped after a comma ("Dana Whitfield, MD") or when written in capitals at the end ("Luis
    Ortega RN"), so that a surname such as "Do" survives; a comma before names reorders them ("Ortega, Luis").
    """
    head, *tail = _fold(name).split(",")
    tokens = _NAME_TOKEN.findall(head)
    while tokens and tokens[0].casefold() in _TITLES:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1].isupper() and tokens[-1].casefold() in _CREDENTIALS:
        tokens.pop()
    for part in tail:
        words = _NAME_TOKEN.findall(part)
        if not all(w.casefold() in _CREDENTIALS for w in words):
            tokens += words
    return tuple(t.casefold() for t in tokens)


def _fold(text: str) -> str:
    if text.isascii():  # nothing to decompose
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=32)
def _roster(staff_names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(key for key in map(name_key, staff_names) if key)


def same_person(author: tuple[str, ...], staff: tuple[str, ...]) -> bool:
    """Whether two name keys can name the same person: same names in any order, middle names or an initial aside.

    A single name ("Maria") is too common to call anyone an insider, so both sides need two names.
    """
    if len(author) < 2 or len(staff) < 2:
        return False
    if sorted(author) == sorted(staff) or {author[0], author[-1]} == {staff[0], staff[-1]}:
        return True
    last = author[-1]
    return len(last) == 1 and author[0] == staff[0] and staff[-1].startswith(last)  # "Jane S." for Jane Smith


def staff_author(author: str | None, staff_names: Iterable[str]) -> bool:
    """Whether the review's author matches a name on the staff roster."""
    roster = _roster(tuple(staff_names))
    if not author or not roster:
        return False
    key = name_key(author)
    return any(same_person(key, staff) for staff in roster)
