"""Access control of the staff app over a real server: every state-changing route, enumerated from the app's
own router (so a new route cannot escape), refuses a missing session, a wrong role, a missing or wrong CSRF
token and a foreign Origin, and changes nothing when it refuses. Every page sends the security headers."""

from __future__ import annotations

import re

import pytest
import requests
from starlette.routing import Mount, Route

from pipeline.accounts.roles import PERMISSIONS, ROLES, allowed
from pipeline.steps import open_store
from tests.staffapp import ROLES as NAMES
from tests.staffapp import add_staff, demo_store, running_app, signed_in
from web.staff.headers import HEADERS

FOREIGN = "http://evil.example"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    settings = demo_store(tmp_path_factory.mktemp("access"))
    add_staff(settings)
    with open_store(settings) as db:
        ids = {"quote_id": db.execute("SELECT min(id) FROM quotes").fetchone()[0],
               "hold_id": db.execute("SELECT min(id) FROM holds").fetchone()[0] or 1,
               "review_id": db.execute("SELECT min(id) FROM reviews").fetchone()[0]}
    with running_app(settings) as (base, app):
        yield settings, base, app, ids


def routes(app) -> list[Route]:
    return [r for r in app.routes if isinstance(r, Route)]


def path_of(route: Route, ids: dict) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(ids[m.group(1)]), route.path)


def audit_count(settings) -> int:
    with open_store(settings) as db:
        return db["audit_log"].count


def state_changing(app) -> list[Route]:
    found = [r for r in routes(app) if r.methods - {"GET", "HEAD"}]
    assert found, "the router lists no state-changing route"
    return found


def test_every_route_declares_its_access_rule(served):
    _, _, app, _ = served
    for route in routes(app):
        assert hasattr(route, "permission"), f"{route.path} was not made with guard.page/action"
        assert route.permission == "login" or route.permission in PERMISSIONS, route.path
    assert all(isinstance(r, (Route, Mount)) for r in app.routes)


def test_state_changes_refuse_without_a_session(served):
    settings, base, app, ids = served
    before = audit_count(settings)
    for route in state_changing(app):
        response = requests.post(base + path_of(route, ids), data={"csrf": "x", "edits": "0"},
                                 headers={"Origin": base}, allow_redirects=False)
        assert response.status_code == 403, route.path
    assert audit_count(settings) == before


@pytest.mark.parametrize("case", ["foreign origin", "no origin", "missing csrf", "wrong csrf"])
def test_state_changes_refuse_forged_requests(served, case):
    settings, base, app, ids = served
    session, csrf = signed_in(base, NAMES["admin"])
    login_csrf = re.search(r'name="csrf" value="([^"]+)"', session.get(base + "/login?x=1").text)
    before = audit_count(settings)
    for route in state_changing(app):
        token = csrf if not route.public else (login_csrf.group(1) if login_csrf else "")
        data = {"csrf": token, "edits": "0", "name": NAMES["viewer"], "reference": "r", "code": "000000"}
        headers = {"Origin": base}
        if case == "foreign origin":
            headers = {"Origin": FOREIGN}
        elif case == "no origin":
            headers = {"Referer": FOREIGN + "/page"}
        elif case == "missing csrf":
            data.pop("csrf")
        else:
            data["csrf"] = "not-the-token"
        response = session.post(base + path_of(route, ids), data=data, headers=headers, allow_redirects=False)
        assert response.status_code == 403, (case, route.path, response.status_code)
    assert audit_count(settings) == before


def test_state_changes_refuse_a_role_without_the_permission(served):
    settings, base, app, ids = served
    checked = 0
    for role in ROLES:
        session, csrf = signed_in(base, NAMES[role])
        for route in state_changing(app):
            if route.public or allowed(role, route.permission, settings.staff_admin_decides):
                continue
            before = audit_count(settings)
            response = session.post(base + path_of(route, ids), data={"csrf": csrf, "edits": "0", "name": "vic",
                                                                       "reference": "r"},
                                    headers={"Origin": base}, allow_redirects=False)
            assert response.status_code == 403, (role, route.path)
            assert audit_count(settings) == before
            checked += 1
    assert checked >= 10  # the viewer alone is refused every decision


def test_pages_need_a_session_and_send_the_security_headers(served):
    _, base, app, ids = served
    for route in routes(app):
        if "GET" not in route.methods:
            continue
        response = requests.get(base + path_of(route, ids), allow_redirects=False)
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (route.path, name)
        if not route.public:
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), route.path
    assert "frame-ancestors 'none'" in HEADERS["content-security-policy"]
    assert "unsafe-inline" not in HEADERS["content-security-policy"]


def test_session_cookie_is_httponly_and_strict(served):
    _, base, _, _ = served
    session = requests.Session()
    token = re.search(r'name="csrf" value="([^"]+)"', session.get(base + "/login").text).group(1)
    response = session.post(base + "/login", data={"csrf": token, "name": "amy",
                                                   "password": "correct horse battery staple"},
                            headers={"Origin": base}, allow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie  # plain http here
    before = session.cookies.get("plaudit_staff")
    second = session.post(base + "/login", data={"csrf": token, "name": "amy",
                                                 "password": "correct horse battery staple"},
                          headers={"Origin": base}, allow_redirects=False)
    assert second.status_code == 303 and session.cookies.get("plaudit_staff") != before  # a new id at each login


def test_two_staff_deciding_at_once_one_wins_the_other_is_told_who(served):
    settings, base, _, _ = served
    with open_store(settings) as db:
        quote, review = db.execute("SELECT q.id, q.review_id FROM quotes q JOIN reviews r ON r.id = q.review_id "
                                   "WHERE r.consent_given = 1 AND q.status = 'suggested' ORDER BY q.id").fetchone()
    ann, ann_csrf = signed_in(base, NAMES["approver"])
    amy, amy_csrf = signed_in(base, NAMES["admin"])
    seen = {name: re.search(r'name="edits" value="(\d+)"', s.get(f"{base}/reviews/{review}").text).group(1)
            for name, s in (("ann", ann), ("amy", amy))}
    first = ann.post(f"{base}/quotes/{quote}/approve", data={"csrf": ann_csrf, "edits": seen["ann"]},
                     headers={"Origin": base})
    assert first.status_code == 200 and "approved" in first.text
    second = amy.post(f"{base}/quotes/{quote}/reject", data={"csrf": amy_csrf, "edits": seen["amy"]},
                      headers={"Origin": base})
    assert second.status_code == 409 and "Changed by ann a moment ago" in second.text
    with open_store(settings) as db:
        assert db.execute("SELECT status, decided_by FROM quotes WHERE id = ?", (quote,)).fetchone() == (
            "approved", "ann")


@pytest.mark.parametrize("form", [{"authorization_ref": "s-1", "authorization_expires": "notadate"},
                                  {"authorization_ref": "s-1", "authorization_expires": "2027-02-30"}])
def test_a_bad_expiry_date_is_said_plainly_and_changes_nothing(served, form):
    settings, base, _, _ = served
    with open_store(settings) as db:
        quote, review = db.execute("SELECT q.id, q.review_id FROM quotes q WHERE q.status = 'suggested' "
                                   "ORDER BY q.id DESC").fetchone()
        before = db["authorizations"].count
    ann, csrf = signed_in(base, NAMES["approver"])
    edits = re.search(r'name="edits" value="(\d+)"', ann.get(f"{base}/reviews/{review}").text).group(1)
    refused = ann.post(f"{base}/quotes/{quote}/approve", data={"csrf": csrf, "edits": edits, **form},
                       headers={"Origin": base})
    assert refused.status_code == 422 and "is not a valid date" in refused.text
    with open_store(settings) as db:
        assert db["authorizations"].count == before
        assert db.execute("SELECT status FROM quotes WHERE id = ?", (quote,)).fetchone()[0] == "suggested"


def test_improvement_answers_show_on_the_overview_and_the_review_page_as_text(served):
    settings, base, _, ids = served
    answer = "<b>More parking</b> would help & <script>x()</script>"
    with open_store(settings) as db:
        db.execute("UPDATE reviews SET improvement = ?, improvement_kind = 'suggestion', improvement_compound = 0.1 "
                   "WHERE id = ?", [answer, ids["review_id"]])
    viewer, _ = signed_in(base, NAMES["viewer"])
    for page in ("/", f"/reviews/{ids['review_id']}"):
        html = viewer.get(base + page).text
        assert "&lt;b&gt;More parking&lt;/b&gt; would help &amp; &lt;script&gt;" in html, page
        assert "<script>x()" not in html
