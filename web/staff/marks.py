"""Cutting a review's text into pieces for display: which flags cover each piece, which pieces an excerpt keeps.

The pieces are plain strings; templates escape them like any text. Nothing here builds markup.
"""

from __future__ import annotations

from typing import Any


def flagged_pieces(text: str, flags: list[dict[str, Any]]) -> list[tuple[str, list[int]]]:
    """(piece, numbers of the flags covering it, 1-based) in order; unflagged pieces have an empty list."""
    spans = [(max(0, s), min(len(text), e), n) for n, f in enumerate(flags, 1) for s, e in f.get("spans") or []
             if s < e]
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        covering = sorted({n for s, e, n in spans if s <= start and end <= e})
        if pieces and pieces[-1][1] == covering:
            pieces[-1] = (pieces[-1][0] + text[start:end], covering)
        else:
            pieces.append((text[start:end], covering))
    return pieces


def sentence_rows(text: str, sentences: list[list[float]]) -> list[dict[str, Any]]:
    """Each scored sentence's text and compound score, in order."""
    return [{"index": i, "text": text[int(s):int(e)], "compound": c} for i, (s, e, c) in enumerate(sentences)]
