"""End to end over a real local HTTP server and real SQLite files: collect → score → dedupe → suggest →
decide → publish, reruns, failures and crashes. The pages and the form export are the demo's own (ours)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import steps
from pipeline.errors import NotPublishable
from pipeline.publish import decisions
from pipeline.runs import run_nightly
from pipeline.settings import load_settings
from plaudit.demo import DEMO_DATA, prepare
from storage import reviews as review_store
from storage.public import read_public_store

SITE = DEMO_DATA / "site"


def serve_site(server) -> None:
    for path in SITE.rglob("*"):
        if path.is_file():
            kind = "text/plain" if path.suffix == ".txt" else "text/html; charset=utf-8"
            server.route("/" + path.relative_to(SITE).as_posix(), body=path.read_bytes(),
                         headers={"Content-Type": kind})


def demo_settings(server, folder: Path, edit: Callable[[str], str] = lambda text: text):
    """The demo's own configuration and form export, its pages served by `server`, without politeness waits."""
    serve_site(server)
    config = prepare(folder / "demo", server.base)
    config.write_text(edit(config.read_text()))
    return load_settings(config, env={}, http_delay_seconds=0.0, http_retries=0)


@pytest.fixture
def setup(local_server, tmp_path):
    return demo_settings(local_server, tmp_path), local_server


def counts(settings) -> dict[str, int]:
    with steps.open_store(settings) as db:
        return {t: db[t].count for t in ("reviews", "review_versions", "quotes", "duplicate_pairs")}


def quote_ids(settings, source: str) -> list[int]:
    with steps.open_store(settings) as db:
        return [r[0] for r in db.execute("SELECT q.id FROM quotes q JOIN reviews r ON r.id = q.review_id "
                                         "WHERE r.source = ? ORDER BY q.id", (source,))]


def test_nightly_run_goes_through_every_stage(setup):
    settings, _ = setup
    report = run_nightly(settings)
    sources = report["sources"]
    assert report["status"] == "partial"  # the export's broken row is reported, the rest goes on
    assert (sources["review-form"]["new"], sources["review-form"]["skipped"]) == (11, 1)
    assert "row 12" in sources["review-form"]["skipped_items"][0]
    assert sources["health-directory"]["new"] == 8 and sources["website"]["new"] == 5
    assert report["score"]["scored"] == 24
    assert report["dedupe"]["new_pairs"] == 2  # Patsy and Maria cross-posted under another form of their name
    assert report["suggest"]["suggested"] > 0
    with steps.open_store(settings) as db:
        stated = db.execute("SELECT stated_rating, stated_count FROM source_state WHERE source = 'health-directory'")
        assert stated.fetchone() == (4.3, 87)
        hostile = db.execute("SELECT text FROM reviews WHERE external_id = '112'").fetchone()[0]
        assert hostile.startswith("Great staff & spotless rooms!") and "<" not in hostile


def test_second_run_stores_nothing_twice(setup):
    settings, server = setup
    run_nightly(settings)
    before = counts(settings)
    second = run_nightly(settings)
    assert counts(settings) == before
    assert all(src.get("new", 0) == 0 for src in second["sources"].values())
    assert server.requests_for("/directory/sunrise-pain.html")  # asked again, answered "not modified" or same


def test_failing_source_is_reported_and_the_others_go_on(setup):
    settings, server = setup
    server.route("/directory/sunrise-pain.html", status=500, body=b"oops")
    report = run_nightly(settings)
    failed = report["sources"]["health-directory"]
    assert failed["status"] == "failed" and "500" in failed["error"]
    assert report["sources"]["website"]["new"] == 5 and report["status"] == "partial"
    with steps.open_store(settings) as db:
        row = db.execute("SELECT cursor, consecutive_failures FROM source_state WHERE source = 'health-directory'")
        assert row.fetchone() == (None, 1)  # no cursor saved: the next run starts from the beginning


def test_crash_mid_run_then_rerun_completes_without_duplicates(setup, monkeypatch):
    settings, _ = setup
    original = review_store.save_scores

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut while scoring")

    monkeypatch.setattr(review_store, "save_scores", crash)
    with pytest.raises(KeyboardInterrupt):
        run_nightly(settings)
    monkeypatch.setattr(review_store, "save_scores", original)
    report = run_nightly(settings)
    assert report["score"]["scored"] == 24
    assert counts(settings)["reviews"] == 24


def test_approve_publishes_at_once_and_unpublish_removes(setup):
    settings, _ = setup
    run_nightly(settings)
    with steps.open_store(settings) as db:
        form_quote = quote_ids(settings, "review-form")[0]
        assert decisions.approve(db, settings, form_quote, "amy")["published"] == 1
        listed = quote_ids(settings, "health-directory")[0]
        with pytest.raises(NotPublishable, match="signed authorization"):
            decisions.approve(db, settings, listed, "amy")
        approval = decisions.Approval(authorization_ref="signed-2026-7")
        assert decisions.approve(db, settings, listed, "amy", approval)["published"] == 2
        assert decisions.unpublish(db, settings, form_quote, "amy")["published"] == 1
    store = read_public_store(settings.public_db)
    assert [t["source_label"] for t in store["testimonials"]] == ["Health Directory"]
    assert store["meta"]["total_reviews"] == 22  # every distinct review, not only the selection


def test_edited_excerpt_must_only_delete(setup):
    settings, _ = setup
    run_nightly(settings)
    with steps.open_store(settings) as db:
        quote = quote_ids(settings, "review-form")[0]
        with pytest.raises(NotPublishable, match="only leaves words out|not a deletion-only excerpt"):
            decisions.approve(db, settings, quote, "amy", decisions.Approval(excerpt="The best clinic ever!"))


def test_public_outputs_hold_no_contact_details_or_internal_ids(setup):
    settings, _ = setup
    run_nightly(settings)
    with steps.open_store(settings) as db:
        for quote in quote_ids(settings, "review-form"):
            try:
                decisions.approve(db, settings, quote, "amy")
            except NotPublishable:
                pass
        secrets = [v for row in db.execute("SELECT email, phone, id FROM reviews") for v in row if v]
    published = [settings.public_db.read_bytes()] + [p.read_bytes() for p in settings.export_dir.iterdir()]
    assert len(read_public_store(settings.public_db)["testimonials"]) >= 3
    for blob in published:
        text = blob.decode("utf-8", errors="replace")
        assert not [s for s in secrets if s in text]
        assert not re.search(r"\b813-555-0147\b", text)


def test_summary_counts_every_review_per_source(setup):
    settings, _ = setup
    run_nightly(settings)
    summary = json.loads((settings.export_dir / "summary.json").read_text())
    by_label = {s["source_label"]: s for s in summary["sources"]}
    assert by_label["Health Directory"]["review_count"] == 8
    assert by_label["Health Directory"]["average_rating"] == pytest.approx(3.875, abs=0.005)
    assert by_label["Health Directory"]["stated_count"] == 87


def test_run_report_holds_no_review_text(setup):
    settings, _ = setup
    report = run_nightly(settings)
    dumped = json.dumps(report)
    assert "spotless" not in dumped and "@example.com" not in dumped and "Rogers" not in dumped


def test_retention_purges_text_but_keeps_the_summary_honest(local_server, tmp_path):
    listing = 'listing_url = "https://directory.example.com/sunrise-pain"'
    settings = demo_settings(local_server, tmp_path, lambda text: text.replace(
        listing, listing + "\nretention_hours = 24"))
    run_nightly(settings)
    before = json.loads((settings.export_dir / "summary.json").read_text())
    with steps.open_store(settings) as db:
        db.execute("UPDATE reviews SET first_seen = '2026-01-01T00:00:00+00:00'")
    report = run_nightly(settings)
    assert report["retention"]["purged"] == 8
    with steps.open_store(settings) as db:
        texts = [r[0] for r in db.execute("SELECT text FROM reviews WHERE source = 'health-directory'")]
        ratings = [r[0] for r in db.execute("SELECT rating FROM reviews WHERE source = 'health-directory'")]
        suggested = db.execute("SELECT count(*) FROM quotes q JOIN reviews r ON r.id = q.review_id "
                               "WHERE r.source = 'health-directory' AND q.status = 'suggested'").fetchone()[0]
    assert texts == [None] * 8 and None not in ratings and suggested == 0
    after = json.loads((settings.export_dir / "summary.json").read_text())
    assert after["sources"] == before["sources"]


def test_same_text_under_another_name_is_flagged_suspicious(local_server, make_settings, tmp_path):
    text = ("The infusion nurses explained every step, checked on me every ten minutes and made the whole "
            "morning calm. The front desk sorted my insurance paperwork before I even sat down.")
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "form.csv").write_text(
        '"Entry Id","Name (First)","Name (Last)","Tell us about your visit"\n'
        f'"1","Laura","Bennett","{text}"\n"2","Omar","Haddad","{text}"\n')
    settings = make_settings('[[sources]]\nname = "review-form"\nkind = "csv"\npath = "exports/*.csv"\n')
    run_nightly(settings)
    with steps.open_store(settings) as db:
        flags = [json.loads(r[0]) for r in db.execute("SELECT flags FROM reviews ORDER BY external_id")]
        suggested = db["quotes"].count
    assert all({"name": "suspicious", "detail": "same_text_different_author", "spans": []} in f for f in flags)
    assert suggested == 0


def test_suggestions_are_the_same_when_made_in_small_batches(setup, monkeypatch):
    from pipeline.publish import suggest

    settings, _ = setup
    run_nightly(settings)
    with steps.open_store(settings) as db:
        expected = sorted(r[0] for r in db.execute("SELECT review_id FROM quotes"))
        db.execute("DELETE FROM quotes")
    monkeypatch.setattr(suggest, "BATCH", 2)
    assert steps.suggest(settings)["suggested"] == len(expected)
    with steps.open_store(settings) as db:
        assert sorted(r[0] for r in db.execute("SELECT review_id FROM quotes")) == expected


def test_unchanged_listing_pages_keep_their_reviews_and_later_pages_are_still_read(local_server, make_settings):
    # Issue 9, item 6, over real HTTP: page 1 answers 304 every night; page 2 gains a review.
    pages = {"/l/1": ('<div class="r" id="a1"><p>Kind staff.</p></div><div class="r" id="a2"><p>Clean rooms.</p>'
                      '</div><link rel="next" href="/l/2">', '"p1"'),
             "/l/2": ('<div class="r" id="b1"><p>Short wait.</p></div>', '"p2-v1"')}

    def serve(path):
        def handler(request):
            body, etag = pages[path]
            if request.headers.get("If-None-Match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"ETag": etag, "Content-Type": "text/html"}, f"<html><body>{body}</body></html>".encode()
        return handler

    for path in pages:
        local_server.route_handler(path, serve(path))
    local_server.route("/robots.txt", body=b"")
    settings = make_settings(f'[[sources]]\nname = "site"\nkind = "selectors"\nurl = "{local_server.url("/l/1")}"\n'
                             'selectors = { item = "div.r", text = "p", id = "@id" }\n')
    run_nightly(settings)
    pages["/l/2"] = ('<div class="r" id="b1"><p>Short wait.</p></div><div class="r" id="b2"><p>Great nurse.</p>'
                     '</div>', '"p2-v2"')
    for _ in range(settings.missing_sweeps_before_deleted + 1):
        report = run_nightly(settings)
    assert report["sources"]["site"]["complete"] and report["sources"]["site"]["pages"] == 2
    with steps.open_store(settings) as db:
        rows = {r["external_id"]: r for r in db.query("SELECT external_id, deleted_at, missing_sweeps FROM reviews")}
    assert set(rows) == {"a1", "a2", "b1", "b2"}
    assert all(r["deleted_at"] is None and r["missing_sweeps"] == 0 for r in rows.values())
