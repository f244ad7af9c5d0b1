"""Sources: every kind of review input behind one interface.

A source is built from its `SourceConfig`; `collect(client, cursor)` returns a `Batch` (reviews, what was
skipped and why, the next cursor). Extraction is a pure function of fetched bytes so it is tested on saved
pages; only `collect` does I/O, through the shared polite client.
"""

from __future__ import annotations

from typing import Any, Protocol

from pipeline.models import Batch
from pipeline.settings import SourceConfig


class Fetcher(Protocol):
    """What a source needs from the HTTP client (pipeline.http.PoliteClient implements it)."""

    def get(self, url: str, *, validators: dict[str, str] | None = None, accept: str | None = None) -> Any:
        """Fetch a URL politely; returns a pipeline.http.FetchResult."""


class Source(Protocol):
    """A configured source of reviews."""

    config: SourceConfig

    def collect(self, client: Fetcher, cursor: dict[str, Any]) -> Batch:
        """Read what is new since `cursor`; raise SourceUnavailable when nothing could be read."""


def build_source(config: SourceConfig, max_pages: int = 20) -> Source:
    """The source object for a configured source, by kind."""
    if config.kind == "csv":
        from pipeline.sources.forms_csv import CsvFormSource

        return CsvFormSource(config)
    if config.kind == "schema_org":
        from pipeline.sources.listing import StructuredListingSource

        return StructuredListingSource(config, max_pages=config.max_pages or max_pages)
    if config.kind == "selectors":
        from pipeline.sources.listing import SelectorListingSource

        return SelectorListingSource(config, max_pages=config.max_pages or max_pages)
    raise ValueError(f"unknown source kind {config.kind!r}")
