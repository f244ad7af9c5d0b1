"""POST /webhooks/{tool} on the public app over a real server: deliveries into the inbox the hosted form
writes, and from there, through the inbox source, into the internal store as reviews with their consent."""

from __future__ import annotations

import time

import pytest
import requests

from pipeline import steps
from pipeline.runs import begin_run
from pipeline.settings import load_settings
from pipeline.webhooks.verify import sign
from storage.inbox import read_after
from tests.appserver import AppServer
from tests.test_webhooks import FIXTURES, SECRET, TYPEFORM_SECRET, body, jotform, typeform_headers
from web.public.app import create_app

SOURCES = """
[[sources]]
name = "typeform-hook"
kind = "inbox"
policy = "publish"
consent_version = "typeform-2026"

[[sources]]
name = "gravity-hook"
kind = "inbox"
consent_version = "gf-rev-2"
columns = { text = "3", rating = "5", first_name = "1.3", last_name = "1.6", consent = "4.1", consent_text = "4.2" }
"""


@pytest.fixture
def app(tmp_path):
    config = tmp_path / "plaudit.toml"
    config.write_text('[plaudit]\ndata_dir = "."\n', encoding="utf-8")
    settings = load_settings(config, env={"PLAUDIT_WEBHOOK_SECRET": SECRET,
                                          "PLAUDIT_TYPEFORM_WEBHOOK_SECRET": TYPEFORM_SECRET},
                             webhook_max_bytes=4096)
    with AppServer(create_app(settings)) as server:
        yield server, settings


def post(server, tool: str, data: bytes, headers: dict, **params) -> requests.Response:
    return requests.post(server.url(f"/webhooks/{tool}"), data=data, headers=headers, params=params, timeout=10)


def test_a_signed_typeform_delivery_is_answered_after_it_is_in_the_inbox(app):
    server, settings = app
    data = body("typeform.json")
    answer = post(server, "typeform", data, typeform_headers(data))
    assert answer.status_code == 200 and answer.json() == {"stored": True, "duplicate": False, "id": 1}
    assert answer.headers["Cache-Control"] == "no-store"
    [row] = read_after(settings.inbox_db, 0)
    assert row["source_tool"] == "typeform" and row["payload"]["Your name"] == "Grace Example"
    again = post(server, "typeform", data, typeform_headers(data))  # Typeform retrying, or a replay
    assert again.json()["duplicate"] is True and len(read_after(settings.inbox_db, 0)) == 1


def test_refusals_over_http_store_nothing(app):
    server, settings = app
    data = body("wpforms.json")
    now = int(time.time())
    assert post(server, "typeform", data, {"Typeform-Signature": "sha256=AAAA"}).status_code == 401
    stale = {"X-Plaudit-Timestamp": str(now - 3600), "X-Plaudit-Signature": sign(data, now - 3600, SECRET)}
    assert post(server, "wpforms", data, stale).status_code == 401
    big = b'{"text": "' + b"x" * 5000 + b'"}'
    assert post(server, "wpforms", big, {"X-Plaudit-Token": SECRET}).status_code == 413
    broken = b"{not json"
    fresh = {"X-Plaudit-Timestamp": str(now), "X-Plaudit-Signature": sign(broken, now, SECRET)}
    answer = post(server, "wpforms", broken, fresh)
    assert answer.status_code == 400 and "not valid JSON" in answer.json()["error"]
    assert post(server, "surveymonkey", data, {}).status_code == 404
    assert requests.get(server.url("/webhooks/wpforms"), timeout=10).status_code == 405
    assert read_after(settings.inbox_db, 0) == []


def test_jotform_with_the_url_token(app):
    server, settings = app
    data, headers = jotform()
    assert post(server, "jotform", data, headers, token="wrong").status_code == 401
    assert post(server, "jotform", data, headers, token=SECRET).status_code == 200
    assert read_after(settings.inbox_db, 0)[0]["payload"]["full name first"] == "Nina"


def test_deliveries_become_reviews_with_their_consent(app, tmp_path):
    server, settings = app
    data = body("typeform.json")
    post(server, "typeform", data, typeform_headers(data))
    gf = body("gravityforms.json")
    now = int(time.time())
    post(server, "gravityforms", gf, {"Content-Type": "application/json", "X-Plaudit-Timestamp": str(now),
                                      "X-Plaudit-Signature": sign(gf, now, SECRET)})
    (tmp_path / "plaudit.toml").write_text('[plaudit]\ndata_dir = "."\n' + SOURCES, encoding="utf-8")
    pipeline_settings = load_settings(tmp_path / "plaudit.toml", env={})
    run_id = begin_run(pipeline_settings, "test")
    for name in ("typeform-hook", "gravity-hook"):
        assert steps.collect_source(pipeline_settings, name, None, run_id)["status"] in ("ok", "partial")
    with steps.open_store(pipeline_settings) as db:
        found = {r["external_id"]: r for r in db["reviews"].rows}
    typeform = found["a3a12ec67a1365927098a606107fac15"]
    assert typeform["text"].startswith("The front desk") and typeform["rating"] == 5.0
    assert (typeform["consent_given"], typeform["author"]) == (1, "Grace Example")
    gravity = found["4821"]
    assert gravity["text"].startswith("Dr. Alvarez") and gravity["author"] == "Patsy Example"
    assert gravity["consent_given"] == 1 and gravity["consent_version"] == "gf-rev-2"
    assert "first name and last initial" in gravity["consent_text"]
    assert FIXTURES.is_dir()
