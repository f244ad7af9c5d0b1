"""Building an excerpt the way staff choose one: by keeping sentences, or by striking words.

These only propose an excerpt; whether it is a deletion-only excerpt is decided, as everywhere, by
`pipeline.publish.quotes.is_deletion` and the publish gate. A word left out becomes an elision ("…").
"""

from __future__ import annotations

import re

from pipeline.publish.quotes import ELLIPSIS, excerpt_coverage, join_spans

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def from_sentences(text: str, sentences: list[tuple[int, int, float]], keep: set[int]) -> str:
    """The excerpt made of the chosen sentences (by index), in order, elided where sentences were left out."""
    spans = [(s, e) for i, (s, e, *_rest) in enumerate(sentences) if i in keep]
    return join_spans(text, spans) if spans else ""


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def from_struck_words(text: str, edited: str) -> str | None:
    """The excerpt an edit means when it only left words out, with "…" where they were; None otherwise.

    The edit's words must appear in the original in the same order (an "…" typed by staff counts as a gap).
    """
    wanted = [t for t in _tokens(edited.replace("...", ELLIPSIS)) if t[2] != ELLIPSIS]
    if not wanted:
        return None
    original = _tokens(text)
    kept, position = [], 0
    for _, _, word in wanted:
        while position < len(original) and original[position][2] != word:
            position += 1
        if position == len(original):
            return None
        kept.append(position)
        position += 1
    return join_spans(text, _runs(original, kept))


def _runs(tokens: list[tuple[int, int, str]], kept: list[int]) -> list[tuple[int, int]]:
    """Character spans of runs of consecutive kept tokens."""
    spans: list[tuple[int, int]] = []
    previous = None
    for index in kept:
        start, end, _ = tokens[index]
        if previous is not None and index == previous + 1:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        previous = index
    return spans


def diff_segments(text: str, excerpt: str) -> list[tuple[str, bool]] | None:
    """The original as (piece, kept) segments for a side-by-side view; None when the excerpt is not a deletion."""
    coverage = excerpt_coverage(text, excerpt) if text and excerpt else None
    if coverage is None:
        return None
    segments, position = [], 0
    for start, end in coverage:
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:end], True))
        position = end
    if position < len(text):
        segments.append((text[position:], False))
    return segments
