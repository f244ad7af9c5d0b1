"""Sentiment with VADER, scored sentence by sentence (faster than whole texts, and excerpts need it anyway).

The review's compound score sums the sentences' raw valences and normalises them the way VADER normalises a
whole text, so it tracks whole-text VADER closely. One analyzer per process (loading the lexicon is slow).
Settings: `score_workers` (process pool size for large batches).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from pipeline.text import split_sentences

VADER_ALPHA = 15.0  # VADER's normalisation constant: compound = x / sqrt(x^2 + alpha)
_MAX_RAW = 1e6


@dataclass(frozen=True, slots=True)
class TextScore:
    """A review's compound score and each sentence's span and compound."""

    compound: float
    sentences: tuple[tuple[int, int, float], ...]


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """The process's single VADER analyzer."""
    return SentimentIntensityAnalyzer()


def _raw(compound: float) -> float:
    """Invert VADER's normalisation: the valence sum behind a compound score."""
    if abs(compound) >= 0.9999:
        return math.copysign(_MAX_RAW if abs(compound) >= 1 else 0.9999 * math.sqrt(VADER_ALPHA / (1 - 0.9999 ** 2)),
                             compound)
    return compound * math.sqrt(VADER_ALPHA / (1 - compound * compound))


def normalise_raw(total: float) -> float:
    """VADER's normalisation of a valence sum to [-1, 1]."""
    return total / math.sqrt(total * total + VADER_ALPHA)


def score_text(text: str) -> TextScore:
    """Score each sentence with VADER and combine them into the review's compound."""
    sia = analyzer()
    scored = []
    for start, end in split_sentences(text):
        scored.append((start, end, round(sia.polarity_scores(text[start:end])["compound"], 4)))
    total = sum(_raw(c) for _, _, c in scored)
    return TextScore(round(normalise_raw(total), 4) if scored else 0.0, tuple(scored))


def score_whole(text: str) -> float:
    """Plain VADER on the whole text in one call (the naive baseline, for comparison)."""
    return analyzer().polarity_scores(text)["compound"]


def scoring_pool(workers: int) -> ProcessPoolExecutor | None:
    """A process pool for large scoring runs (None when one process is asked for); the caller shuts it down."""
    if workers == 0:
        workers = os.cpu_count() or 1
    if workers <= 1:
        return None
    analyzer()  # load the lexicon before forking so workers inherit it
    return ProcessPoolExecutor(max_workers=workers)


def score_many(texts: list[str], pool: ProcessPoolExecutor | None = None) -> list[TextScore]:
    """Score many texts, in the given process pool when the batch is large enough to pay for it."""
    if pool is None or len(texts) < 500:
        return [score_text(t) for t in texts]
    chunk = max(50, len(texts) // (pool._max_workers * 4))
    return list(pool.map(score_text, texts, chunksize=chunk))
