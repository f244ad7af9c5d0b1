"""The hosted review form over a real server: what it shows, what it stores in the inbox, and how it refuses."""

from __future__ import annotations

import html

import pytest
import requests

from pipeline.sources.hosted_form import consent_version
from storage.inbox import read_after
from tests.appserver import AppServer
from tests.publicdata import public_settings
from web.public.app import create_app

GOOD = {"text": "The nurses were wonderful and kind.", "rating": "5", "name": "Patsy R.", "location": "tampa",
        "consent": "yes"}


@pytest.fixture
def form(tmp_path):
    settings = public_settings(tmp_path, review_form_rate_limit=2)
    with AppServer(create_app(settings)) as server:
        yield server, settings


def post(server, data, **headers):
    return requests.post(server.url("/review"), data=data, headers=headers, allow_redirects=False, timeout=10)


def with_version(settings, data):
    return {**data, "consent_version": consent_version(settings.review_consent_text)}


def test_the_form_shows_the_consent_text_in_full_with_its_version(form):
    server, settings = form
    page = requests.get(server.url("/review"), timeout=10)
    assert html.escape(settings.review_consent_text, quote=False) in page.text
    assert f'name="consent_version" value="{consent_version(settings.review_consent_text)}"' in page.text
    assert 'name="website"' in page.text and "<script" not in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]  # no clickjacked consent


def test_an_accepted_review_goes_to_the_inbox_once_and_thanks_honestly(form):
    server, settings = form
    answer = post(server, with_version(settings, GOOD))
    assert answer.status_code == 303 and answer.headers["Location"] == "/review/thanks"
    assert post(server, with_version(settings, GOOD)).status_code == 303  # a double click
    [row] = read_after(settings.inbox_db, 0)
    assert row["source_tool"] == "hosted-form" and row["payload"]["text"] == GOOD["text"]
    assert row["payload"]["consent"] == "yes"
    assert row["payload"]["consent_version"] == consent_version(settings.review_consent_text)
    thanks = requests.get(server.url("/review/thanks"), timeout=10).text
    assert "not posted anywhere automatically" in thanks and "may also not show it" in thanks


def test_validation_errors_show_the_form_again_with_what_was_typed(form):
    server, settings = form
    typed = {"text": '<script>alert("x")</script> hi', "rating": "", "email": "nope", "name": "Patsy"}
    answer = post(server, with_version(settings, typed))
    assert answer.status_code == 400
    assert "Please choose a rating" in answer.text and "does not look like an email" in answer.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; hi</textarea>" in answer.text
    assert 'value="nope"' in answer.text and 'value="Patsy"' in answer.text and "<script>alert" not in answer.text
    assert read_after(settings.inbox_db, 0) == []


def test_changed_consent_wording_asks_again(tmp_path):
    settings = public_settings(tmp_path)
    with AppServer(create_app(settings)) as server:
        answer = post(server, {**GOOD, "consent_version": "form-0000000000"})
    assert answer.status_code == 400 and "changed since the page was opened" in answer.text
    assert 'name="consent" value="yes" aria-describedby="consent-text">' in answer.text  # not ticked again for them


def test_the_honeypot_is_thanked_and_dropped(form):
    server, settings = form
    answer = post(server, with_version(settings, {**GOOD, "website": "https://spam.example"}))
    assert answer.status_code == 303 and read_after(settings.inbox_db, 0) == []


def test_a_client_over_the_limit_gets_a_clear_answer_and_keeps_its_text(form):
    server, settings = form
    for n in range(2):
        assert post(server, with_version(settings, {**GOOD, "text": f"Review number {n}, kind staff."})).status_code == 303
    limited = post(server, with_version(settings, {**GOOD, "text": "A third review, sent too soon."}))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "already sent several reviews" in limited.text and "A third review, sent too soon." in limited.text
    assert len(read_after(settings.inbox_db, 0)) == 2


@pytest.mark.parametrize("change, status, words", [
    ({"headers": {"Origin": "https://elsewhere.example"}}, 403, "only be sent from its own page"),
    ({"text": "x" * 100_000}, 413, "too much text"),
    ({"json": True}, 415, "only accepts what its own page sends"),
])
def test_refusals_say_why(form, change, status, words):
    server, settings = form
    data = with_version(settings, {**GOOD, "text": change.get("text", GOOD["text"])})
    if change.get("json"):
        answer = requests.post(server.url("/review"), json=data, timeout=10)
    else:
        answer = post(server, data, **change.get("headers", {}))
    assert answer.status_code == status and words in answer.text
    assert read_after(settings.inbox_db, 0) == []


def test_same_origin_posts_are_accepted(form):
    server, settings = form
    assert post(server, with_version(settings, GOOD), Origin=server.base).status_code == 303


def test_an_inbox_that_cannot_be_written_keeps_the_text_and_says_so(tmp_path):
    settings = public_settings(tmp_path, inbox_db="inbox-is-a-folder")
    settings.inbox_db.mkdir()
    with AppServer(create_app(settings)) as server:
        answer = post(server, with_version(settings, GOOD))
    assert answer.status_code == 503 and "could not be saved just now" in answer.text
    assert GOOD["text"] in answer.text and answer.headers["Retry-After"] == "300"
