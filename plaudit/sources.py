"""`plaudit sources`: each source's health on a terminal (or as JSON), and accepting a listing's new size."""

from __future__ import annotations

import json
from typing import Any, TextIO

from pipeline.settings import Settings
from pipeline.sources.health import source_health
from pipeline.steps import open_store
from storage import sweeps
from storage.db import write_transaction

EXIT_OK, EXIT_REFUSED = 0, 2


def print_sources(settings: Settings, out: TextIO, as_json: bool = False) -> int:
    """Print every source's health: last success and error, counts, pages, HTTP statuses, selectors, sweep."""
    with open_store(settings) as db:
        entries = source_health(db, settings)
    if as_json:
        print(json.dumps(entries, indent=2, sort_keys=True), file=out)
        return EXIT_OK
    if not entries:
        print("no sources are configured", file=out)
    for entry in entries:
        print(format_source(entry), file=out)
    return EXIT_OK


def format_source(entry: dict[str, Any]) -> str:
    """A few lines about one source (counts and states only)."""
    what = f"{entry['kind']}, {entry['policy']}" if entry["configured"] else "no longer configured"
    head = f"{entry['source']} ({what}): {entry['verdict'].upper()}"
    lines = [head + f" · last success {entry['last_success'] or 'never'}"]
    if entry["last_error"]:
        lines.append(f"  last error ({entry['error_kind'] or 'error'}, {entry['consecutive_failures']} run(s) in a "
                     f"row): {entry['last_error']}")
    run = entry["last_run"]
    lines.append(f"  reviews: {entry['stored']} stored ({entry['deleted']} counted deleted); last run: "
                 f"{run.get('fetched', 0)} fetched, {run.get('new', 0)} new, {run.get('updated', 0)} updated, "
                 f"{run.get('deleted', 0)} deleted, {entry['pages']} page(s) read")
    if entry["statuses"]:
        lines.append("  HTTP statuses: " + ", ".join(f"{status}×{n}" for status, n in entry["statuses"].items()))
    if entry["selector_health"]:
        lines.append("  selectors: " + ", ".join(f"{name} {h['verdict']} ({h['matched']}/{h['tried']})"
                                                 for name, h in entry["selector_health"].items()))
    sweep = (f"in progress ({entry['sweep_pages_so_far']} page(s) so far)" if entry["sweep_in_progress"]
             else "none in progress")
    lines.append(f"  sweep: {sweep}; last complete sweep {entry['last_full_sweep'] or 'never'}"
                 + (f" ({entry['baseline_count']} reviews)" if entry["baseline_count"] is not None else ""))
    if entry["stated_count"] is not None or entry["stated_rating"] is not None:
        lines.append(f"  the listing states: {entry['stated_rating']} average from {entry['stated_count']} reviews")
    return "\n".join(lines)


def reset_source(settings: Settings, name: str, out: TextIO) -> int:
    """Accept a listing's new size: forget its review-count baseline so a real shrink is no longer an error."""
    settings.source(name)  # an unknown name is a ConfigError naming the configured ones
    with open_store(settings) as db:
        with write_transaction(db):
            known = sweeps.reset_baseline(db, name)
    print(f"source {name}: " + ("count baseline cleared; the next complete sweep sets it again" if known
                                 else "nothing to reset (it has not run yet)"), file=out)
    return EXIT_OK if known else EXIT_REFUSED
