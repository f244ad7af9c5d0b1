"""Spam in review text, for the `spam` risk flag (details link, promotional, repetitive).

Driven by COMPLIANCE.md §2 (fake reviews are never published) and FTC-09; `policy.NEVER_PUBLISHED` holds spam
back for good, so these rules favour precision over recall:
- `link`: URLs, "www." addresses, bare domains on common TLDs ("bit.ly/x", "deals.com", "x.net") and "example
  dot com"; email addresses are left to `flags.contact_details`. A link in a real review ("found them on
  psychologytoday.com") flags too: the site should not publish links it cannot vouch for;
- `promotional`: contact bait ("DM me", "call us at"), "visit our website", promo codes, "click here", get-rich
  and SEO vocabulary, and "… near me" keyword stuffing (two or more);
- `repetitive`: a word repeated 5+ times or a phrase of up to six words 3+ times in a row, covering at least
  half of the words, or one character repeated 10+ times over at least half of the text ("good good good
  good", "Amazing!!!!!!!!!!!!!!!!!!!!"). Enthusiasm inside a real review ("sooo nice!!!!!!!!!!!! Best staff",
  "thank you thank you thank you for…") is not spam.
Settings: none.
"""

from __future__ import annotations

import re
from functools import partial

from pipeline.judge.detectors.phrases import Prepared, rule

_spam = partial(rule, "spam")

MIN_RUN_SHARE = 0.5  # a repeated word or phrase must cover at least this share of the text's words
MIN_CHAR_RUN = 10  # a repeated character must run this long, and over at least half of the text
MAX_UNIT = 6  # longest repeated phrase, in words
MIN_WORD_REPEATS, MIN_PHRASE_REPEATS = 5, 3  # "great great great great place" is a patient, not a spammer

_URL_TAIL = r"[^\s<>\"'()\[\]]+"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_CHAR_RUN = re.compile(r"(\S)\1+")

LINK = [
    _spam("link", "<url>", rf"\bhttps?://{_URL_TAIL}|\bwww\.{_URL_TAIL}"),
    _spam("link", "<domain>",
          rf"(?<![\w@.-]){_LABEL}(?:\.{_LABEL})*\.(?:com|net|org|io|info|biz|xyz|ly|ru|cn|gov|edu|co\.uk)(?![\w-])"
          rf"(?:/{_URL_TAIL})?"),
    _spam("link", "dot", r"\b[a-z0-9-]+ ?(?:\(dot\)|\[dot\]| dot ) ?(?:com|net|org)\b"),
]

PROMOTIONAL = [
    _spam("promotional", "code", r"\bcode\b", lead=r"\b(?:promo|coupon|referral|voucher) "),
    # a patient's "discount code for the pharmacy" is not an ad; a code to type in is
    _spam("promotional", "code", r"\bcode:? ?[a-z0-9]*\d[a-z0-9]*\b", lead=r"\bdiscount "),
    _spam("promotional", "code", r"\buse code \w+"),
    _spam("promotional", "click", r"\bclick (?:here|the link|below|on the link|this link|my profile|the button)\b"),
    _spam("promotional", "website site page channel profile blog store shop instagram facebook tiktok youtube",
          r"\b(?:our|my) (?:website|site|web page|page|channel|profile|blog|store|shop|instagram|facebook|tiktok|"
          r"youtube)\b", lead=r"\b(?:visit|check out|go to|see|follow) "),
    _spam("promotional", "me us", r"\bme(?: now| today| directly)? (?:at|on|via)\b(?! any ?time)|\bme @"
                                  r"|\bus(?: now| today| directly)? (?:at|on|via)\b(?! any ?time)|\bus @",
          lead=r"\b(?:call|text|dm|message|whatsapp|contact|email|e-mail|inbox|reach) ",
          also="call text dm message whatsapp contact email mail inbox reach"),
    _spam("promotional", "dm inbox whatsapp", r"\bdm (?:me|us)\b|\binbox (?:me|us)\b|\bwhatsapp (?:me|us)\b"),
    _spam("promotional", "now", r"\bnow\b", lead=r"\b(?:buy|order|act|sign up|apply) ",
          also="buy order act sign apply"),
    _spam("promotional", "seo backlinks backlink guest crypto cryptocurrency bitcoin forex casino viagra cialis "
                         "payday binary",
          r"\bseo (?:services?|agency|experts?)\b|\bbacklinks?\b|\bguest posts?\b|\bcrypto(?:currency)?\b|\bbitcoin\b"
          r"|\bforex\b|\bcasino\b|\bviagra\b|\bcialis\b|\bpayday loans?\b|\bbinary options\b"),
    _spam("promotional", "<dollar>", r"\$ ?\d[\d,]* (?:a|per|every) (?:day|week|month|hour)\b",
          lead=r"\b(?:earn|make|making|earning) (?:up to )?"),
    _spam("promotional", "home", r"\bfrom home (?:and|to) (?:earn|make)\b", lead=r"\bwork(?:ing)? "),
    _spam("promotional", "near", r"\bnear me\b", min_hits=2, also="me"),
    _spam("promotional", "follow", r"\bfollow (?:me|us) on\b", also="me us"),
    _spam("promotional", "subscribe", r"\bsubscribe to (?:my|our)\b"),
    _spam("promotional", "info information details",
          r"\bfor more (?:info|information|details),? (?:visit|call|contact|text|dm|go to|check)\b"),
]

RULES = LINK + PROMOTIONAL


def repetitive(prepared: Prepared) -> list[tuple[int, int]]:
    """Spans of spam-like repetition: runs of one word, one phrase or one character that dominate the text."""
    return _word_runs(prepared) + _char_runs(prepared)


def _word_runs(prepared: Prepared) -> list[tuple[int, int]]:
    """Spans of a repeated word or phrase covering at least half of the words."""
    words, n = prepared.words, prepared.n_words
    # Such a run leaves at most two thirds of the words distinct, and it covers one of the middle words.
    if n < 4 or 3 * prepared.n_distinct > 2 * n:
        return []
    for unit in range(1, MAX_UNIT + 1):
        for middle in {n // 2, (n - 1) // 2}:
            start, end = _periodic_run(words, middle, unit)
            repeats = (end - start) // unit
            needed = MIN_WORD_REPEATS if unit == 1 else MIN_PHRASE_REPEATS
            if repeats >= needed and unit * repeats >= MIN_RUN_SHARE * n:
                return _phrase_spans(prepared.low, words[start:start + unit], repeats)
    return []


def _periodic_run(words: list[str], middle: int, unit: int) -> tuple[int, int]:
    """The stretch of words through `middle` that repeats with period `unit`, as (start, end); (0, 0) if none.

    A run of three units or more through `middle` repeats at `middle` or at `middle - unit`, so only those
    two places are tried.
    """
    n = len(words)
    for anchor in (middle, middle - unit):
        if 0 <= anchor < n - unit and words[anchor] == words[anchor + unit]:
            start, end = anchor, anchor
            while start > 0 and words[start - 1] == words[start - 1 + unit]:
                start -= 1
            while end + unit < n and words[end] == words[end + unit]:
                end += 1
            return start, end + unit
    return 0, 0


def _phrase_spans(low: str, unit_words: list[str], repeats: int) -> list[tuple[int, int]]:
    """Where the repeated phrase sits in the text."""
    unit = r"\W+".join(map(re.escape, unit_words))
    pattern = re.compile(rf"(?<!\w){unit}(?:\W+{unit}){{{repeats - 1},}}(?!\w)")
    return [m.span() for m in pattern.finditer(low)]


def _char_runs(prepared: Prepared) -> list[tuple[int, int]]:
    """Spans of one character repeated over at least half of the text."""
    low = prepared.low
    needed = max(MIN_CHAR_RUN, (len(low) + 1) // 2)
    # Such a run covers the middle of the text: test the middle characters before running the regex.
    middle = {low[len(low) // 2], low[(len(low) - 1) // 2]} if low else set()
    if not any(not c.isspace() and c * needed in low for c in middle):
        return []
    return [m.span() for m in _CHAR_RUN.finditer(low) if m.end() - m.start() >= needed]


def repetitive_flags(prepared: Prepared) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """The repetitive-spam finding in the same shape as `RuleSet.matches`."""
    spans = repetitive(prepared)
    return {("spam", "repetitive"): spans} if spans else {}
