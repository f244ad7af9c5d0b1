"""Feedback for staff: the answers to "what could we do better?" that forms collect beside the review.

They are scored and sorted into kinds at the score stage (`pipeline.judge.scoring.IMPROVEMENT_KINDS`:
crisis, complaint, suggestion, satisfied, other), counted in the run report, listed here, and never quoted: only the
review text is a quote candidate. The command line (`plaudit feedback`) shows this list.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from pipeline.errors import ConfigError
from pipeline.judge.scoring import IMPROVEMENT_KINDS
from storage import reviews as review_store


def improvement_feedback(db: sqlite_utils.Database, kind: str | None = None, limit: int = 100) -> dict[str, Any]:
    """Counts of stored improvement answers per kind, and the newest answers (of one kind when given)."""
    if kind is not None and kind not in IMPROVEMENT_KINDS:
        raise ConfigError(f"unknown feedback kind {kind!r}; choose one of {', '.join(IMPROVEMENT_KINDS)}")
    counts = review_store.improvement_counts(db)
    return {"counts": {k: counts.get(k, 0) for k in IMPROVEMENT_KINDS},
            "answers": review_store.improvement_answers(db, kind, limit)}
