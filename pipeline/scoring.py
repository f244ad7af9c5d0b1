"""Scoring a review: clinic-tuned sentiment per sentence and for the whole review, then every flag.

`score_record` is the single definition used by the nightly run (`score_rows`, in a process pool for large
batches) and by `plaudit score`. The score comes from the text alone; the rating only feeds the mismatch flag.
Settings: `staff_names` (never patient details; a review by one is an insider review), `sentiment_rules`,
`score_workers`.
"""

from __future__ import annotations

import functools
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from pipeline.flags import flags_for
from pipeline.sentiment import score_text, scoring_pool

__all__ = ["ScoredReview", "score_record", "score_rows", "scoring_pool"]
_POOL_MIN = 500  # below this a process pool costs more than it saves


@dataclass(frozen=True, slots=True)
class ScoredReview:
    """A review's compound score, per-sentence scores, flags and language guess."""

    compound: float
    sentences: list[tuple[int, int, float]]
    flags: list[dict[str, Any]]
    language: str | None


def score_record(text: str, rating: float | None = None, author: str | None = None,
                 staff_names: tuple[str, ...] = ()) -> ScoredReview:
    """Score and flag one review."""
    score = score_text(text)
    flags, language = flags_for(text, rating, score.compound, author, staff_names)
    return ScoredReview(score.compound, [list(s) for s in score.sentences], flags, language)


def _score_row(row: tuple[str, str, float | None, str | None], staff_names: tuple[str, ...]) -> tuple:
    rid, text, rating, author = row
    scored = score_record(text, rating, author, staff_names)
    return rid, scored.compound, scored.sentences, scored.flags, scored.language


def score_rows(rows: list[dict[str, Any]], pool: ProcessPoolExecutor | None = None,
               staff_names: tuple[str, ...] = ()) -> list[tuple]:
    """(id, compound, sentences, flags, language) for store rows with id, text, rating and author."""
    work = [(r["id"], r["text"], r.get("rating"), r.get("author")) for r in rows if r.get("text")]
    func = functools.partial(_score_row, staff_names=tuple(staff_names))
    if pool is None or len(work) < _POOL_MIN:
        results = [func(item) for item in work]
    else:
        chunk = max(50, len(work) // (pool._max_workers * 4))
        results = list(pool.map(func, work, chunksize=chunk))
    return results + [(r["id"], None, [], [], None) for r in rows if not r.get("text")]
