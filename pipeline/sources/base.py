"""What every source is: the interface the collect stage calls, and what a source needs from the client.

A source *sweeps*: it yields its reviews chunk by chunk (a page, a part of a file), each chunk with the cursor
that resumes after it, and marks the final chunk `last`. The collect step stores every chunk in its own
transaction, so memory stays flat whatever a source holds and an interrupted sweep resumes from its last
stored chunk. `gather` turns a sweep back into one Batch (tests, small tools).

Newest-first sources (review APIs sorted by update time, listings configured `newest_first`) may stop early:
`KnownStreak` counts consecutive reviews the store already holds unchanged, and after
`SweepContext.stop_after_known` of them the sweep ends, incomplete (no deletion inference from it). A full
sweep (`SweepContext.full`, on the `full_sweep_days` schedule) never stops early, so it catches what the
incremental ones skipped and lets deletions be inferred.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipeline.models import Batch, RawReview, SourceConfig


class Fetcher(Protocol):
    """What a source needs from the HTTP client (pipeline.net.client.PoliteClient implements it)."""

    def get(self, url: str, *, validators: dict[str, str] | None = None, accept: str | None = None,
            headers: dict[str, str] | None = None, api: bool = False) -> Any:
        """Fetch a URL politely; returns a pipeline.net.client.FetchResult."""


def _nothing_known(reviews: list[RawReview]) -> list[bool]:
    return [False] * len(reviews)


@dataclass
class SweepContext:
    """What the collect step tells a source about this sweep."""

    full: bool = True  # read everything: no early stop (first sweep, or the scheduled full re-sweep)
    stop_after_known: int = 0  # newest-first sources stop after this many known, unchanged reviews; 0: never
    is_known: Callable[[list[RawReview]], list[bool]] = field(default=_nothing_known)  # stored and unchanged?


class Source(Protocol):
    """A configured source of reviews."""

    config: SourceConfig

    def sweep(self, client: Fetcher, cursor: dict[str, Any], context: SweepContext) -> Iterator[Batch]:
        """Yield chunks of what is new since `cursor`; raise SourceUnavailable when nothing could be read."""


class KnownStreak:
    """Counts consecutive known, unchanged reviews of a newest-first walk and says when enough were seen."""

    def __init__(self, context: SweepContext):
        self.context = context
        self.count = 0

    def enough(self, reviews: list[RawReview], unchanged: int = 0) -> bool:
        """Feed the next reviews in listing order (and a count of reviews known unchanged without reading
        them, a page that answered 304); True once `stop_after_known` consecutive ones were known."""
        limit = self.context.stop_after_known
        if self.context.full or limit <= 0:
            return False
        for known in [True] * unchanged + (self.context.is_known(reviews) if reviews else []):
            self.count = self.count + 1 if known else 0
            if self.count >= limit:
                return True
        return False


class ChunkedSource:
    """Mixin: `collect` gathers the whole sweep into one Batch (for tests and callers that want it whole)."""

    def sweep(self, client: Fetcher, cursor: dict[str, Any], context: SweepContext) -> Iterator[Batch]:
        raise NotImplementedError

    def collect(self, client: Fetcher, cursor: dict[str, Any], context: SweepContext | None = None) -> Batch:
        """The whole sweep as one Batch."""
        return gather(self.sweep(client, cursor, context or SweepContext()))


def gather(chunks: Iterable[Batch]) -> Batch:
    """One Batch from a sweep's chunks: reviews and reports concatenated, the last chunk's cursor and verdict."""
    whole = Batch()
    for chunk in chunks:
        whole.reviews.extend(chunk.reviews)
        whole.skipped.extend(chunk.skipped)
        whole.notes.extend(chunk.notes)
        whole.unchanged_ids.extend(chunk.unchanged_ids)
        whole.aggregate = whole.aggregate or chunk.aggregate
        whole.pages += chunk.pages
        whole.cursor, whole.complete, whole.last = chunk.cursor, chunk.complete, chunk.last
        merge_health(whole.health, chunk.health)
    return whole


def merge_health(total: dict[str, list[int]], more: dict[str, list[int]]) -> None:
    """Add one chunk's selector health ([matched, tried] per selector) into a running total."""
    for name, (matched, tried) in more.items():
        have = total.setdefault(name, [0, 0])
        have[0] += matched
        have[1] += tried
