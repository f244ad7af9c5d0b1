"""The staff app in real headless Chromium: sign in with TOTP, filter the queue, open a review, edit an excerpt
by deleting words, approve, find the quote in the public store and the export, revoke, see it gone, sign out;
and the idle timeout signs out. Set PLAUDIT_SCREENSHOTS=1 to refresh the README's screenshots in docs/."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pyotp
import pytest

from pipeline.steps import open_store
from storage.public import read_public_store
from tests.browser import needs_chromium
from tests.staffapp import PASSWORD, add_staff, demo_store, running_app

pytestmark = needs_chromium
DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    settings = demo_store(tmp_path_factory.mktemp("browser"), staff_totp_required=True)
    secrets = add_staff(settings, totp_for=("ann",))
    with running_app(settings) as (base, _):
        yield settings, base, secrets


def screenshot(page, name: str) -> None:
    if os.environ.get("PLAUDIT_SCREENSHOTS"):
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / f"staff-{name}.png"), full_page=True)


def sign_in(page, base: str, name: str, secret: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("6-digit code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(base + "/")


def consented_form_quote(settings) -> tuple[int, str, str]:
    with open_store(settings) as db:
        return db.execute("SELECT q.id, q.review_id, q.suggested_excerpt FROM quotes q JOIN reviews r "
                          "ON r.id = q.review_id WHERE r.source = 'review-form' AND r.consent_given = 1 "
                          "AND q.status = 'suggested' AND length(q.suggested_excerpt) > 40 ORDER BY q.id").fetchone()


def exported(settings) -> list[str]:
    return [t["excerpt"] for t in json.loads((settings.export_dir / "testimonials.json").read_text())["testimonials"]]


def test_approve_an_edited_excerpt_then_revoke_it(served, browser):
    settings, base, secrets = served
    quote_id, review_id, suggested = consented_form_quote(settings)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, "ann", secrets["ann"])
    assert page.get_by_role("heading", name="What needs attention").is_visible()
    screenshot(page, "overview")

    page.get_by_role("link", name="Queue", exact=True).click()
    page.get_by_label("Source").select_option("review-form")
    page.get_by_role("button", name="Filter", exact=True).click()
    sources = page.locator(".quote-row .meta").all_inner_texts()
    assert sources and all(s.startswith("Patient feedback form") for s in sources)
    assert page.get_by_role("heading", name="Keyboard shortcuts").is_visible()
    screenshot(page, "queue")

    page.locator(f"#q{quote_id} a.open").click()
    page.wait_for_url(f"{base}/reviews/{review_id}")
    assert page.get_by_role("heading", name="What the patient wrote").is_visible()
    page.get_by_role("link", name="Edit the excerpt and approve").click()

    words = suggested.split()
    edited = " ".join(words[:1] + words[2:])  # strike the second word
    page.get_by_label("Excerpt: delete words").fill(edited)
    page.get_by_role("button", name="Preview the excerpt").click()
    expected = " ".join(words[:1] + ["…"] + words[2:])
    assert page.get_by_label("Excerpt: delete words").input_value() == expected
    assert page.locator("#original-text del, #original-text .struck").count() >= 1  # struck text, with or without JS
    screenshot(page, "editor")
    page.get_by_label("Provider the quote is about").fill("Dr. Alvarez")
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url(f"{base}/reviews/{review_id}")
    assert "approved" in page.locator(".flash").inner_text() and "rebuilt" in page.locator(".flash").inner_text()
    public = {t["excerpt"]: t for t in read_public_store(settings.public_db)["testimonials"]}
    assert public[expected]["provider"] == "Dr. Alvarez"
    assert expected in exported(settings)

    page.get_by_role("button", name="Revoke the patient's authorization").click()
    page.wait_for_url(f"{base}/reviews/{review_id}")
    assert "revoked" in page.locator(".flash").inner_text()
    assert expected not in [t["excerpt"] for t in read_public_store(settings.public_db)["testimonials"]]
    assert expected not in exported(settings)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/login?ended=logout")
    page.goto(base + "/queue")
    assert page.url.startswith(base + "/login")
    page.close()


def test_queue_keyboard_shortcuts_move_and_reject(served, browser):
    settings, base, secrets = served
    page = browser.new_page()
    sign_in(page, base, "ann", secrets["ann"])
    page.goto(base + "/queue")
    first = page.locator(".quote-row").first.get_attribute("data-quote")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.locator(".quote-row.current").get_attribute("data-quote") == first
    page.keyboard.press("r")
    page.wait_for_url(base + "/queue")
    assert f"Quote {first}: rejected" in page.locator(".flash").inner_text()
    with open_store(settings) as db:
        assert db.execute("SELECT status, decided_by FROM quotes WHERE id = ?", (first,)).fetchone() == (
            "rejected", "ann")
    page.close()


def test_mandatory_second_factor_is_enrolled_with_the_apps_own_qr_code(served, browser):
    _, base, _ = served
    page = browser.new_page()
    page.goto(base + "/login")
    page.get_by_label("User name").fill("vic")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/account/totp")
    page.goto(base + "/queue")  # nothing else until enrolled
    assert page.url == base + "/account/totp"
    assert page.locator("img[src='/account/totp/qr.svg']").evaluate("img => img.naturalWidth") > 0
    secret = page.locator(".secret").inner_text()
    page.get_by_label("The 6-digit code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    page.wait_for_url(base + "/")
    assert "second factor is on" in page.locator(".flash").inner_text()
    page.close()


def test_idle_timeout_signs_out(tmp_path, browser):
    settings = demo_store(tmp_path / "idle", staff_idle_minutes=0.02)  # 1.2 seconds
    add_staff(settings)
    with running_app(settings) as (base, _):
        page = browser.new_page()
        page.goto(base + "/login")
        page.get_by_label("User name").fill("amy")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base + "/")
        time.sleep(1.5)
        page.get_by_role("link", name="Queue", exact=True).click()
        page.wait_for_url(base + "/login?ended=idle")
        assert "without activity" in page.locator(".notice").inner_text()
        page.close()
