"""Gated phrase rules: the matcher behind the risk flags (`pipeline/judge/detectors/risk.py`).

Speed comes from two things, since `risk_flags` runs on every review of a backfill:
- Gates. A rule names gate words and runs only when one of them is a token of the review (and, with `also`,
  one of a second set too); most reviews hold no gate word of most rules. Every text a rule can match must
  contain one of its gate words: `tests/test_risk.py` compares gated and ungated runs over every example.
- Literal prefixes. Python's regex engine jumps straight to a literal prefix ("suicid", "no more") but tries a
  pattern that opens with `\\b` or a group at every character, up to twenty times slower. So a rule's pattern is
  split into its top-level alternatives, each compiled on its own with a leading `\\b` moved into a check on the
  (rare) matches. A rule whose rare word sits mid-phrase leads with that word and names the words before it as
  `lead`: a pattern that must match just before, and that the flag's span then includes. A rule built over a
  vocabulary (`keys`, e.g. condition names) compiles one pattern per word and runs only those whose word is in
  the review.
Tokens are runs of letters and digits (apostrophes and hyphens split them: "didn't" gives "didn" and "t"); a few
characters add pseudo-tokens such as "<star>". Settings: none (thresholds are module constants).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import NamedTuple

CONTEXT_WINDOW = 100  # characters before a match that `lead` and `veto_before` patterns look at

_SEPARATORS = "".join(c for c in string.printable if not c.isalnum())
_ASCII_BYTES = bytes(32 if chr(c) in _SEPARATORS else c for c in range(256))
_UNICODE_SEPARATORS = _SEPARATORS + "’‘“”–—…«»•·"
_UNICODE_TABLE = str.maketrans(_UNICODE_SEPARATORS, " " * len(_UNICODE_SEPARATORS))
_QUOTES = str.maketrans("’‘ʼ", "'''")
_TLD_HINT = re.compile(r"\.(?:com|net|org|io|info|biz|xyz|ly|ru|cn|gov|edu|co\.uk)(?![\w-])")
_CHAR_GATES = (("*", "<star>"), ("$", "<dollar>"), ("@", "<at>"), ("%", "<percent>"), ("[", "<bracket>"),
               ("{", "<bracket>"), ("<", "<bracket>"), ("http", "<url>"), ("www", "<url>"), ("# ", "<heading>"))


@dataclass(frozen=True)
class Alternative:
    """One top-level alternative of a rule's pattern, compiled alone."""

    pattern: re.Pattern[str]
    word_start: bool  # the source opened with \b: matches must start a word


@dataclass(frozen=True)
class Rule:
    """One phrase rule: a pattern, the words that gate it, and the flag it raises."""

    name: str
    detail: str
    gates: frozenset[str]
    alternatives: tuple[Alternative, ...]
    also: frozenset[str] = frozenset()  # a second gate set: when given, one of these words is needed too
    by_key: dict[str, tuple[Alternative, ...]] | None = None  # per-word alternatives of a keyed rule
    lead: Alternative | None = None  # must match just before a match; the span then starts with it
    veto_before: re.Pattern[str] | None = None  # context just before a match that cancels it
    raw: bool = False  # match the original text (case-sensitive) instead of the lower-cased one
    min_hits: int = 1  # matches needed before any counts (keyword stuffing)


def rule(name: str, detail: str, gates: str, pattern: str, lead: str | None = None,
         veto_before: str | None = None, raw: bool = False, min_hits: int = 1, also: str = "",
         keys: dict[str, str] | None = None) -> Rule:
    """A rule from plain strings: space-separated gate words and regular-expression sources.

    With `keys` (gate word -> regex for it), `pattern` holds "{key}" and the gates are the keys.
    """
    by_key = {word: _compile(pattern.replace("{key}", form)) for word, form in keys.items()} if keys else None
    gate_words = frozenset(keys) if keys else frozenset(gates.split())
    return Rule(name, detail, gate_words, () if keys else _compile(pattern), frozenset(also.split()), by_key,
                _compile_lead(lead) if lead else None,
                re.compile(rf"(?:{veto_before})\Z") if veto_before else None, raw, min_hits)


def _compile(pattern: str) -> tuple[Alternative, ...]:
    return tuple(_compile_alternative(source) for source in split_alternatives(pattern))


def _compile_lead(lead: str) -> Alternative:
    """A lead anchored at the end of the searched window."""
    return _compile_alternative(rf"{lead}\Z" if len(split_alternatives(lead)) == 1 else rf"(?:{lead})\Z")


def _compile_alternative(source: str) -> Alternative:
    word_start = source.startswith(r"\b")
    return Alternative(re.compile(source[2:] if word_start else source, re.MULTILINE), word_start)


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (not those inside groups or character classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 2 if pattern[i + 1:i + 3] == "^]" else 1 if pattern[i + 1:i + 2] in ("]", "^") else 0
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return parts + [pattern[start:]]


class Prepared(NamedTuple):  # a NamedTuple: built once per review, and a frozen dataclass is slower to build
    """A review ready for matching: lower-cased text of the same length, and its tokens."""

    text: str
    low: str
    tokens: frozenset[str]  # word tokens plus pseudo-tokens such as "<star>"
    words: list[str]  # word tokens in order
    n_distinct: int  # distinct word tokens

    @property
    def n_words(self) -> int:
        """Number of word tokens."""
        return len(self.words)


def lower_same_length(text: str) -> str:
    """Lower-cased text with every offset unchanged (curly apostrophes become straight ones)."""
    low = text.lower()
    if len(low) != len(text):  # a few characters ("İ") lower-case to two; keep those as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if not low.isascii() and ("’" in low or "‘" in low or "ʼ" in low):
        low = low.translate(_QUOTES)
    return low


def prepare(text: str) -> Prepared:
    """Lower-case and tokenise a review once for all rules."""
    low = lower_same_length(text)
    if low.isascii():  # a byte translation is several times cheaper than str.translate
        words = low.encode("ascii").translate(_ASCII_BYTES).decode("ascii").split()
    else:
        words = low.translate(_UNICODE_TABLE).split()
    tokens = frozenset(words)
    extra = {token for needle, token in _CHAR_GATES if needle in low}
    if "." in low and _TLD_HINT.search(low):
        extra.add("<domain>")
    return Prepared(text, low, tokens | extra if extra else tokens, words, len(tokens))


class RuleSet:
    """Rules indexed by gate word, matched together over one prepared review."""

    def __init__(self, rules: list[Rule] | tuple[Rule, ...]):
        self.rules = tuple(rules)
        index: dict[str, set[int]] = {}
        for position, each in enumerate(self.rules):
            for gate in each.gates:
                index.setdefault(gate, set()).add(position)
        self.index = {gate: frozenset(positions) for gate, positions in index.items()}
        self.gate_words = frozenset(index)

    def matches(self, prepared: Prepared, gated: bool = True) -> dict[tuple[str, str], list[tuple[int, int]]]:
        """Spans found per (name, detail), merged; gated=False runs every rule (for tests)."""
        found: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for position in self._candidates(prepared, gated):
            each = self.rules[position]
            spans = rule_spans(each, prepared, gated)
            if spans:
                found.setdefault((each.name, each.detail), []).extend(spans)
        return {key: merge(spans) for key, spans in found.items()}

    def _candidates(self, prepared: Prepared, gated: bool) -> set[int] | range:
        if not gated:
            return range(len(self.rules))
        candidates: set[int] = set()
        for word in prepared.tokens & self.gate_words:
            candidates |= self.index[word]
        return {position for position in candidates
                if not self.rules[position].also or not self.rules[position].also.isdisjoint(prepared.tokens)}


def rule_spans(each: Rule, prepared: Prepared, gated: bool = True) -> list[tuple[int, int]]:
    """Spans of one rule's matches, with their lead, vetoed ones dropped."""
    subject = prepared.text if each.raw else prepared.low
    spans = []
    for alternative in each.alternatives or _keyed_alternatives(each, prepared, gated):
        for match in alternative.pattern.finditer(subject):
            start, end = match.span()
            if alternative.word_start and start and _is_word(subject[start - 1]) and _is_word(subject[start]):
                continue
            if each.lead is not None:
                lead_start = _lead_start(each.lead, prepared.low, start)
                if lead_start is None:
                    continue
                start = lead_start
            if each.veto_before is None or not each.veto_before.search(
                    prepared.low, max(0, start - CONTEXT_WINDOW), start):
                spans.append((start, end))
    return spans if len(spans) >= each.min_hits else []


def _lead_start(lead: Alternative, low: str, end: int) -> int | None:
    """Where the rule's lead starts when it ends right at `end`, else None."""
    position = max(0, end - CONTEXT_WINDOW)
    while (match := lead.pattern.search(low, position, end)) is not None:
        start = match.start()
        if not (lead.word_start and start and _is_word(low[start - 1]) and _is_word(low[start])):
            return start
        position = start + 1
    return None


def _keyed_alternatives(each: Rule, prepared: Prepared, gated: bool) -> list[Alternative]:
    """The alternatives of a keyed rule whose word is in the review (all of them when not gated)."""
    words = each.gates & prepared.tokens if gated else each.gates
    return [alternative for word in words for alternative in each.by_key[word]]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
