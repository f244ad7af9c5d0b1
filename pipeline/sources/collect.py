"""Collecting one source into the internal store: its sweep stored chunk by chunk, its health recorded.

Settings: `max_pages`, `stop_after_known`, `full_sweep_days`, `missing_sweeps_before_deleted`.

Each chunk a source yields is stored in its own short transaction together with the cursor that resumes after
it, so memory stays flat and a crash loses at most the chunk in hand: the next run resumes the same sweep. A
sweep may span runs; it began in `sweep_run`, and every review seen in a run since then counts as seen by it.
Its last chunk ends it: when the sweep was complete, reviews not seen since `sweep_run` get a miss
(`missing_sweeps_before_deleted` misses mark one deleted; seeing it again restores it), the sweep's count
becomes the baseline, and the next full sweep is due `full_sweep_days` later.

A listing that suddenly shrinks is not believed: a complete sweep that saw fewer than half the reviews of the
last complete one, or a stated review count under half the last stated one, is `LayoutChanged`; nothing is
counted missing and the sweep is dropped. `plaudit sources --reset NAME` accepts a listing's new size.

Whatever happens, one failing source never stops the others: the failure is recorded with its kind, and the
source's health (pages read, HTTP statuses met, selector health, counts) is kept for `plaudit sources`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from pipeline.errors import FetchError, LayoutChanged, PlauditError, SourceUnavailable, describe_error
from pipeline.models import Batch, RawReview, Skipped, SourceConfig
from pipeline.ops.progress import Tracker
from pipeline.settings import Settings
from pipeline.sources import build_source
from pipeline.sources.base import SweepContext, merge_health
from pipeline.sources.ingest import content_hash, review_id, to_row
from storage import reviews as review_store
from storage import sweeps
from storage.db import utc_now, write_transaction
from storage.state import record_failure, record_success

log = logging.getLogger(__name__)
STORE_CHUNK = 20_000
MAX_ITEMS_IN_REPORT = 20


class RecordingFetcher:
    """The shared client as one source sees it: every HTTP status it meets is tallied for its health."""

    def __init__(self, client: Any):
        self.client = client
        self.statuses: Counter[str] = Counter()

    def get(self, url: str, **options: Any) -> Any:
        """The client's `get`, tallied."""
        return self._tallied(self.client.get, url, **options)

    def post_form(self, url: str, data: dict[str, str], **options: Any) -> Any:
        """The client's `post_form`, tallied."""
        return self._tallied(self.client.post_form, url, data, **options)

    def _tallied(self, call: Any, *args: Any, **options: Any) -> Any:
        try:
            result = call(*args, **options)
        except FetchError as exc:
            self.statuses.update(str(s) for s in (exc.history or ((exc.status,) if exc.status else ("error",))))
            raise
        self.statuses.update(str(s) for s in (getattr(result, "history", ()) or (result.status,)))
        return result


@dataclass
class Tally:
    """What one run of one source did (counts only, never review text)."""

    counts: review_store.UpsertCounts = field(default_factory=review_store.UpsertCounts)
    fetched: int = 0
    pages: int = 0
    deleted: int = 0
    problems: list[Skipped] = field(default_factory=list)  # the first few, for the report
    problem_count: int = 0
    normal: list[Skipped] = field(default_factory=list)  # normal skips (an empty answer), the first few
    normal_skips: int = 0
    notes: list[Skipped] = field(default_factory=list)
    note_count: int = 0
    health: dict[str, list[int]] = field(default_factory=dict)
    complete: bool = False
    ending: str = "continues next run"

    def add(self, chunk: Batch, name: str) -> None:
        """Count a stored chunk and log what it skipped."""
        self.fetched += len(chunk.reviews)
        self.pages += chunk.pages
        merge_health(self.health, chunk.health)
        for item in chunk.skipped:
            log.log(logging.INFO if item.expected else logging.WARNING, "source %s skipped %s: %s", name,
                    item.where, item.reason)
            if item.expected:
                self.normal_skips += 1
                if len(self.normal) < MAX_ITEMS_IN_REPORT:
                    self.normal.append(item)
            else:
                self.problem_count += 1
                if len(self.problems) < MAX_ITEMS_IN_REPORT:
                    self.problems.append(item)
        for item in chunk.notes:
            log.info("source %s: %s: %s", name, item.where, item.reason)
            self.note_count += 1
            if len(self.notes) < MAX_ITEMS_IN_REPORT:
                self.notes.append(item)


def full_sweep_due(last_full: str | None, days: float, now: str) -> bool:
    """Whether this sweep must read everything: never swept completely, or the last full sweep is `days` old."""
    if not last_full or days <= 0:
        return True
    return datetime.fromisoformat(now) - datetime.fromisoformat(last_full) >= timedelta(days=days)


def collect_into(db: sqlite_utils.Database, settings: Settings, name: str, client: Any, run_id: int) -> dict[str, Any]:
    """Sweep one source into the store, chunk by chunk; the result is counts and health, never review text."""
    fetcher = RecordingFetcher(client) if client is not None else None
    state = _sweep_state(db, settings, name, run_id)
    tally, error = Tally(), None
    try:
        cursor = _sweep(db, settings, name, fetcher, state, tally, run_id)
        with write_transaction(db):
            record_success(db, name, cursor, utc_now())
    except Exception as exc:  # one failing source must never stop the others
        error = exc
        merge_health(tally.health, getattr(exc, "health", None) or {})
        log.warning("source %s failed: %s", name, describe_error(exc))
        log.debug("source %s failure detail", name, exc_info=True)
        with write_transaction(db):
            record_failure(db, name, describe_error(exc), utc_now())
    result = _result(name, state, tally, error, fetcher)
    _record_health(db, name, tally, result)
    return result


def _sweep_state(db: sqlite_utils.Database, settings: Settings, name: str, run_id: int) -> sweeps.SweepState:
    """The sweep in progress, or a new one beginning in this run (full when the schedule says so)."""
    state = sweeps.load(db, name)
    if state.sweep_run is None:
        state.sweep_run, state.sweep_seen, state.sweep_pages = run_id, 0, 0
        state.sweep_full = full_sweep_due(state.last_full_sweep, settings.full_sweep_days, utc_now())
    return state


def _sweep(db: sqlite_utils.Database, settings: Settings, name: str, fetcher: Any, state: sweeps.SweepState,
           tally: Tally, run_id: int) -> dict[str, Any]:
    """Store the source's chunks as they come; the cursor of the last one stored."""
    config = settings.source(name)
    source = build_source(config, settings.max_pages)
    context = SweepContext(full=state.sweep_full, stop_after_known=settings.stop_after_known,
                           is_known=lambda reviews: _known(db, reviews))
    cursor, chunks = state.cursor, _chunks(source, fetcher, state.cursor, context)
    try:
        with Tracker(f"collect {name}", None) as progress:  # an import's size is known only as it streams
            for chunk in chunks:
                _store_chunk(db, settings, config, chunk, state, tally, run_id)
                progress.advance(len(chunk.reviews) + len(chunk.unchanged_ids))
                cursor = chunk.cursor
                if chunk.last:
                    break
    finally:
        getattr(chunks, "close", lambda: None)()
    return cursor


def _record_health(db: sqlite_utils.Database, name: str, tally: Tally, result: dict[str, Any]) -> None:
    """Keep the run's health for `plaudit sources`; add the source's last success and failure streak."""
    with write_transaction(db):
        sweeps.record_health(db, name, {"pages": tally.pages, "statuses": result["statuses"],
                                        "selector_health": tally.health, "error_kind": result.get("error_kind"),
                                        "counts": {k: result[k] for k in ("fetched", "new", "updated", "deleted")}})
    row = db.execute("SELECT last_success, consecutive_failures FROM source_state WHERE source = ?", (name,)).fetchone()
    result["last_success"], result["consecutive_failures"] = row if row else (None, 0)


def _chunks(source: Any, client: Any, cursor: dict[str, Any], context: SweepContext) -> Iterator[Batch]:
    """The source's sweep; a source that only collects whole (an older kind) is one last chunk."""
    if hasattr(source, "sweep"):
        return source.sweep(client, cursor, context)
    return iter([source.collect(client, cursor)])


def _known(db: sqlite_utils.Database, reviews: list[RawReview]) -> list[bool]:
    return review_store.unchanged_among(db, [(review_id(r), content_hash(r)) for r in reviews])


def _store_chunk(db: sqlite_utils.Database, settings: Settings, config: SourceConfig, chunk: Batch,
                 state: sweeps.SweepState, tally: Tally, run_id: int) -> None:
    """One chunk, its cursor and the sweep's progress in one transaction; the sweep's end with its last chunk."""
    _check_stated_count(config.name, chunk, state)
    seen = state.sweep_seen + len(chunk.reviews) + len(chunk.unchanged_ids)
    if chunk.last and chunk.complete and state.baseline_count and seen * 2 < state.baseline_count:
        with write_transaction(db):
            sweeps.abandon_sweep(db, config.name, chunk.cursor)
        raise LayoutChanged(config.name, f"a complete sweep found {seen} review(s), fewer than half of the "
                                         f"{state.baseline_count} the last one found; nothing was counted missing. "
                                         f"Check the page; if it really shrank, run `plaudit sources --reset "
                                         f"{config.name}`")
    now = utc_now()
    with write_transaction(db):
        for start in range(0, len(chunk.reviews), STORE_CHUNK):
            rows = [to_row(raw, config) for raw in chunk.reviews[start:start + STORE_CHUNK]]
            tally.counts += review_store.upsert_reviews(db, rows, run_id, now)
        tally.counts += review_store.mark_seen(db, chunk.unchanged_ids, run_id, now)
        state.sweep_seen, state.sweep_pages = seen, state.sweep_pages + chunk.pages
        if not chunk.last:
            sweeps.save_progress(db, config.name, chunk.cursor, state, now)
        else:
            _end_sweep(db, settings, config.name, chunk, state, tally, now)
        if chunk.aggregate:
            sweeps.save_stated(db, config.name, chunk.aggregate.rating, chunk.aggregate.count)
    tally.add(chunk, config.name)


def _end_sweep(db: sqlite_utils.Database, settings: Settings, name: str, chunk: Batch, state: sweeps.SweepState,
               tally: Tally, now: str) -> None:
    sweeps.save_progress(db, name, chunk.cursor, state, now)
    if chunk.complete:
        tally.deleted = review_store.record_missing(db, name, state.sweep_run, now,
                                                    settings.missing_sweeps_before_deleted)
    sweeps.end_sweep(db, name, now, state.sweep_seen if chunk.complete else None)
    tally.complete = chunk.complete
    tally.ending = "complete" if chunk.complete else "ended incomplete"


def _check_stated_count(name: str, chunk: Batch, state: sweeps.SweepState) -> None:
    stated = chunk.aggregate.count if chunk.aggregate else None
    if stated is not None and state.stated_count and stated * 2 < state.stated_count:
        raise LayoutChanged(name, f"the listing now states {stated} review(s), fewer than half of the "
                                  f"{state.stated_count} it stated before; nothing was stored. Check the page; if it "
                                  f"really shrank, run `plaudit sources --reset {name}`")


def _result(name: str, state: sweeps.SweepState, tally: Tally, error: BaseException | None,
            fetcher: RecordingFetcher | None) -> dict[str, Any]:
    counts = tally.counts
    result: dict[str, Any] = {
        "source": name, "status": "ok", "pages": tally.pages, "fetched": tally.fetched, "new": counts.new,
        "updated": counts.updated, "unchanged": counts.unchanged, "restored": counts.restored,
        "deleted": tally.deleted, "complete": tally.complete, "sweep": "full" if state.sweep_full else "incremental",
        "sweep_state": tally.ending, "skipped": tally.problem_count + tally.normal_skips,
        "skipped_normal": tally.normal_skips, "skipped_items": _skipped_items(tally),
        "notes": tally.note_count, "note_items": _items(tally.notes, tally.note_count),
        "statuses": dict(sorted(fetcher.statuses.items())) if fetcher else {},
        "selector_health": selector_verdict(tally.health),
    }
    if error is not None:
        kind = error.kind if isinstance(error, SourceUnavailable) else "error" if isinstance(error, PlauditError) \
            else "unexpected"
        result.update(status="failed", error=describe_error(error), error_kind=kind)
    elif tally.problem_count:
        result["status"] = "partial"
    return result


def selector_verdict(health: dict[str, list[int]]) -> dict[str, Any]:
    """Per selector: matched / tried and "ok" or "stale" (matched nothing it was tried on)."""
    return {name: {"matched": matched, "tried": tried, "verdict": "ok" if matched or not tried else "stale"}
            for name, (matched, tried) in sorted(health.items())}


def _skipped_items(tally: Tally) -> list[str]:
    """Problems first, then normal skips, at most MAX_ITEMS_IN_REPORT lines and a count of the rest."""
    shown = (tally.problems + tally.normal)[:MAX_ITEMS_IN_REPORT]
    return _items(shown, tally.problem_count + tally.normal_skips)


def _items(found: list[Skipped], total: int) -> list[str]:
    """The first few skipped or noted items as report lines (where and why, never review text)."""
    shown = [f"{s.where}: {s.reason}" for s in found]
    return shown + ([f"… and {total - len(found)} more"] if total > len(found) else [])
