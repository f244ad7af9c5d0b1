"""A hostile network, end to end: every fault of tests/faultserver.py in one nightly run, each reported as what
it is (never as "zero reviews"), and the healthy sources' results unaffected. Walls are recognised by
pipeline/sources/walls.py on pages we wrote."""

from __future__ import annotations

import pytest

from pipeline import steps
from pipeline.runs import run_nightly
from pipeline.settings import load_settings
from pipeline.sources import walls
from tests.faultserver import FAULTS, WALLS, FaultServer, listing, name
from tests.localserver import LocalServer

HOSTILE = dict(allow_private_addresses=False, allowed_networks=("127.0.0.0/8",), http_delay_seconds=0.0,
               http_retries=1, http_backoff_seconds=0.0, http_connect_timeout=0.5, http_read_timeout=0.5,
               http_max_bytes=1_000_000, http_max_retry_after=5.0)


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """One nightly run over the fault server, a healthy server and two hosts whose robots.txt fails."""
    faults = FaultServer().start().install()
    healthy, robots_down, robots_slow = LocalServer().start(), LocalServer().start(), LocalServer().start()
    try:
        healthy.route("/robots.txt", status=404)
        healthy.route("/reviews", body=listing(3, prefix="h"), headers={"Content-Type": "text/html"})
        robots_down.route("/robots.txt", status=503)
        robots_slow.route("/robots.txt", body=b"User-agent: *\nAllow: /\n", delay=2.0)
        for server in (robots_down, robots_slow):
            server.route("/reviews", body=listing(prefix="r"), headers={"Content-Type": "text/html"})
        folder = tmp_path_factory.mktemp("faults")
        extra = "".join(f'\n[[sources]]\nname = "{label}"\nkind = "selectors"\nurl = "{server.url("/reviews")}"\n'
                        f'selectors = {{ item = "div.review", text = "p.body", id = "@id" }}\n'
                        for label, server in (("healthy", healthy), ("robots-down", robots_down),
                                              ("robots-slow", robots_slow)))
        (folder / "plaudit.toml").write_text(faults.sources_toml() + extra, encoding="utf-8")
        settings = load_settings(folder / "plaudit.toml", env={}, **HOSTILE)
        yield settings, run_nightly(settings), faults
    finally:
        for server in (faults, healthy, robots_down, robots_slow):
            server.stop()


@pytest.mark.parametrize("path, kind", sorted(FAULTS.items()))
def test_each_fault_is_reported_as_what_it_is(night, path, kind):
    _, report, _ = night
    result = report["sources"][name(path)]
    if kind is None:
        assert (result["status"], result["new"], result["complete"]) == ("ok", 2, True)
    else:
        assert (result["status"], result["error_kind"], result["new"]) == ("failed", kind, 0), result["error"]


@pytest.mark.parametrize("source", ["robots-down", "robots-slow"])
def test_a_robots_txt_that_cannot_be_read_disallows_the_host(night, source):
    _, report, _ = night
    result = report["sources"][source]
    assert (result["status"], result["error_kind"]) == ("failed", "robots")


def test_the_healthy_sources_are_unaffected(night):
    settings, report, _ = night
    assert report["sources"]["healthy"]["new"] == 3 and report["status"] == "partial"
    assert report["score"]["scored"] == 3 + 2 + 2 + 2  # healthy, ok, retry-after and flaky
    with steps.open_store(settings) as db:
        assert db.execute("SELECT count(*) FROM reviews WHERE source = 'healthy'").fetchone()[0] == 3


def test_walls_say_how_they_were_recognised_and_that_nothing_is_worked_around(night):
    _, report, _ = night
    consent = report["sources"]["consent-redirect"]["error"]
    assert "consent wall" in consent and "the page is at 127.0.0.1/consent" in consent
    assert "does not work around" in report["sources"]["challenge"]["error"]
    assert "HTTP 403" in report["sources"]["denied"]["error"]


def test_retries_and_redirects_show_in_the_http_statuses(night):
    _, report, faults = night
    assert report["sources"]["flaky"]["statuses"] == {"200": 1, "503": 1}
    assert report["sources"]["retry-after"]["statuses"] == {"200": 1, "429": 1}
    assert report["sources"]["down"]["statuses"] == {"500": 2}  # the first try and one retry
    assert report["sources"]["to-private"]["statuses"] == {"302": 1}
    assert faults.requests_for("/rate-limited") and len(faults.requests_for("/rate-limited")) == 1  # no waiting


def test_failed_sources_keep_their_health_for_plaudit_sources(night):
    settings, _, _ = night
    with steps.open_store(settings) as db:
        row = db.execute("SELECT error_kind, consecutive_failures, statuses FROM source_state "
                         "WHERE source = 'challenge'").fetchone()
    assert row[:2] == ("captcha", 1) and '"403": 1' in row[2]


@pytest.mark.parametrize("page, status, headers, kind", [
    ("cloudflare-challenge.html", 403, {"cf-mitigated": "challenge"}, "captcha"),
    ("cloudflare-challenge.html", 200, {}, "captcha"),
    ("recaptcha.html", 200, {}, "captcha"),
    ("datadome.html", 403, {}, "captcha"),
    ("consent.html", 200, {}, "consent_wall"),
    ("login.html", 200, {}, "login_wall"),
    ("access-denied.html", 403, {}, "blocked"),
    ("access-denied.html", 200, {}, "blocked"),
    ("construction.html", 200, {}, None),
    ("construction.html", 401, {}, "login_wall"),
    ("construction.html", 429, {}, "rate_limited"),
])
def test_recognise_walls_on_pages_we_wrote(page, status, headers, kind):
    wall = walls.recognise("https://directory.example/reviews", status, headers, (WALLS / page).read_bytes())
    assert (wall.kind if wall else None) == kind


@pytest.mark.parametrize("url, kind", [
    ("https://consent.example.com/ml?continue=https://directory.example/reviews", "consent_wall"),
    ("https://directory.example/users/sign_in?return_to=%2Freviews", "login_wall"),
    ("https://directory.example/cdn-cgi/challenge-platform/h/g", "captcha"),
    ("https://directory.example/reviews?page=2", None),
])
def test_a_redirect_to_a_wall_is_recognised_by_its_url(url, kind):
    wall = walls.recognise(url, 200, {}, b"<html><body></body></html>")
    assert (wall.kind if wall else None) == kind


def test_a_page_that_turns_into_a_wall_between_sweeps_keeps_its_reviews(tmp_path):
    with FaultServer() as server:
        server.install()
        server.route("/changing", body=listing(4, prefix="c"), headers={"Content-Type": "text/html"})
        (tmp_path / "plaudit.toml").write_text(
            f'[[sources]]\nname = "changing"\nkind = "selectors"\nurl = "{server.url("/changing")}"\n'
            f'selectors = {{ item = "div.review", text = "p.body", id = "@id" }}\n', encoding="utf-8")
        settings = load_settings(tmp_path / "plaudit.toml", env={}, **HOSTILE)
        assert run_nightly(settings)["sources"]["changing"]["new"] == 4
        for page, kind in (("denied-200", "blocked"), ("consent", "consent_wall"), ("construction", "layout_changed")):
            server.route("/changing", body=(WALLS / f"{'access-denied' if page == 'denied-200' else page}.html")
                         .read_bytes(), headers={"Content-Type": "text/html"})
            result = run_nightly(settings)["sources"]["changing"]
            assert (result["status"], result["error_kind"]) == ("failed", kind)
        with steps.open_store(settings) as db:
            kept = db.execute("SELECT count(*), max(missing_sweeps), max(version), count(deleted_at) "
                              "FROM reviews").fetchone()
        assert kept == (4, 0, 1, 0)
