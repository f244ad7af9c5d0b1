"""The widget, the iframe page, the static export and the review form in real headless Chromium.

Host pages live on another 127.0.0.1 origin than the public app; every request the browser makes is recorded
and the tests fail if the widget asks any origin but the app's (or the export folder's). Needs Debian's
chromium (`make test` installs it when it can); skipped with a reason where it is absent.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.publish.export import write_export
from pipeline.runs import run_nightly
from pipeline.steps import open_store
from plaudit.demo import approve_some
from plaudit.staff import print_queue
from storage import quotes as quote_store
from storage.inbox import read_after
from storage.public import read_public_store
from tests.appserver import AppServer
from tests.browser import needs_chromium
from tests.localserver import LocalServer
from tests.publicdata import HOSTILE, make_testimonial, public_settings, write_store
from tests.test_pipeline_e2e import demo_settings
from web.public.app import create_app

pytestmark = needs_chromium
ROOT = Path(__file__).resolve().parents[1]
READY = ("() => [...document.querySelectorAll('[data-plaudit-testimonials]')]"
         ".every(e => ['ready', 'failed'].includes(e.dataset.plauditState))")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def host_page(script_src: str, attributes: str) -> bytes:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clinic</title></head><body>'
            f'<h1>Our clinic</h1><div data-plaudit-testimonials {attributes}></div>'
            f'<script src="{script_src}" defer></script></body></html>').encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A host site on one 127.0.0.1 origin and the public app, allowing that origin, on another."""
    folder = tmp_path_factory.mktemp("public")
    host = LocalServer().start()
    settings = public_settings(folder, public_allowed_origins=(host.base,))
    rows = [make_testimonial(i) for i in range(1, 30)]
    rows += [make_testimonial(900 + i, excerpt=text, location="tampa", published_at="2026-12-01T10:00:00+00:00")
             for i, text in enumerate(HOSTILE)]
    write_store(settings.public_db, rows)
    with AppServer(create_app(settings)) as app:
        yield host, app, settings
    host.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.requested, page.dialogs = [], []
    page.on("request", lambda request: page.requested.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def open_host(page, host, app, attributes: str, path: str = "/host") -> None:
    host.route(path, body=host_page(app.url("/widget.js"), attributes),
               headers={"Content-Type": "text/html; charset=utf-8"})
    page.goto(host.url(path))
    page.wait_for_function(READY)


def shadow(page, index: int = 0):
    return page.locator("[data-plaudit-testimonials]").nth(index)


def test_the_widget_on_another_origin_shows_quotes_label_and_summary_and_asks_only_the_app(page, site):
    host, app, settings = site
    open_host(page, host, app, 'data-count="8" data-location="tampa"')
    widget = shadow(page)
    assert widget.get_attribute("data-plaudit-state") == "ready"
    assert widget.locator(".label").inner_text() == "Selected testimonials"
    assert "not a representative sample" in widget.locator(".note").inner_text()
    shown = widget.locator("blockquote p").all_inner_texts()
    api = [t["excerpt"] for t in read_public_store(settings.public_db)["testimonials"] if t["location"] == "tampa"]
    assert shown == api[:8] and set(HOSTILE) <= set(shown)  # the hostile ones are newest: shown, as text
    summary = widget.locator(".summary").inner_text()
    assert "We collected 240 reviews" in summary and "4.1 out of 5 from 187 reviews" in summary
    assert "Orlando Listing" not in summary  # a tampa widget lists tampa's and practice-wide sources
    links = widget.locator(".summary a").evaluate_all("links => links.map(a => [a.href, a.rel])")
    assert links == [["https://directory.example.com/sunrise", "noopener noreferrer nofollow"]]
    assert {origin(url) for url in page.requested} <= {host.base, app.base}, page.requested
    assert any(url.startswith(app.url("/v1/testimonials")) for url in page.requested)


def test_hostile_review_texts_render_as_text_and_run_nothing(page, site):
    host, app, _ = site
    open_host(page, host, app, 'data-count="20" data-layout="grid"')
    page.wait_for_timeout(300)  # give any injected handler the chance to fire
    assert page.evaluate("window.__xss") is None and page.dialogs == []
    widget = shadow(page)
    shown = widget.locator("blockquote p").all_inner_texts()
    assert set(HOSTILE) <= set(shown)
    count = ("root => root.querySelectorAll('img, script, svg, iframe, object, [onerror], [onload], "
             "a[href^=\"javascript\"]').length")
    assert widget.evaluate(f"host => ({count})(host.shadowRoot)") == 0
    # PLAT-05: no self-serving review markup, in the page or in the widget
    markup = "root => root.querySelectorAll('[itemscope], [itemtype], script[type=\"application/ld+json\"]').length"
    assert page.evaluate(f"({markup})(document)") == 0
    assert widget.evaluate(f"host => ({markup})(host.shadowRoot)") == 0


def test_an_origin_not_in_the_setting_gets_nothing(page, site):
    _, app, _ = site
    stranger = LocalServer().start()
    try:
        open_host(page, stranger, app, 'data-count="3"')
        assert shadow(page).get_attribute("data-plaudit-state") == "failed"
        assert shadow(page).evaluate("host => host.shadowRoot") is None
    finally:
        stranger.stop()


def test_the_carousel_never_moves_by_itself_and_works_by_keyboard(page, site):
    host, app, _ = site
    open_host(page, host, app, 'data-count="4" data-layout="carousel"')
    widget = shadow(page)
    status = widget.locator(".status")
    assert status.inner_text() == "Testimonial 1 of 4" and status.get_attribute("aria-live") == "polite"
    page.wait_for_timeout(1500)
    assert status.inner_text() == "Testimonial 1 of 4"
    assert widget.locator("li.quote:visible").count() == 1
    widget.locator("ul.quotes").focus()
    page.keyboard.press("ArrowRight")
    assert status.inner_text() == "Testimonial 2 of 4"
    page.keyboard.press("Tab")  # to Previous
    page.keyboard.press("Tab")  # to Next
    page.keyboard.press("Enter")
    assert status.inner_text() == "Testimonial 3 of 4"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert status.inner_text() == "Testimonial 2 of 4"


CONTRAST = """root => {
  const channel = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = rgb => { const [r, g, b] = rgb.match(/[\\d.]+/g).map(Number);
                             return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b); };
  const background = el => {
    for (let node = el; node; node = node.parentElement || (node.getRootNode() || {}).host) {
      const color = getComputedStyle(node).backgroundColor;
      if (color && !color.startsWith("rgba(0, 0, 0, 0)") && color !== "transparent") { return color; }
    }
    return "rgb(255, 255, 255)";
  };
  return [...root.querySelectorAll(".label, .note, blockquote p, figcaption .who, .stars, .summary a, .status, button")]
    .map(el => { const a = luminance(getComputedStyle(el).color), b = luminance(background(el));
                 return [el.className || el.tagName, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; });
}"""


def test_every_text_of_the_widget_has_readable_contrast(page, site):
    host, app, _ = site
    open_host(page, host, app, 'data-count="3" data-layout="carousel"')
    ratios = shadow(page).evaluate(f"host => ({CONTRAST})(host.shadowRoot)")
    assert len(ratios) >= 8 and all(ratio >= 4.5 for _, ratio in ratios), ratios  # WCAG AA for normal text


def test_the_iframe_page_shows_the_widget_under_its_own_strict_policy(page, site):
    host, app, _ = site
    frame_html = (f'<!doctype html><title>iframe</title><iframe src="{app.url("/embed?count=3&layout=grid")}" '
                  f'title="Selected testimonials" style="width:900px;height:700px;border:0"></iframe>').encode()
    host.route("/framed", body=frame_html, headers={"Content-Type": "text/html; charset=utf-8"})
    page.goto(host.url("/framed"))
    frame = page.frame_locator("iframe")
    widget = frame.locator("[data-plaudit-testimonials]")
    widget.locator(".label").wait_for()
    assert widget.locator("blockquote").count() == 3
    border = widget.locator("figure").first.evaluate("f => getComputedStyle(f).borderTopStyle")
    assert border == "solid"  # the widget's styles apply under the page's CSP (style-src 'self')
    assert {origin(url) for url in page.requested} <= {host.base, app.base}


def serve_folder(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def test_the_static_export_renders_the_same_with_no_app_running(page, site, tmp_path):
    host, app, settings = site
    store = read_public_store(settings.public_db)
    write_export(tmp_path / "export", store["testimonials"], store["summary"], store["meta"])
    attributes = 'data-count="6" data-location="tampa" data-tag="staff" data-layout="list"'
    open_host(page, host, app, attributes, "/same")
    from_app = shadow(page).evaluate("host => host.shadowRoot.textContent")
    (tmp_path / "export" / "host.html").write_bytes(host_page("widget.js", attributes))
    server, base = serve_folder(tmp_path / "export")
    try:
        page.requested.clear()
        page.goto(base + "/host.html")
        page.wait_for_function(READY)
        assert shadow(page).evaluate("host => host.shadowRoot.textContent") == from_app
        assert {origin(url) for url in page.requested} == {base}, page.requested  # the app is never asked
        page.goto(base + "/example.html")
        page.wait_for_function(READY)
        assert page.locator("[data-plaudit-state=ready]").count() == 3
    finally:
        server.shutdown()
        server.server_close()
    # FTC-01: without its disclosure label the widget shows no quote at all, and says why in the console
    unlabelled = tmp_path / "unlabelled"
    shutil.copytree(tmp_path / "export", unlabelled)
    published = json.loads((unlabelled / "testimonials.json").read_text())
    (unlabelled / "testimonials.json").write_text(json.dumps({**published, "label": "  "}))
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    server, base = serve_folder(unlabelled)
    try:
        page.goto(base + "/host.html")
        page.wait_for_function(READY)
        assert shadow(page).get_attribute("data-plaudit-state") == "failed"
        assert shadow(page).evaluate("host => host.shadowRoot") is None
        assert any("no disclosure label" in text for text in errors), errors
    finally:
        server.shutdown()
        server.server_close()
    assert len(from_app) > 100 and "Selected testimonials" in from_app


def test_review_form_submission_reaches_the_staff_queue_after_a_run(page, local_server, tmp_path, capsys):
    settings = demo_settings(local_server, tmp_path, lambda text: text.replace(
        '[plaudit]\n', '[plaudit]\nreview_form_rate_limit = 1\n', 1))
    review = "The infusion nurses were wonderful, kind and patient, and the front desk was friendly."
    with AppServer(create_app(settings)) as app:
        page.goto(app.url("/review"))
        page.fill("#text", review)
        page.fill("#email", "not an email")
        page.click("button[type=submit]")
        page.wait_for_selector("#errors")
        assert "Please choose a rating" in page.inner_text("#errors") and "email" in page.inner_text("#errors")
        assert page.input_value("#text") == review and page.input_value("#email") == "not an email"
        page.fill("#email", "")
        page.check("input[name=rating][value='5']")
        page.check("input[name=consent]")
        page.fill("#name", "Rosa Diaz")
        page.click("button[type=submit]")
        page.wait_for_url(app.url("/review/thanks"))
        assert "not posted anywhere automatically" in page.content()

        page.goto(app.url("/review"))  # a second review from the same client: over this test's limit of 1
        page.fill("#text", "Another visit, just as good.")
        page.check("input[name=rating][value='4']")
        page.click("button[type=submit]")
        assert "already sent several reviews" in page.inner_text("#rate-limited")
        assert page.input_value("#text") == "Another visit, just as good."

    report = run_nightly(settings)
    assert report["sources"]["hosted-form"]["new"] == 1
    with open_store(settings) as db:
        waiting = [q for q in quote_store.quotes_with_reviews(db, ("suggested",)) if q["source"] == "hosted-form"]
    assert len(waiting) == 1 and waiting[0]["consent_given"] == 1 and waiting[0]["author"] == "Rosa Diaz"
    capsys.readouterr()
    print_queue(settings, "suggested", 100, sys.stdout)
    assert "hosted-form" in capsys.readouterr().out


def test_the_review_form_works_without_javascript(browser, tmp_path):
    settings = public_settings(tmp_path)
    context = browser.new_context(java_script_enabled=False)
    try:
        with AppServer(create_app(settings)) as app:
            page = context.new_page()
            page.goto(app.url("/review"))
            page.fill("#text", "Friendly staff and no waiting at all.")
            page.check("input[name=rating][value='4']")
            page.click("button[type=submit]")
            page.wait_for_url(app.url("/review/thanks"))
    finally:
        context.close()
    [row] = read_after(settings.inbox_db, 0)
    assert row["payload"]["text"] == "Friendly staff and no waiting at all." and row["payload"]["consent"] == "no"


def test_the_sample_page_from_the_app(page, local_server, tmp_path):
    """The README's screenshot: PLAUDIT_UPDATE_SCREENSHOT=1 writes it to docs/widget-sample.png."""
    settings = demo_settings(local_server, tmp_path)
    run_nightly(settings)
    assert approve_some(settings.config_path)
    with AppServer(create_app(settings)) as app:
        page.set_viewport_size({"width": 1000, "height": 900})
        page.goto(app.url("/example.html"))
        page.wait_for_function(READY)
        assert page.locator("[data-plaudit-state=ready]").count() == 3
        link = "host => getComputedStyle(host.shadowRoot.querySelector('.summary a')).color"
        assert shadow(page, 0).evaluate(link) == "rgb(11, 92, 173)"  # the default accent
        assert shadow(page, 2).evaluate(link) == "rgb(122, 31, 92)"  # --plaudit-accent set by the host page
        shot = tmp_path / "widget-sample.png"
        page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    if os.environ.get("PLAUDIT_UPDATE_SCREENSHOT"):
        (ROOT / "docs" / "widget-sample.png").write_bytes(shot.read_bytes())
