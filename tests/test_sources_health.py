"""Source health (pipeline/sources/health.py, `plaudit sources`): what each source last did, read from the
store after real runs over a local server."""

from __future__ import annotations

import json

from pipeline.runs import run_nightly
from pipeline.sources.health import source_health
from pipeline import steps
from plaudit.cli import main
from plaudit.sources import format_source

TOML = """
[[sources]]
name = "site"
kind = "selectors"
url = "{base}/reviews"
selectors = {{ item = "div.review", text = "p.body", id = "@id", author = "span.by" }}

[[sources]]
name = "walled"
kind = "schema_org"
url = "{base}/walled"
"""


def serve(server) -> None:
    server.route("/robots.txt", status=404)
    server.route("/reviews", body=b'<div class="review" id="a"><p class="body">Kind and clear.</p></div>'
                                  b'<div class="review" id="b"><p class="body">Short wait.</p></div>')
    server.route("/walled", status=403, body=b"<title>Just a moment...</title>", headers={"cf-mitigated": "challenge"})


def test_health_after_a_run_names_successes_failures_statuses_and_stale_selectors(local_server, make_settings):
    serve(local_server)
    settings = make_settings(TOML.format(base=local_server.base))
    report = run_nightly(settings)
    assert report["sources"]["site"]["selector_health"]["author"]["verdict"] == "stale"
    assert report["sources"]["walled"]["consecutive_failures"] == 1 and report["sources"]["site"]["last_success"]
    with steps.open_store(settings) as db:
        site, walled = source_health(db, settings)
    assert (site["verdict"], site["stored"], site["pages"], site["statuses"]) == ("stale selectors", 2, 1, {"200": 1})
    assert site["selector_health"]["text"] == {"matched": 2, "tried": 2, "verdict": "ok"}
    assert site["last_run"] == {"fetched": 2, "new": 2, "updated": 0, "deleted": 0}
    assert (walled["verdict"], walled["error_kind"], walled["statuses"]) == ("failing", "captcha", {"403": 1})
    text = format_source(walled)
    assert "FAILING" in text and "captcha" in text and "403×1" in text


def test_plaudit_sources_prints_text_and_json(local_server, make_settings, capsys):
    serve(local_server)
    settings = make_settings(TOML.format(base=local_server.base))
    run_nightly(settings)
    assert main(["--config", str(settings.config_path), "sources"]) == 0
    out = capsys.readouterr().out
    assert "site (selectors, publish): STALE SELECTORS" in out and "author stale (0/2)" in out
    assert "walled (schema_org, publish): FAILING" in out
    assert main(["--config", str(settings.config_path), "sources", "--json"]) == 0
    entries = {e["source"]: e for e in json.loads(capsys.readouterr().out)}
    assert entries["walled"]["consecutive_failures"] == 1 and entries["site"]["stored"] == 2


def test_a_source_that_never_ran_says_so(make_settings):
    settings = make_settings(TOML.format(base="http://127.0.0.1:9"))
    with steps.open_store(settings) as db:
        entries = source_health(db, settings)
    assert [e["verdict"] for e in entries] == ["never run", "never run"]


def test_reset_accepts_a_shrunk_listing(local_server, make_settings, capsys):
    serve(local_server)
    settings = make_settings(TOML.format(base=local_server.base))
    assert main(["--config", str(settings.config_path), "sources", "--reset", "site"]) == 2  # not run yet
    run_nightly(settings)
    assert main(["--config", str(settings.config_path), "sources", "--reset", "site"]) == 0
    assert "count baseline cleared" in capsys.readouterr().out
    assert main(["--config", str(settings.config_path), "sources", "--reset", "nope"]) == 2
