"""The nightly stages as plain functions over the internal store: collect, score, dedupe, hold, suggest, retain.

Each stage opens the store itself, works in batches, writes in short transactions and returns counts only
(never review text), so it can run from the command line, a Prefect task or a benchmark alike. Stages only
touch new or changed reviews (needs_score / needs_dedupe / needs_hold / needs_suggest), dedupe keeps its index
in the store and publish reads trigger-kept totals, so nightly cost follows new work (bench/nightly_scale.py).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from pipeline.dedupe.clustering import dedupe_store
from pipeline.errors import describe_error  # noqa: F401 (re-exported: pipeline.runs reports stage errors with it)
from pipeline.judge.scoring import IMPROVEMENT_KINDS, configure_scoring, scoring_pool, start_scoring
from pipeline.ops.progress import Tracker
from pipeline.publish.build import publish
from pipeline.publish.holds import hold_new
from pipeline.publish.suggest import suggest_quotes
from pipeline.settings import Settings
from pipeline.sources import Fetcher
from pipeline.sources.collect import collect_into
from storage import inbox as inbox_store
from storage import quotes as quote_store
from storage import reviews as review_store
from storage import sweeps
from storage import users as user_store
from storage.db import open_db, utc_now, write_transaction
from storage.schema import internal_migrations

log = logging.getLogger(__name__)
BATCH = 5000


def open_store(settings: Settings) -> sqlite_utils.Database:
    """The internal store, migrated."""
    return open_db(settings.internal_db, internal_migrations)


def collect_source(settings: Settings, name: str, client: Fetcher, run_id: int) -> dict[str, Any]:
    """Collect one source into the store, chunk by chunk (pipeline.sources.collect); never raises for a source."""
    with open_store(settings) as db:
        return collect_into(db, settings, name, client, run_id)


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
        running = start_scoring(review_store.fetch(db, ids, ("text", "rating", "author", "improvement")), pool,
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
    """Count scored reviews by sentiment (VADER's usual ±0.05 bands), by flag and by improvement answer kind."""
    for _, compound, _, flags, _, _, improvement_kind in results:
        if compound is not None:
            tally["positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"] += 1
        if flags and flags != "[]":
            flagged.update({f["name"] for f in json.loads(flags)})
        if improvement_kind:
            tally[f"improvement_{improvement_kind}"] += 1


def score_counts(scored: int, tally: Counter[str], flagged: Counter[str]) -> dict[str, Any]:
    """The score stage's report: how many were scored, by sentiment, by flag, and the answers to "what could we
    do better?" by kind (feedback for staff: `plaudit feedback`)."""
    return {"scored": scored, **{k: tally[k] for k in SENTIMENTS}, **({"flagged": dict(flagged)} if flagged else {}),
            **{f"improvement_{k}": tally[f"improvement_{k}"] for k in IMPROVEMENT_KINDS if tally[f"improvement_{k}"]}}


def dedupe_new(settings: Settings) -> dict[str, Any]:
    """Sign new or changed reviews, place them against the cluster anchors the store's index offers, and refresh
    only the clusters they touched."""
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
    authorizations that ended more than `records_retention_years` ago (the audit log is never pruned), staff
    sessions past their idle or total limit, and the fields of inbox deliveries already read that arrived more
    than `inbox_keep_days` ago."""
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
        epoch = now.timestamp()
        with write_transaction(db):  # a staff member who closed the browser never signed out
            sessions_ended = user_store.delete_stale_sessions(db, epoch - settings.staff_idle_minutes * 60,
                                                              epoch - settings.staff_session_hours * 3600)
        read_through = _inbox_read_through(db, settings)
    received_before = (now - timedelta(days=settings.inbox_keep_days)).isoformat(timespec="seconds")
    blanked = sum(inbox_store.purge_read(path, through, received_before) for path, through in read_through.items())
    return {"purged": purged, "authorizations_pruned": pruned, "inbox_blanked": blanked,
            "staff_sessions_ended": sessions_ended}


def _inbox_read_through(db: sqlite_utils.Database, settings: Settings) -> dict[str, int]:
    """Per inbox file, the last row every `inbox` source reading it has stored."""
    through: dict[str, int] = {}
    for source in settings.sources:
        if source.kind == "inbox":
            after = int(sweeps.load(db, source.name).cursor.get("after_id") or 0)
            through[source.path] = min(through.get(source.path, after), after)
    return through


def publish_now(settings: Settings, trigger: str = "run") -> dict[str, Any]:
    """Rebuild the public store and export from the internal store."""
    with open_store(settings) as db:
        return publish(db, settings, trigger)
