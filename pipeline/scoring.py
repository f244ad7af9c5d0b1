"""Scoring a review: sentiment per sentence and for the whole review, then its flags.

`score_record` is the single definition used by the nightly run (`score_rows`) and by `plaudit score`.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from pipeline.flags import flags_for
from pipeline.sentiment import TextScore, score_many, score_text, scoring_pool

__all__ = ["ScoredReview", "score_record", "score_rows", "scoring_pool"]


@dataclass(frozen=True, slots=True)
class ScoredReview:
    """A review's compound score, per-sentence scores, flags and language guess."""

    compound: float
    sentences: list[tuple[int, int, float]]
    flags: list[dict[str, Any]]
    language: str | None


def _assemble(text: str, rating: float | None, score: TextScore) -> ScoredReview:
    flags, language = flags_for(text, rating, score.compound)
    return ScoredReview(score.compound, [list(s) for s in score.sentences], flags, language)


def score_record(text: str, rating: float | None = None) -> ScoredReview:
    """Score and flag one review; the rating only feeds the mismatch flag, never the score."""
    return _assemble(text, rating, score_text(text))


def score_rows(rows: list[dict[str, Any]], pool: ProcessPoolExecutor | None = None) -> list[tuple]:
    """(id, compound, sentences, flags, language) for store rows with id, text and rating."""
    with_text = [r for r in rows if r.get("text")]
    scores = score_many([r["text"] for r in with_text], pool)
    results = []
    for row, score in zip(with_text, scores):
        scored = _assemble(row["text"], row.get("rating"), score)
        results.append((row["id"], scored.compound, scored.sentences, scored.flags, scored.language))
    results += [(r["id"], None, [], [], None) for r in rows if not r.get("text")]
    return results
