"""The HTML fragment in a real headless Chromium: hostile review text renders as text and runs nothing.

Needs Debian's chromium (`make test` installs it when it can); skipped with a reason where it is absent.
"""

from __future__ import annotations

import pytest

from pipeline.publish.export import render_fragment
from tests.browser import needs_chromium

pytestmark = needs_chromium
HOSTILE = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    '"><svg onload="window.__xss=1">',
    "<iframe srcdoc='<script>parent.__xss=1</script>'></iframe>",
    "</figcaption></figure><a href=javascript:window.__xss=1>click</a>",
    "&lt;b&gt;already escaped&lt;/b&gt; & 😊 ünïcödé",
]
META = {"publish_id": "p", "published_at": "2026-11-25T00:00:00+00:00", "disclosure_label": "Selected testimonials",
        "practice_name": "<b>Clinic</b>", "total_reviews": 9, "rated_reviews": 9, "average_rating": 4.1}


def hostile_testimonials() -> list[dict]:
    return [{"excerpt": text, "attribution": f"<i>Patsy</i> {i}", "source_label": "<u>Dir</u>",
             "disclosure": "<b>Staff</b>" if i == 0 else None} for i, text in enumerate(HOSTILE)]


@pytest.fixture(scope="module")
def page(browser):
    return browser.new_page()


def test_hostile_texts_render_as_text_and_run_nothing(page, local_server):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    summary = [{"source_label": "Directory", "source_url": "javascript:window.__xss=1"},
               {"source_label": "Google", "source_url": "https://maps.example.com/clinic"}]
    body = f"<!doctype html><html><body>{render_fragment(hostile_testimonials(), summary, META)}</body></html>"
    local_server.route("/page", body=body.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
    page.goto(local_server.url("/page"))
    page.wait_for_timeout(300)  # give any injected handler the chance to fire
    assert page.evaluate("window.__xss") is None and dialogs == []
    quotes = page.locator("blockquote p").all_inner_texts()
    assert quotes == HOSTILE
    assert page.locator("img, script, svg, iframe, figure a").count() == 0
    assert page.locator(".plaudit-label").inner_text() == "Selected testimonials"
    assert page.locator(".plaudit-all-reviews a").evaluate_all("links => links.map(a => a.href)") == [
        "https://maps.example.com/clinic"]
