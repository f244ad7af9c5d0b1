"""The public JSON API over a real uvicorn server on 127.0.0.1: filters, cursor pages, ETag/304, a new publish
without restart, CORS for configured origins only, and clear JSON errors for bad parameters."""

from __future__ import annotations

import gzip
import io
import sqlite3
from pathlib import Path

import pytest
import requests

from pipeline.publish.widget import ASSET
from pipeline.runs import run_nightly
from pipeline.steps import open_store
from plaudit.cli import main
from plaudit.serve import check_bind
from storage import quotes as quote_store
from storage.public import read_public_store
from tests.appserver import AppServer
from tests.publicdata import HOSTILE, make_testimonial, public_settings, write_store
from tests.test_pipeline_e2e import demo_settings
from web.public.app import create_app

ALLOWED = "https://www.example-clinic.com"


def _serve(folder):
    settings = public_settings(folder, public_allowed_origins=(ALLOWED,))
    rows = [make_testimonial(i) for i in range(1, 48)] + [make_testimonial(100 + i, excerpt=text)
                                                          for i, text in enumerate(HOSTILE)]
    write_store(settings.public_db, rows)
    with AppServer(create_app(settings)) as server:
        yield server, settings, rows


@pytest.fixture
def served(tmp_path):
    """A server of its own, for tests that publish again."""
    yield from _serve(tmp_path)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One server for the tests that only read."""
    yield from _serve(tmp_path_factory.mktemp("public"))


def get(server, path, **params):
    return requests.get(server.url(path), params=params, timeout=10)


def all_pages(server, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        page = get(server, "/v1/testimonials", **params, **({"cursor": cursor} if cursor else {})).json()
        items += page["testimonials"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def test_pages_walk_every_testimonial_once_in_a_stable_order(shared):
    server, _, rows = shared
    first = get(server, "/v1/testimonials").json()
    assert len(first["testimonials"]) == 20 and first["label"] == "Selected testimonials"
    walked = all_pages(server, limit=7)
    assert len(walked) == len(rows) and len({t["id"] for t in walked}) == len(rows)
    keys = [(t["published_at"], t["id"]) for t in walked]
    assert keys == sorted(sorted(keys, key=lambda k: k[1]), key=lambda k: k[0], reverse=True)
    assert walked[:20] == first["testimonials"]
    assert {t["excerpt"] for t in walked} >= set(HOSTILE)  # text as published, never altered
    assert "position" not in walked[0] and {"provider", "tags", "location"} <= set(walked[0])


@pytest.mark.parametrize("params, keep", [
    ({"location": "tampa"}, lambda t: t["location"] == "tampa"),
    ({"provider": "Dr. Alvarez"}, lambda t: t["provider"] == "Dr. Alvarez"),
    ({"tag": "Billing"}, lambda t: "billing" in t["tags"]),
    ({"min_rating": "4.5"}, lambda t: t["rating"] >= 4.5),
    ({"location": "orlando", "tag": "staff", "min_rating": "2"},
     lambda t: t["location"] == "orlando" and "staff" in t["tags"] and t["rating"] >= 2),
])
def test_filters_keep_exactly_the_matching_testimonials(shared, params, keep):
    server, _, rows = shared
    walked = all_pages(server, limit=5, **params)
    expected = {r["id"] for r in rows if keep(r)}
    assert expected and {t["id"] for t in walked} == expected


def test_a_cursor_survives_a_publish_that_removes_earlier_items(served):
    server, settings, rows = served
    first = get(server, "/v1/testimonials", limit=10).json()
    seen = first["testimonials"]
    write_store(settings.public_db, [r for r in rows if r["id"] != seen[3]["id"]], publish_id="pub2")
    rest = get(server, "/v1/testimonials", limit=100, cursor=first["next_cursor"]).json()["testimonials"]
    assert rest[0]["id"] not in {t["id"] for t in seen}
    assert len(seen) + len(rest) == len(rows)  # nothing skipped, nothing repeated


def test_etag_gives_304_until_the_next_publish_which_is_served_without_restart(served):
    server, settings, rows = served
    answer = get(server, "/v1/testimonials", location="tampa")  # rendered now
    from_memory = get(server, "/v1/testimonials", location="tampa")  # sent as rendered, past the router
    assert from_memory.content == answer.content
    assert {k: v for k, v in from_memory.headers.items() if k != "date"} == {
        k: v for k, v in answer.headers.items() if k != "date"}
    etag = answer.headers["ETag"]
    assert etag.startswith('"pub1-') and answer.headers["Cache-Control"] == "public, max-age=60"
    again = requests.get(answer.url, headers={"If-None-Match": etag}, timeout=10)
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    assert requests.get(answer.url, headers={"If-None-Match": f'W/{etag}, "other"'}, timeout=10).status_code == 304
    summary_etag = get(server, "/v1/summary").headers["ETag"]
    assert summary_etag != etag
    write_store(settings.public_db, rows[:3], publish_id="pub2")
    fresh = requests.get(answer.url, headers={"If-None-Match": etag}, timeout=10)
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag and fresh.headers["ETag"].startswith('"pub2-')
    assert {t["id"] for t in fresh.json()["testimonials"]} <= {r["id"] for r in rows[:3]}


def test_summary_covers_all_reviews_and_filters_by_location(shared):
    server, _, _ = shared
    summary = get(server, "/v1/summary").json()
    assert summary["total_reviews"] == 240 and summary["label"] == "Selected testimonials"
    assert "not only the selected testimonials" in summary["note"]
    assert [s["source_label"] for s in summary["sources"]] == ["Health Directory", "Orlando Listing",
                                                              "Patient feedback form"]
    tampa = get(server, "/v1/summary", location="tampa").json()
    assert [s["source_label"] for s in tampa["sources"]] == ["Health Directory", "Patient feedback form"]
    assert [link["url"] for link in summary["full_reviews"]] == ["https://directory.example.com/sunrise",
                                                                 "https://listing.example.com/orlando"]


def test_cors_answers_only_configured_origins(shared):
    server, _, _ = shared
    url = server.url("/v1/testimonials")
    allowed = requests.get(url, headers={"Origin": ALLOWED}, timeout=10)
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED and "Origin" in allowed.headers["Vary"]
    assert "ETag" in allowed.headers["Access-Control-Expose-Headers"]
    other = requests.get(url, headers={"Origin": "https://elsewhere.example"}, timeout=10)
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other.headers
    assert other.headers["Vary"] == "Origin" == requests.get(url, timeout=10).headers["Vary"]  # for shared caches
    preflight = requests.options(url, headers={"Origin": ALLOWED, "Access-Control-Request-Method": "GET"}, timeout=10)
    assert preflight.status_code == 204 and preflight.headers["Access-Control-Allow-Origin"] == ALLOWED
    refused = requests.options(url, headers={"Origin": "https://elsewhere.example",
                                             "Access-Control-Request-Method": "GET"}, timeout=10)
    assert refused.status_code == 403 and "public_allowed_origins" in refused.json()["error"]["message"]


def test_any_origin_only_when_the_setting_says_so(tmp_path):
    settings = public_settings(tmp_path, public_allowed_origins=("*",))
    write_store(settings.public_db, [make_testimonial(1)])
    with AppServer(create_app(settings)) as server:
        answer = requests.get(server.url("/v1/summary"), headers={"Origin": "https://any.example"}, timeout=10)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("query, parameter, words", [
    ("min_rating=abc", "min_rating", "number from 0 to 5"),
    ("min_rating=nan", "min_rating", "number from 0 to 5"),
    ("min_rating=6", "min_rating", "number from 0 to 5"),
    ("limit=0", "limit", "from 1 to 100"),
    ("limit=101", "limit", "from 1 to 100"),
    ("limit=1.5", "limit", "whole number"),
    ("cursor=not-a-cursor", "cursor", "next_cursor"),
    ("cursor=WzEsMl0", "cursor", "next_cursor"),  # valid base64 and JSON, but not ours
    ("tag=a&tag=b", "tag", "more than once"),
    ("colour=red", "colour", "unknown parameter"),
    ("location=" + "x" * 201, "location", "longer than 200"),
])
def test_bad_parameters_get_a_json_error_naming_them(shared, query, parameter, words):
    server, _, _ = shared
    answer = requests.get(server.url("/v1/testimonials?" + query), timeout=10)
    assert answer.status_code == 400 and answer.headers["Content-Type"] == "application/json"
    error = answer.json()["error"]
    assert error["status"] == 400 and error["parameter"] == parameter and words in error["message"]


def test_unknown_paths_and_methods_answer_json(shared):
    server, _, _ = shared
    missing = requests.get(server.url("/v2/anything"), timeout=10)
    assert missing.status_code == 404 and "no such page" in missing.json()["error"]["message"]
    wrong = requests.post(server.url("/v1/testimonials"), timeout=10)
    assert wrong.status_code == 405 and "POST" in wrong.json()["error"]["message"]


def test_before_the_first_publish_the_api_says_so(tmp_path):
    settings = public_settings(tmp_path)
    with AppServer(create_app(settings)) as server:
        answer = requests.get(server.url("/v1/testimonials"), timeout=10)
        assert answer.status_code == 503 and "plaudit publish" in answer.json()["error"]["message"]
        write_store(settings.public_db, [make_testimonial(1)])
        assert requests.get(server.url("/v1/testimonials"), timeout=10).status_code == 200


def test_openapi_document_describes_both_endpoints(shared):
    server, _, _ = shared
    document = get(server, "/openapi.json").json()
    assert set(document["paths"]) == {"/v1/testimonials", "/v1/summary"}
    names = {p["name"] for p in document["paths"]["/v1/testimonials"]["get"]["parameters"]}
    assert names == {"location", "provider", "tag", "min_rating", "limit", "cursor"}


def test_widget_is_served_in_api_mode_and_the_readme_states_its_size(shared):
    server, _, _ = shared
    answer = get(server, "/widget.js")
    assert answer.headers["Content-Type"].startswith("text/javascript") and 'var MODE = "api"' in answer.text
    assert "innerHTML" not in answer.text and "schema.org" not in answer.text.lower()
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    size, zipped = len(ASSET.read_bytes()), len(gzip.compress(ASSET.read_bytes(), 9))
    assert f"about {round(size / 1024)} KB, under {zipped // 1024 + 1} KB gzipped" in readme


def test_serve_public_listens_on_loopback_unless_told_and_then_warns_about_https(capsys):
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.5"):
        assert check_bind(host, allow_remote=False, err=io.StringIO(), app="public")
    assert main(["serve", "public", "--host", "0.0.0.0"]) == 2
    assert "refusing to listen on 0.0.0.0" in capsys.readouterr().err
    assert not check_bind("192.0.2.10", allow_remote=False, err=io.StringIO(), app="public")
    err = io.StringIO()
    assert check_bind("0.0.0.0", allow_remote=True, err=err, app="public")
    assert "plain HTTP" in err.getvalue() and "HTTPS" in err.getvalue()


def test_the_embed_page_takes_the_widget_options_and_refuses_bad_ones(shared):
    server, _, _ = shared
    page = get(server, "/embed", layout="carousel", count="4", location="tampa", tag='"><script>')
    assert page.status_code == 200 and 'data-layout="carousel"' in page.text and 'data-count="4"' in page.text
    assert 'data-tag="&#34;&gt;&lt;script&gt;"' in page.text and "<script>" not in page.text.replace(
        '<script src="/widget.js" defer></script>', "")
    assert "frame-ancestors 'self' https://www.example-clinic.com" in page.headers["Content-Security-Policy"]
    for bad in ({"layout": "slideshow"}, {"count": "0"}, {"count": "x"}, {"colour": "red"}):
        answer = get(server, "/embed", **bad)
        assert answer.status_code == 400 and answer.headers["Content-Type"].startswith("text/plain")


def test_the_provider_chosen_at_approval_is_published_and_filtered_on(local_server, tmp_path, capsys):
    settings = demo_settings(local_server, tmp_path)
    run_nightly(settings)
    with open_store(settings) as db:
        waiting = [q for q in quote_store.quotes_with_reviews(db, ("suggested",))
                   if q["source"] == "review-form" and q["consent_given"] == 1]
    config = ["--config", str(settings.config_path)]
    assert main(config + ["approve", str(waiting[0]["id"]), "--by", "amy", "--provider", "Dr. Alvarez"]) == 0
    assert main(config + ["approve", str(waiting[1]["id"]), "--by", "amy"]) == 0
    capsys.readouterr()
    assert main(config + ["approve", str(waiting[2]["id"]), "--by", "amy", "--provider", "Dr. Nobody"]) == 2
    assert "unknown provider 'Dr. Nobody'; configured providers: alvarez (Dr. Alvarez)" in capsys.readouterr().err
    published = read_public_store(settings.public_db)["testimonials"]
    assert sorted((t["provider"] or "", t["provider_name"] or "") for t in published) == [
        ("", ""), ("alvarez", "Dr. Alvarez")]
    with AppServer(create_app(settings)) as server:
        mine = get(server, "/v1/testimonials", provider="alvarez").json()["testimonials"]
        nobody = get(server, "/v1/testimonials", provider="nobody").json()["testimonials"]
    assert [t["provider_name"] for t in mine] == ["Dr. Alvarez"] and nobody == []


def test_a_store_from_before_providers_and_location_names_still_answers_in_shape(tmp_path):
    settings = public_settings(tmp_path)
    write_store(settings.public_db, [make_testimonial(1)])
    with sqlite3.connect(settings.public_db) as conn:  # as an older Plaudit wrote it
        conn.execute("ALTER TABLE testimonials DROP COLUMN provider")
        conn.execute("ALTER TABLE summary DROP COLUMN location_name")
    with AppServer(create_app(settings)) as server:
        [item] = get(server, "/v1/testimonials").json()["testimonials"]
        sources = get(server, "/v1/summary").json()["sources"]
    assert item["provider"] is None and all(source["location_name"] is None for source in sources)


def test_a_damaged_public_store_is_a_503_that_says_what_to_do(tmp_path):
    settings = public_settings(tmp_path)
    settings.public_db.write_bytes(b"this is not a database" * 100)
    with AppServer(create_app(settings)) as server:
        answer = requests.get(server.url("/v1/testimonials"), timeout=10)
        assert answer.status_code == 503 and "run `plaudit publish`" in answer.json()["error"]["message"]
        write_store(settings.public_db, [make_testimonial(1)])  # the next publish mends it
        assert requests.get(server.url("/v1/testimonials"), timeout=10).status_code == 200
