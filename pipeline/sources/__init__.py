"""Sources: every kind of review input behind one interface (the collect stage).

Takes: a source's `SourceConfig`, the polite client and the source's saved cursor. Gives: a `Batch` (raw
reviews, what was skipped and why, the next cursor); `ingest.to_row` turns each raw review into a store row
(stable identity, hashes, consent fields). Extraction is a pure function of fetched bytes so it is tested on
saved pages; only `collect` does I/O, through the shared polite client.

Modules: `forms_csv` with `form_presets` and `form_values` (form-tool CSV exports), `listing` (paged listing
pages) with `structured` (schema.org JSON-LD and microdata) and `selectors` (configured CSS selectors),
`values` (numbers, ratings, dates and names as pages show them), `ingest` (raw review → row), `base` (the
interface every source implements).

Settings: the `[[sources]]` tables of plaudit.toml (kind, url or path, preset, selectors, policy, location,
retention), `max_pages`, `source_workers`, `missing_sweeps_before_deleted`.
"""

from __future__ import annotations

from pipeline.models import SourceConfig
from pipeline.sources.base import Fetcher, Source
from pipeline.sources.csv_source import CsvFormSource
from pipeline.sources.listing import SelectorListingSource, StructuredListingSource

__all__ = ["Fetcher", "Source", "build_source"]


def build_source(config: SourceConfig, max_pages: int = 20) -> Source:
    """The source object for a configured source, by kind."""
    if config.kind == "csv":
        return CsvFormSource(config)
    if config.kind == "schema_org":
        return StructuredListingSource(config, max_pages=config.max_pages or max_pages)
    if config.kind == "selectors":
        return SelectorListingSource(config, max_pages=config.max_pages or max_pages)
    raise ValueError(f"unknown source kind {config.kind!r}")
