"""axe-core (installed from the npm registry by `make test` into tests/js) on every page of the staff app:
no serious or critical accessibility violation. The script is read from the local file and evaluated in the
page by the test's own browser; the page never loads it from anywhere."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest

from pipeline.steps import open_store
from tests.browser import needs_chromium
from tests.staffapp import PASSWORD, add_staff, demo_store, running_app

AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [needs_chromium, pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: "
                                                  "`make test` runs `npm ci --prefix tests/js`")]
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '));
}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    settings = demo_store(tmp_path_factory.mktemp("axe"))
    secrets = add_staff(settings, totp_for=("ann",))
    with open_store(settings) as db:
        review = db.execute("SELECT review_id, id FROM quotes ORDER BY id").fetchone()
        held = db.execute("SELECT review_id FROM holds ORDER BY id").fetchone()
    with running_app(settings) as (base, _):
        yield base, secrets, review, held


def violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN)


def test_every_page_has_no_serious_accessibility_violation(served, browser):
    base, secrets, (review_id, quote_id), held = served
    page = browser.new_page()
    found = {}
    page.goto(base + "/login")
    page.evaluate("document.querySelector('label[for=name]').remove()")
    assert any(v.startswith("label") for v in violations(page))  # axe really checks: an unlabelled field is found
    page.goto(base + "/login")
    found["login"] = violations(page)
    page.get_by_label("User name").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    found["totp"] = violations(page)
    page.get_by_label("6-digit code").fill(pyotp.TOTP(secrets["ann"]).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(base + "/")
    for name, path in [("overview", "/"), ("queue", "/queue"), ("review", f"/reviews/{review_id}"),
                       ("held review", f"/reviews/{held[0]}" if held else "/"), ("editor", f"/quotes/{quote_id}/edit"),
                       ("audit", "/audit"), ("enrol", "/account/totp"), ("not found", "/no-such-page")]:
        page.goto(base + path)
        found[name] = violations(page)
    page.goto(base + f"/quotes/{quote_id}/edit")
    page.get_by_label("Excerpt: delete words").fill("Words the patient never wrote.")
    page.get_by_role("button", name="Preview the excerpt").click()
    found["editor with a problem"] = violations(page)
    page.close()
    page = browser.new_page()
    page.goto(base + "/login")
    page.get_by_label("User name").fill("amy")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + "/users")
    found["users"] = violations(page)
    page.close()
    assert {name: v for name, v in found.items() if v} == {}
