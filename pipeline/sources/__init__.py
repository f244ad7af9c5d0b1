"""Sources: every kind of review input behind one interface (the collect stage).

Takes: a source's `SourceConfig`, the polite client and the source's saved cursor. Gives: its sweep, `Batch`
chunks (raw reviews, what was skipped and why, the cursor that resumes after each); `ingest.to_row` turns each raw review into a store row
(stable identity, hashes, consent fields). Extraction is a pure function of fetched bytes so it is tested on
saved pages; only `collect` does I/O, through the shared polite client.

Modules: `csv_source` (form-tool CSV exports, streamed by `csv_files`, rows read by `forms_csv` with
`form_presets` and `form_values`), `listing` (paged listing pages) with `structured` (schema.org JSON-LD and
microdata), `selectors` (configured CSS selectors) and `walls` (consent, login, CAPTCHA and block pages),
`inbox` (deliveries of the hosted review form and webhooks), `apis/` (Google Business Profile, Trustpilot,
Yelp), `values` (numbers, ratings, dates and names as pages show them), `ingest` (raw review → row), `base` (the sweep interface every source implements), `collect` (a sweep
stored chunk by chunk, with the source's health).

Settings: the `[[sources]]` tables of plaudit.toml (kind, url, path or resource, preset, selectors, auth,
policy, location, retention), `max_pages`, `source_workers`, `missing_sweeps_before_deleted`,
`stop_after_known`, `full_sweep_days`.
"""

from __future__ import annotations

from pipeline.models import SourceConfig
from pipeline.sources.apis.google_business import GoogleBusinessProfileSource
from pipeline.sources.apis.trustpilot import TrustpilotSource
from pipeline.sources.apis.yelp import YelpSource
from pipeline.sources.base import Fetcher, Source
from pipeline.sources.csv_source import CsvFormSource
from pipeline.sources.inbox import InboxSource
from pipeline.sources.listing import SelectorListingSource, StructuredListingSource

__all__ = ["Fetcher", "Source", "build_source"]


def build_source(config: SourceConfig, max_pages: int = 20) -> Source:
    """The source object for a configured source, by kind."""
    if config.kind == "csv":
        return CsvFormSource(config)
    if config.kind == "inbox":
        return InboxSource(config)
    if config.kind == "schema_org":
        return StructuredListingSource(config, max_pages=config.max_pages or max_pages)
    if config.kind == "selectors":
        return SelectorListingSource(config, max_pages=config.max_pages or max_pages)
    apis = {"google_business_profile": GoogleBusinessProfileSource, "trustpilot": TrustpilotSource,
            "yelp": YelpSource}
    if config.kind in apis:
        return apis[config.kind](config, max_pages=config.max_pages or max_pages)
    raise ValueError(f"unknown source kind {config.kind!r}")
