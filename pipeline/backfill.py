"""Scoring a large backlog in id ranges that independent workers read for themselves; one process stores.

`plan_ranges` cuts the reviews waiting for a score into coarse (after, through] id ranges, `score_range` scores
one range from a read-only connection (any process that can open the store file can run it, many at once:
WAL readers never wait for the writer), and `ScoreWriter` stores each range's results in the one process that
writes, since SQLite has one writer at a time. Only ids and scores (numbers, offsets, flag names) leave the
store; the texts stay in the worker that reads them. flows/backfill.py runs the ranges on Dask workers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlite_utils

from pipeline.judge.scoring import configure_scoring, score_rows
from pipeline.settings import Settings
from pipeline.steps import open_store, score_counts, tally_scores
from storage import reviews as review_store
from storage.db import open_readonly, write_transaction

RANGE = 5000  # reviews per range: thousands, so a task's overhead is small against its work


def plan_ranges(settings: Settings, size: int = RANGE) -> list[tuple[str, str]]:
    """(after, through] id ranges of at most `size` reviews waiting for a score, in id order."""
    if size < 1:
        raise ValueError(f"range size must be positive, not {size}")
    ranges, after = [], ""
    with open_store(settings) as db:
        while ids := review_store.ids_needing(db, "needs_score", size, after):
            ranges.append((after, ids[-1]))
            after = ids[-1]
    return ranges


def score_range(settings: Settings, after: str, through: str) -> list[tuple]:
    """(id, compound, sentences JSON, flags JSON, language) for the reviews waiting in (after, through]."""
    configure_scoring(settings)
    db = sqlite_utils.Database(open_readonly(settings.internal_db))
    try:
        ids = review_store.ids_needing(db, "needs_score", -1, after, through)  # LIMIT -1: the whole range
        rows = review_store.fetch(db, ids, ("text", "rating", "author", "improvement"))
    finally:
        db.close()
    return score_rows(rows, None, settings.staff_names)


class ScoreWriter:
    """Stores scored ranges, one short write transaction each, and counts them for the run report."""

    def __init__(self, settings: Settings):
        self.db = open_store(settings)
        self.scored = self.ranges = 0
        self.tally: Counter[str] = Counter()
        self.flagged: Counter[str] = Counter()

    def store(self, results: list[tuple]) -> None:
        """Save one range's scores (clearing needs_score) and count them."""
        with write_transaction(self.db):
            review_store.save_scores(self.db, results)
        self.scored += len(results)
        self.ranges += 1
        tally_scores(results, self.tally, self.flagged)

    def counts(self) -> dict[str, Any]:
        """The score stage's counts, as the in-process stage reports them, plus how many ranges."""
        return {**score_counts(self.scored, self.tally, self.flagged), "ranges": self.ranges}

    def close(self) -> None:
        """Close the store."""
        self.db.close()
