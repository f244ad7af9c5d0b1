"""Scoring a review: clinic-tuned sentiment per sentence and for the whole review, then every flag.

`score_record` is the single definition used by the nightly run (`score_rows`, in a process pool for large
batches) and by `plaudit score`. The score comes from the text alone; the rating only feeds the mismatch flag.
A form's answer to "what could we do better?" (`improvement`) is scored for staff and sorted into a kind
(`IMPROVEMENT_KINDS`); it is never quoted, and crisis language in it flags the review like crisis in its text.
Settings: `staff_names` (never patient details; a review by one is an insider review), `sentiment_rules`,
`score_workers`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from pipeline.judge import sentiment
from pipeline.judge.clinic_rules import load_clinic_rules
from pipeline.judge.detectors.risk import risk_flags
from pipeline.judge.detectors.shouting import is_shouting
from pipeline.judge.detectors.wishes import is_wish
from pipeline.judge.flags import flags_for
from pipeline.judge.sentiment import score_shouted, score_text
from pipeline.models import flag
from pipeline.settings import Settings

_POOL_MIN = 500  # below this a process pool costs more than it saves
_CHUNK = 250  # rows per task sent to a worker
SUGGESTION_DETAIL = "a request, wish or suggestion, not praise"
WARNING_DETAIL = "tells other patients to stay away"
IMPROVEMENT_KINDS = ("crisis", "complaint", "suggestion", "satisfied", "other")


@dataclass(frozen=True, slots=True)
class ScoredReview:
    """A review's compound score (None without text), per-sentence scores, flags and language guess, and the
    score and kind of its answer to "what could we do better?" (None without one)."""

    compound: float | None
    sentences: list[tuple[int, int, float]]
    flags: list[dict[str, Any]]
    language: str | None
    improvement_compound: float | None = None
    improvement_kind: str | None = None


def score_record(text: str, rating: float | None = None, author: str | None = None,
                 staff_names: tuple[str, ...] = (), improvement: str | None = None) -> ScoredReview:
    """Score and flag one review: its praise text (text mostly in capitals is scored as if lower-cased, see
    `score_shouted`), and its improvement answer when the form had one."""
    compound, kind, crisis = judge_improvement(improvement)
    if not text and improvement:  # the form's praise question was left empty: nothing to quote
        return ScoredReview(None, [], crisis, None, compound, kind)
    score = score_shouted(text) if is_shouting(text) else score_text(text)
    flags, language = flags_for(text, rating, score.compound, author, staff_names)
    if score.wishes:  # never quoted: the excerpt builder leaves flagged spans out
        flags.append(flag("suggestion", SUGGESTION_DETAIL, list(score.wishes)))
    if score.warnings:  # the reviewer's verdict: the review is never suggested (pipeline.publish.suggest)
        flags.append(flag("warning", WARNING_DETAIL, list(score.warnings)))
    return ScoredReview(score.compound, [list(s) for s in score.sentences], flags + crisis, language, compound, kind)


def judge_improvement(text: str | None) -> tuple[float | None, str | None, list[dict[str, Any]]]:
    """An answer to "what could we do better?": its compound, its kind (`IMPROVEMENT_KINDS`), and crisis flags
    for the review (without spans: they are not in the review text) so that a person reads it first."""
    if not text:
        return None, None, []
    score = score_text(text)
    crisis = [flag("crisis", f"{f['detail']} (in the improvement answer)") for f in risk_flags(text)
              if f["name"] == "crisis"]
    if crisis:
        kind = "crisis"
    elif score.compound <= -0.05:
        kind = "complaint"
    elif score.wishes or any(is_wish(text[s:e]) for s, e, _ in score.sentences):
        kind = "suggestion"
    else:
        kind = "satisfied" if score.compound >= 0.05 else "other"
    return score.compound, kind, crisis


def _score_row(row: tuple, staff_names: tuple[str, ...]) -> tuple:
    rid, text, rating, author, improvement = row
    scored = score_record(text, rating, author, staff_names, improvement)
    # encoded here, in the worker, so the parent process only stores
    return (rid, scored.compound, json.dumps(scored.sentences), json.dumps(scored.flags), scored.language,
            scored.improvement_compound, scored.improvement_kind)


def configure_scoring(settings: Settings) -> None:
    """Use the clinic sentiment rules the settings name (the defaults when none) in this process and its pools."""
    sentiment.configure(load_clinic_rules(settings.sentiment_rules or None))


def scoring_pool(workers: int) -> ProcessPoolExecutor | None:
    """A process pool for large scoring runs, its workers forked with the rules and patterns compiled.

    The language detector's models (1.7 s to load) are not preloaded: most reviews are settled by the cheap
    English check, and a worker that does need them loads them in parallel with the others.
    """
    if workers == 0 or workers > 1:
        score_record("Warm up: Dr. Lee cured my pain. Call 813-555-0100.", 5)
    return sentiment.scoring_pool(workers)


def _score_chunk(work: list[tuple], staff_names: tuple[str, ...]) -> list[tuple]:
    return [_score_row(item, staff_names) for item in work]


def start_scoring(rows: list[dict[str, Any]], pool: ProcessPoolExecutor | None = None,
                  staff_names: tuple[str, ...] = ()) -> Callable[[], list[tuple]]:
    """Start scoring store rows (id, text, rating, author, improvement); returns a function that waits for the
    results.

    With a pool the work runs in the background, so the caller can store the previous batch meanwhile.
    Results are (id, compound, sentences JSON, flags JSON, language, improvement compound, improvement kind);
    rows without text or improvement get empty scores.
    """
    work = [(r["id"], r["text"], r.get("rating"), r.get("author"), r.get("improvement")) for r in rows
            if r.get("text") or r.get("improvement")]
    empty = [(r["id"], None, "[]", "[]", None, None, None) for r in rows if not r.get("text") and not r.get("improvement")]
    staff = tuple(staff_names)
    if pool is None or len(work) < _POOL_MIN:
        results = _score_chunk(work, staff) + empty
        return lambda: results
    futures = [pool.submit(_score_chunk, work[i:i + _CHUNK], staff) for i in range(0, len(work), _CHUNK)]
    return lambda: [row for future in futures for row in future.result()] + empty


def score_rows(rows: list[dict[str, Any]], pool: ProcessPoolExecutor | None = None,
               staff_names: tuple[str, ...] = ()) -> list[tuple]:
    """(id, compound, sentences JSON, flags JSON, language, improvement compound and kind) for store rows."""
    return start_scoring(rows, pool, staff_names)()
