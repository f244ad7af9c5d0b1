"""Hostile review texts on every page of the staff app, in real Chromium: each renders as inert text.

The test fails if any injected script runs (a marker variable, a dialog, a CSP violation report), if any
request leaves for another origin, or if the page holds any element or attribute the text tried to inject.
"""

from __future__ import annotations

import pytest

from pipeline.steps import open_store
from tests.browser import needs_chromium
from tests.hostile import ONE_MB, hostile_store
from tests.staffapp import PASSWORD, add_staff, running_app

pytestmark = needs_chromium
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
INJECTED = ("script:not([src='/static/staff.js']), iframe, object, embed, frame, meta[http-equiv], base, "
            "link:not([href='/static/staff.css']), form[action^='http'], a[href^='javascript:' i], [href^='data:' i], "
            "[src^='data:' i], img:not([src='/account/totp/qr.svg']), style, [style]")
ON_ATTRIBUTES = "Array.from(document.querySelectorAll('*')).flatMap(e => e.getAttributeNames().filter(n => n.startsWith('on')))"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    settings = hostile_store(tmp_path_factory.mktemp("hostile"))
    add_staff(settings)
    with open_store(settings) as db:
        reviews = [r[0] for r in db.execute("SELECT id FROM reviews ORDER BY id")]
        quotes = [r[0] for r in db.execute("SELECT id FROM quotes ORDER BY id")]
    with running_app(settings) as (base, _):
        yield base, reviews, quotes, settings


@pytest.fixture(scope="module")
def page(served, browser):
    base = served[0]
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(WATCH)
    page.dialogs, page.foreign = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(base + "/") else page.foreign.append(r.url))
    page.goto(base + "/login")
    page.get_by_label("User name").fill("amy")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")
    yield page
    context.close()


def assert_inert(page, where: str) -> None:
    assert page.evaluate("window.__xss") is None, where
    assert page.evaluate("window.__violations") == [], where
    assert page.dialogs == [] and page.foreign == [], where
    assert page.locator(INJECTED).count() == 0, (where, page.locator(INJECTED).evaluate_all(
        "els => els.map(e => e.outerHTML.slice(0, 120))"))
    assert page.evaluate(ON_ATTRIBUTES) == [], where


def test_every_page_renders_hostile_text_inert(served, page):
    base, reviews, quotes, _ = served
    for url in [base + "/", base + "/queue", base + "/queue?page=2", base + "/audit", base + "/users"] + [
            f"{base}/quotes/{q}/edit" for q in quotes]:
        page.goto(url)
        assert_inert(page, url)


def test_review_pages_show_hostile_text_as_the_words_it_is(served, page):
    base, reviews, _, settings = served
    with open_store(settings) as db:
        texts = dict(db.execute("SELECT id, text FROM reviews"))
    assert sum("<script" in t for t in texts.values()) >= 2 and ONE_MB in texts.values()  # stored as it came
    for review in reviews:
        page.goto(f"{base}/reviews/{review}")
        assert_inert(page, review)
        shown = page.locator(".original").first.evaluate(
            "el => { const c = el.cloneNode(true); c.querySelectorAll('sup.flag-ref').forEach(s => s.remove());"
            " return c.textContent; }")
        assert shown == texts[review], review
        assert page.locator("body").evaluate("b => b.scrollWidth <= window.innerWidth + 1"), review  # words wrap
        hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert all(h.startswith(("/", "https://", "http://", "#")) for h in hrefs), hrefs
