"""The nightly stages as plain functions over the internal store: collect, score, dedupe, hold, suggest, retain.

Each stage opens the store itself, works in batches, writes in short transactions and returns counts only
(never review text), so it can run from the command line, a Prefect task or a benchmark alike. Stages only
touch new or changed reviews (needs_score / needs_dedupe), so nightly cost follows new work.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from pipeline.dedupe.clustering import dedupe_store
from pipeline.errors import PlauditError
from pipeline.judge.scoring import configure_scoring, scoring_pool, start_scoring
from pipeline.models import Batch
from pipeline.ops.progress import Tracker
from pipeline.publish.build import publish
from pipeline.publish.holds import hold_new
from pipeline.publish.suggest import suggest_quotes
from pipeline.settings import Settings
from pipeline.sources import Fetcher, build_source
from pipeline.sources.ingest import to_row
from storage import quotes as quote_store
from storage import reviews as review_store
from storage.db import open_db, utc_now, write_transaction
from storage.schema import internal_migrations
from storage.state import load_cursor, record_failure, record_success

log = logging.getLogger(__name__)
BATCH = 5000
STORE_CHUNK = 20_000
MAX_SKIPPED_IN_REPORT = 20


def open_store(settings: Settings) -> sqlite_utils.Database:
    """The internal store, migrated."""
    return open_db(settings.internal_db, internal_migrations)


def describe_error(exc: BaseException) -> str:
    """A person-readable error line without review content: our errors carry context, others only a class."""
    if isinstance(exc, PlauditError):
        return f"{type(exc).__name__}: {exc}"[:500]
    return f"{type(exc).__name__} (unexpected; see the log)"


def collect_source(settings: Settings, name: str, client: Fetcher, run_id: int) -> dict[str, Any]:
    """Collect one source and store what it returned; the cursor advances only if it succeeded."""
    config = settings.source(name)
    with open_store(settings) as db:
        try:
            batch = build_source(config, settings.max_pages).collect(client, load_cursor(db, name))
        except Exception as exc:  # one failing source must never stop the others
            log.warning("source %s failed: %s", name, describe_error(exc))
            log.debug("source %s failure detail", name, exc_info=True)
            with write_transaction(db):
                record_failure(db, name, describe_error(exc), utc_now())
            return {"source": name, "status": "failed", "error": describe_error(exc)}
        return _store_batch(db, settings, name, batch, run_id)


def _store_batch(db, settings: Settings, name: str, batch: Batch, run_id: int) -> dict[str, Any]:
    config = settings.source(name)
    now = utc_now()
    stated = (batch.aggregate.rating, batch.aggregate.count) if batch.aggregate else None
    counts = review_store.UpsertCounts()
    with write_transaction(db):  # one transaction: a source's reviews and its cursor land together or not at all
        for start in range(0, len(batch.reviews), STORE_CHUNK):  # rows built a chunk at a time (memory)
            rows = [to_row(raw, config) for raw in batch.reviews[start:start + STORE_CHUNK]]
            counts += review_store.upsert_reviews(db, rows, run_id, now)
        counts += review_store.mark_seen(db, batch.unchanged_ids, run_id, now)
        deleted = (review_store.record_missing(db, name, run_id, now, settings.missing_sweeps_before_deleted)
                   if batch.complete else 0)
        record_success(db, name, batch.cursor, now, stated)
    for item in batch.skipped:
        log.log(logging.INFO if item.expected else logging.WARNING, "source %s skipped %s: %s", name, item.where,
                item.reason)
    for item in batch.notes:
        log.info("source %s: %s: %s", name, item.where, item.reason)
    problems = [s for s in batch.skipped if not s.expected]
    return {"source": name, "status": "partial" if problems else "ok", "pages": batch.pages,
            "fetched": len(batch.reviews), "new": counts.new, "updated": counts.updated,
            "unchanged": counts.unchanged, "deleted": deleted, "complete": batch.complete,
            "skipped": len(batch.skipped), "skipped_normal": len(batch.skipped) - len(problems),
            "skipped_items": _items(problems + [s for s in batch.skipped if s.expected]),
            "notes": len(batch.notes), "note_items": _items(batch.notes)}


def _items(found: list) -> list[str]:
    """The first few skipped or noted items as report lines (where and why, never review text)."""
    shown = [f"{s.where}: {s.reason}" for s in found[:MAX_SKIPPED_IN_REPORT]]
    return shown + ([f"… and {len(found) - MAX_SKIPPED_IN_REPORT} more"] if len(found) > MAX_SKIPPED_IN_REPORT else [])


def score_new(settings: Settings) -> dict[str, Any]:
    """Score and flag every review that is new or changed since it was last scored."""
    db = open_store(settings)
    configure_scoring(settings)
    pool = scoring_pool(settings.score_workers)
    tally: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    try:
        with Tracker("score", review_store.count_needing(db, "needs_score")) as progress:
            scored = _score_batches(db, settings, pool, lambda results: (
                progress.advance(len(results)), tally_scores(results, tally, flagged)))
    finally:
        if pool:
            pool.shutdown()
        db.close()
    return score_counts(scored, tally, flagged)


def _score_batches(db, settings: Settings, pool, stored) -> int:
    """Score batch N in the workers while batch N-1 is stored; `stored(results)` after each store."""
    scored, after, pending = 0, "", None
    while True:
        ids = review_store.ids_needing(db, "needs_score", BATCH, after)
        running = start_scoring(review_store.fetch(db, ids, ("text", "rating", "author")), pool,
                                settings.staff_names) if ids else None
        if pending:
            results = pending()
            with write_transaction(db):
                review_store.save_scores(db, results)
            scored += len(results)
            stored(results)
        if not running:
            return scored
        pending, after = running, ids[-1]


SENTIMENTS = ("positive", "neutral", "negative")


def tally_scores(results: list[tuple], tally: Counter[str], flagged: Counter[str]) -> None:
    """Count scored reviews by sentiment (VADER's usual ±0.05 bands) and by flag, for the run report."""
    for _, compound, _, flags, _ in results:
        if compound is not None:
            tally["positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"] += 1
        if flags and flags != "[]":
            flagged.update({f["name"] for f in json.loads(flags)})


def score_counts(scored: int, tally: Counter[str], flagged: Counter[str]) -> dict[str, Any]:
    """The score stage's report: how many were scored, by sentiment, and by flag."""
    return {"scored": scored, **{k: tally[k] for k in SENTIMENTS}, **({"flagged": dict(flagged)} if flagged else {})}


def dedupe_new(settings: Settings) -> dict[str, Any]:
    """Sign new or changed reviews, find their duplicates among all reviews, and recompute clusters."""
    with open_store(settings) as db:
        return dedupe_store(db)


def hold(settings: Settings) -> dict[str, Any]:
    """List for staff every review whose flags keep it from suggestion (crisis first); counts only."""
    with open_store(settings) as db:
        return hold_new(db, settings)


def suggest(settings: Settings) -> dict[str, Any]:
    """Suggest quotes for canonical positive reviews that have none yet; refresh or withdraw stale ones."""
    with open_store(settings) as db:
        return suggest_quotes(db, settings)


def apply_retention(settings: Settings) -> dict[str, Any]:
    """Purge review text past each source's retention limit (ids, ratings and dates stay for the summary),
    and authorizations that ended more than `records_retention_years` ago (the audit log is never pruned)."""
    now = datetime.now(timezone.utc)
    purged = 0
    with open_store(settings) as db:
        for source in settings.sources:
            if source.retention_hours > 0:
                cutoff = now - timedelta(hours=source.retention_hours)
                with write_transaction(db):
                    purged += review_store.purge_text(db, source.name, cutoff.isoformat(timespec="seconds"),
                                                      utc_now())
        ended_before = now - timedelta(days=round(365.25 * settings.records_retention_years))
        with write_transaction(db):
            pruned = quote_store.prune_authorizations(db, ended_before.isoformat(timespec="seconds"))
    return {"purged": purged, "authorizations_pruned": pruned}


def publish_now(settings: Settings, trigger: str = "run") -> dict[str, Any]:
    """Rebuild the public store and export from the internal store."""
    with open_store(settings) as db:
        return publish(db, settings, trigger)
