"""Suggested quotes: the strongest self-contained positive sentences, and an attribution like "Patsy R.".

An excerpt may only delete text from the original review: it is a sequence of verbatim pieces of the
original, in order, joined by an ellipsis where text was left out. `is_deletion` checks exactly that.
Settings: `excerpt_max_chars`.
"""

from __future__ import annotations

import re
from typing import Any

ELLIPSIS = "…"
MIN_SENTENCE_COMPOUND = 0.3
FALLBACK_ATTRIBUTION = "Verified patient"
_DEPENDENT_START = re.compile(
    r"^(but|and|or|so|also|however|although|though|then|which|because|except|plus|yet|still|this|that|it|they)\b",
    re.IGNORECASE)
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’-][^\W\d_]+)*\.?$", re.UNICODE)
_SPLIT_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
_DESCRIPTOR = re.compile(r"\s*(?:,|\s[-–—]\s|\()\s*")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _overlaps(span: tuple[int, int], flagged: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in flagged)


def flagged_spans(flags: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Every flagged character span of a review."""
    return [(s, e) for f in flags for s, e in f.get("spans", [])]


def suggest_excerpt(text: str, sentences: list[tuple[int, int, float]], flags: list[dict[str, Any]],
                    max_chars: int = 240) -> str | None:
    """The strongest positive, self-contained sentences (in original order) within max_chars, or None."""
    blocked = flagged_spans(flags)
    candidates = [(c, s, e) for s, e, c in sentences
                  if c >= MIN_SENTENCE_COMPOUND and not _overlaps((s, e), blocked)
                  and not _DEPENDENT_START.match(text[s:e]) and e - s <= max_chars]
    chosen: list[tuple[int, int]] = []
    used = 0
    for compound, s, e in sorted(candidates, key=lambda c: (-c[0], c[1])):
        cost = (e - s) + (len(ELLIPSIS) + 2 if chosen else 0)
        if used + cost <= max_chars:
            chosen.append((s, e))
            used += cost
    return join_spans(text, sorted(chosen)) if chosen else None


def fallback_excerpt(text: str, sentences: list[tuple[int, int, float]], flags: list[dict[str, Any]],
                     max_chars: int = 240) -> str | None:
    """The review's first sentences, in order, that stay clear of flagged spans, within max_chars; or None.

    For a review a person released to the queue (say, one in Spanish, where sentiment says little): staff then
    shorten it in the excerpt editor.
    """
    blocked = flagged_spans(flags)
    chosen, used = [], 0
    for s, e, _ in sentences:
        cost = (e - s) + (len(ELLIPSIS) + 2 if chosen else 0)
        if _overlaps((s, e), blocked) or used + cost > max_chars:
            continue
        chosen.append((s, e))
        used += cost
    return join_spans(text, chosen) if chosen else None


def join_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Verbatim pieces of text joined with a space where adjacent, or an ellipsis where text was left out."""
    out = text[spans[0][0]:spans[0][1]]
    for (_, prev_end), (s, e) in zip(spans, spans[1:]):
        gap = text[prev_end:s]
        out += (" " if not gap.strip() else f" {ELLIPSIS} ") + text[s:e]
    return out


def excerpt_coverage(original: str, excerpt: str) -> list[tuple[int, int]] | None:
    """The spans of the original that the excerpt keeps, or None when the excerpt is not a pure deletion.

    The excerpt must be verbatim pieces of the original, in order, split only where an ellipsis is; runs of
    whitespace compare equal (line breaks between sentences are not content).
    """
    pieces = [p for p in (_squash(p) for p in _SPLIT_ELLIPSIS.split(excerpt)) if p]
    if not pieces:
        return None
    source, origin = _squash_with_map(original)
    spans, position = [], 0
    for piece in pieces:
        found = source.find(piece, position)
        if found < 0:
            return None
        spans.append((origin[found], origin[found + len(piece) - 1] + 1))
        position = found + len(piece)
    return spans


def is_deletion(original: str, excerpt: str) -> bool:
    """True when the excerpt is verbatim pieces of the original, in order, split only where an ellipsis is."""
    return excerpt_coverage(original, excerpt) is not None


def _squash(text: str) -> str:
    """Whitespace runs as single spaces (line breaks between sentences are not content)."""
    return " ".join(text.split())


def _squash_with_map(text: str) -> tuple[str, list[int]]:
    """The squashed text and, for each of its characters, the index of that character in `text`."""
    chars, origin, pending_space = [], [], False
    for index, ch in enumerate(text):
        if ch.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            origin.append(index - 1)
            pending_space = False
        chars.append(ch)
        origin.append(index)
    return "".join(chars), origin


def attribution(author: str | None) -> str:
    """"Patsy R." from "Patsy Rogers"; the fallback label when the name is missing or looks like a handle."""
    parts = (author or "").replace(",", " ").split()
    if not parts or len(parts) > 4 or not all(_NAME_WORD.match(p) for p in parts):
        return FALLBACK_ATTRIBUTION
    first = parts[0].rstrip(".").capitalize() if parts[0].islower() else parts[0].rstrip(".")
    if len(first) < 2:
        return FALLBACK_ATTRIBUTION
    return f"{first} {parts[-1][0].upper()}." if len(parts) > 1 else first


def name_forms(author: str | None, full_name: bool = False) -> set[str]:
    """The attributions a patient's given name allows: "Patsy R.", "Patsy", "P. R.", the fallback label, and
    the full name only when `full_name` (the consent or a signed authorization covers it)."""
    forms = {FALLBACK_ATTRIBUTION, attribution(author)}
    parts = [p.rstrip(".") for p in (author or "").replace(",", " ").split()]
    parts = [p for p in parts if _NAME_WORD.match(p)]
    if parts:
        first, last = parts[0], parts[-1]
        forms.add(first)
        if len(parts) > 1:
            forms |= {f"{first} {last[0]}.", f"{first[0]}. {last[0]}.", f"{first[0]}.{last[0]}."}
        if full_name:
            forms |= {" ".join(parts), f"{first} {last}", " ".join((author or "").split())}
    return {_fold(f) for f in forms}


def attribution_allowed(name: str, author: str | None, full_name: bool = False) -> bool:
    """Whether an attribution is a name form the patient's given name allows, optionally followed by a short
    descriptor ("Patsy R., Tampa") that repeats none of the patient's name."""
    allowed = name_forms(author, full_name)
    head, _, descriptor = _split_descriptor(name)
    if _fold(head) not in allowed:
        return False
    name_words = {w.casefold() for w in _WORD.findall(author or "")}
    return not ({w.casefold() for w in _WORD.findall(descriptor)} & name_words)


def _split_descriptor(name: str) -> tuple[str, str, str]:
    match = _DESCRIPTOR.search(name)
    if not match:
        return name, "", ""
    return name[:match.start()], match.group(0), name[match.end():].rstrip(")")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()
