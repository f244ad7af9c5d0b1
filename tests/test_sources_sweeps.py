"""Streaming, incremental sweeps (pipeline/sources/collect.py): chunk by chunk into real SQLite files, over a
real local HTTP server; resumption after a real crash, deletions only after several complete sweeps, edits as
versions, sudden shrinkage refused, the full-sweep schedule."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from pipeline import steps
from pipeline.net.client import PoliteClient
from pipeline.runs import begin_run
from pipeline.sources.collect import full_sweep_due
from storage import sweeps

ROOT = Path(__file__).resolve().parents[1]
CONFIG = """
[[sources]]
name = "site"
kind = "selectors"
url = "{base}/reviews"
selectors = {{ item = "div.review", text = "p.body", id = "@id" }}
{extra}
"""


class Listing:
    """A paged listing served by the local server; its pages can change between sweeps."""

    def __init__(self, server, pages: list[list[tuple[str, str]]]):
        self.server, self.pages = server, pages
        server.route("/robots.txt", status=404)
        for number in range(1, 10):
            server.route_handler(self.path(number), lambda request, n=number: self.page(n))

    @staticmethod
    def path(number: int) -> str:
        return "/reviews" if number == 1 else f"/reviews?page={number}"

    def page(self, number: int):
        if number > len(self.pages):
            return 404, {}, b"not found"
        items = "".join(f'<div class="review" id="{rid}"><p class="body">{text}</p></div>'
                        for rid, text in self.pages[number - 1])
        link = f'<a rel="next" href="{self.path(number + 1)}">next</a>' if number < len(self.pages) else ""
        return 200, {"Content-Type": "text/html; charset=utf-8"}, f"<html><body>{items}{link}</body></html>".encode()


def reviews_on(count: int, start: int = 1, prefix: str = "r") -> list[tuple[str, str]]:
    return [(f"{prefix}{n}", f"Review number {n} was kind and clear.") for n in range(start, start + count)]


@pytest.fixture
def site(local_server, make_settings):
    """(settings builder, listing) for a three-page listing of four reviews a page."""
    listing = Listing(local_server, [reviews_on(4, 1), reviews_on(4, 5), reviews_on(4, 9)])

    def settings(extra: str = "", **overrides):
        return make_settings(CONFIG.format(base=local_server.base, extra=extra), **overrides)
    return settings, listing


def collect(settings) -> dict:
    with steps.open_store(settings) as _:
        pass
    run_id = begin_run(settings, "test")
    with PoliteClient(settings) as client:
        return steps.collect_source(settings, "site", client, run_id)


def stored(settings, column: str = "external_id", where: str = "1") -> list:
    with steps.open_store(settings) as db:
        return [r[0] for r in db.execute(f"SELECT {column} FROM reviews WHERE {where} ORDER BY external_id")]


def state(settings) -> sweeps.SweepState:
    with steps.open_store(settings) as db:
        return sweeps.load(db, "site")


def test_each_page_is_its_own_committed_chunk(site):
    settings, _ = site
    make = settings()
    result = collect(make)
    assert (result["status"], result["pages"], result["new"], result["complete"]) == ("ok", 3, 12, True)
    assert result["statuses"] == {"200": 3}
    assert result["selector_health"]["text"] == {"matched": 12, "tried": 12, "verdict": "ok"}
    saved = state(make)
    assert saved.sweep_run is None and saved.baseline_count == 12 and saved.last_full_sweep


CHILD = """
import sys
sys.path.insert(0, {root!r})
from pipeline import steps
from pipeline.net.client import PoliteClient
from pipeline.runs import begin_run
from pipeline.settings import load_settings
settings = load_settings({config!r}, env={{}}, allow_private_addresses=True, http_delay_seconds=0.0,
                         http_retries=0, http_read_timeout=60.0)
run_id = begin_run(settings, "child")
with PoliteClient(settings) as client:
    steps.collect_source(settings, "site", client, run_id)
"""


def test_a_sweep_killed_mid_way_resumes_from_its_last_committed_page(site, local_server):
    settings, listing = site
    make = settings()
    release = threading.Event()
    local_server.route_handler(Listing.path(3), lambda request: (release.wait(30), listing.page(3))[1])
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD).format(
        root=str(ROOT), config=str(make.config_path))], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not local_server.requests_for(Listing.path(3)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert local_server.requests_for(Listing.path(3)), "the child never reached page 3"
    finally:
        child.kill()  # SIGKILL: no cleanup of any kind, as in a power cut
        child.wait()
        release.set()
    assert stored(make) == sorted(f"r{n}" for n in range(1, 9))  # pages 1 and 2 were committed
    assert state(make).sweep_run is not None  # and the sweep is known to be in progress

    before = len(local_server.requests)
    result = collect(make)
    asked = [r.path for r in local_server.requests[before:] if r.path != "/robots.txt"]
    assert asked == [Listing.path(3)]  # resumed at page 3: pages 1 and 2 are not read again
    assert (result["new"], result["complete"], result["deleted"]) == (4, True, 0)
    assert len(stored(make)) == 12 and state(make).baseline_count == 12


def test_a_review_is_deleted_only_after_several_complete_sweeps_and_restored_when_back(site):
    settings, listing = site
    make = settings(missing_sweeps_before_deleted=2)
    collect(make)
    listing.pages[1] = reviews_on(3, 5)  # r8 disappears from page 2
    first = collect(make)
    assert first["deleted"] == 0 and stored(make, "missing_sweeps", "external_id = 'r8'") == [1]
    second = collect(make)
    assert second["deleted"] == 1 and stored(make, "deleted_at IS NOT NULL", "external_id = 'r8'") == [1]
    listing.pages[1] = reviews_on(4, 5)
    back = collect(make)
    assert back["restored"] == 1 and stored(make, "deleted_at IS NULL", "external_id = 'r8'") == [1]


def test_an_edit_at_the_source_becomes_a_version(site):
    settings, listing = site
    make = settings()
    collect(make)
    listing.pages[0][0] = ("r1", "Review number 1, edited: they called me back the same day.")
    result = collect(make)
    assert (result["updated"], result["new"]) == (1, 0)
    with steps.open_store(make) as db:
        assert db.execute("SELECT version FROM reviews WHERE external_id = 'r1'").fetchone()[0] == 2
        assert db["review_versions"].count == 1


def test_a_listing_that_loses_more_than_half_is_an_error_and_nothing_goes_missing(site):
    settings, listing = site
    make = settings()
    collect(make)
    listing.pages[:] = [reviews_on(4, 1)]  # pages 2 and 3 vanish: 4 of 12
    result = collect(make)
    assert (result["status"], result["error_kind"]) == ("failed", "layout_changed")
    assert "fewer than half" in result["error"] and "plaudit sources --reset site" in result["error"]
    assert stored(make, "missing_sweeps") == [0] * 12 and len(stored(make)) == 12
    assert collect(make)["status"] == "failed"  # still wrong next night: it is not forgotten
    with steps.open_store(make) as db:
        assert sweeps.reset_baseline(db, "site")
    accepted = collect(make)
    assert accepted["status"] == "ok" and accepted["complete"]
    assert stored(make, "missing_sweeps", "external_id = 'r12'") == [1]


def test_a_changed_layout_leaves_the_stored_reviews_untouched(site, local_server):
    settings, listing = site
    make = settings()
    collect(make)
    before = stored(make, "text || missing_sweeps || version")
    local_server.route(Listing.path(1), body=b"<html><body><article class='testimonial'><blockquote>"
                                            b"New design!</blockquote></article></body></html>")
    result = collect(make)
    assert (result["status"], result["error_kind"], result["new"]) == ("failed", "layout_changed", 0)
    assert "no reviews found" in result["error"]
    assert stored(make, "text || missing_sweeps || version") == before
    with steps.open_store(make) as db:
        row = db.execute("SELECT last_error, consecutive_failures, error_kind FROM source_state").fetchone()
    assert row[1:] == (1, "layout_changed") and "LayoutChanged" in row[0]


def test_items_found_but_the_text_selector_matching_nothing_is_a_layout_change(site, local_server):
    settings, _ = site
    make = settings()
    local_server.route(Listing.path(1), body=b'<div class="review" id="r1"><span>moved</span></div>')
    result = collect(make)
    assert result["error_kind"] == "layout_changed" and "text selector matched nothing" in result["error"]
    assert result["selector_health"]["text"]["verdict"] == "stale"


def test_newest_first_listing_stops_early_until_the_full_sweep_is_due(site, local_server):
    settings, listing = site
    make = settings('newest_first = true', stop_after_known=3, full_sweep_days=7)
    assert collect(make)["sweep"] == "full"  # the first sweep reads everything
    listing.pages[0].insert(0, ("r0", "A new review at the top, kind and clear."))
    before = len(local_server.requests)
    result = collect(make)
    assert (result["sweep"], result["new"], result["complete"], result["pages"]) == ("incremental", 1, False, 1)
    assert result["sweep_state"] == "ended incomplete"
    assert [r.path for r in local_server.requests[before:] if r.path != "/robots.txt"] == [Listing.path(1)]
    with steps.open_store(make) as db:  # a week later the full sweep is due again
        db.execute("UPDATE source_state SET last_full_sweep = '2000-01-01T00:00:00+00:00'")
    full = collect(make)
    assert (full["sweep"], full["pages"], full["complete"]) == ("full", 3, True)


def test_max_pages_spreads_a_long_listing_over_runs(site):
    settings, _ = site
    make = settings(max_pages=2)
    first = collect(make)
    assert (first["pages"], first["status"], first["sweep_state"]) == (2, "ok", "continues next run")
    second = collect(make)
    assert (second["pages"], second["new"], second["complete"]) == (1, 4, True)
    assert state(make).baseline_count == 12


@pytest.mark.parametrize("last, days, now, due", [
    (None, 7, "2026-01-10T00:00:00+00:00", True),
    ("2026-01-01T00:00:00+00:00", 7, "2026-01-07T23:59:59+00:00", False),
    ("2026-01-01T00:00:00+00:00", 7, "2026-01-08T00:00:00+00:00", True),
    ("2026-01-01T00:00:00+00:00", 0, "2026-01-01T00:00:01+00:00", True),
])
def test_full_sweep_schedule(last, days, now, due):
    assert full_sweep_due(last, days, now) is due


def test_a_csv_import_interrupted_between_chunks_resumes_at_the_next_row(make_settings, tmp_path, monkeypatch):
    from pipeline.sources import collect as collect_module
    from pipeline.sources import csv_source

    monkeypatch.setattr(csv_source, "CHUNK_ROWS", 5)
    rows = "".join(f"e{n},Entry number {n} was kind and clear.,5\n" for n in range(1, 13))
    (tmp_path / "form.csv").write_text("Entry Id,Review,Rating\n" + rows, encoding="utf-8")
    settings = make_settings('[[sources]]\nname = "form"\nkind = "csv"\npath = "form.csv"\n')
    real, calls = collect_module._store_chunk, []

    def crash_on_the_second_chunk(*args):
        calls.append(1)
        if len(calls) == 2:
            raise MemoryError("the machine ran out of memory")  # anything at all, between two chunks
        return real(*args)

    monkeypatch.setattr(collect_module, "_store_chunk", crash_on_the_second_chunk)
    run_id = begin_run(settings, "test")
    first = steps.collect_source(settings, "form", None, run_id)
    assert (first["status"], first["new"]) == ("failed", 5)
    monkeypatch.setattr(collect_module, "_store_chunk", real)
    second = steps.collect_source(settings, "form", None, begin_run(settings, "test"))
    assert (second["status"], second["new"], second["unchanged"]) == ("ok", 7, 0)  # rows 1-5 were not re-read
    with steps.open_store(settings) as db:
        assert db.execute("SELECT count(*), count(DISTINCT external_id) FROM reviews").fetchone() == (12, 12)
