"""The staff app for tests: a real uvicorn server on 127.0.0.1 in a thread, over a real store, and helpers to
sign in with `requests` (access tests) or in Chromium (browser tests)."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterator

import pyotp
import requests
import uvicorn

from pipeline.accounts.users import add_user
from pipeline.runs import run_nightly
from pipeline.settings import Settings, load_settings
from pipeline.steps import open_store
from plaudit.demo import prepare, serve_demo_site
from storage import users as user_store
from storage.db import utc_now, write_transaction
from web.staff.app import create_app

PASSWORD = "correct horse battery staple"
ROLES = {"viewer": "vic", "approver": "ann", "clinician": "cal", "admin": "amy"}


@contextlib.contextmanager
def running_app(settings: Settings) -> Iterator[tuple[str, object]]:
    """Serve the staff app on a free 127.0.0.1 port; yields (base URL, the Starlette app)."""
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def demo_store(folder, **overrides) -> Settings:
    """The demo's sources collected, scored and suggested into a fresh store under `folder`."""
    with serve_demo_site() as base:
        config = prepare(folder, base)
        settings = load_settings(config, env={}, http_delay_seconds=0.0, http_retries=0, **overrides)
        run_nightly(settings)
    return settings


def add_staff(settings: Settings, totp_for: tuple[str, ...] = ()) -> dict[str, str]:
    """One account per role (password PASSWORD); the named ones get a TOTP secret. Returns name -> secret."""
    secrets = {}
    with open_store(settings) as db:
        for role, name in ROLES.items():
            add_user(db, name, role, PASSWORD, "test-setup")
            if name in totp_for:
                secrets[name] = pyotp.random_base32()
                with write_transaction(db):
                    user_store.update_user(db, user_store.user_by_name(db, name)["id"], utc_now(),
                                           totp_secret=secrets[name])
    return secrets


def csrf_of(html: str) -> str:
    """The CSRF token in a page's forms."""
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def signed_in(base: str, name: str) -> tuple[requests.Session, str]:
    """A requests session signed in as `name` (no second factor), and its CSRF token."""
    session = requests.Session()
    token = csrf_of(session.get(base + "/login").text)
    response = session.post(base + "/login", data={"csrf": token, "name": name, "password": PASSWORD},
                            headers={"Origin": base}, allow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/", response.text[:500]
    return session, csrf_of(session.get(base + "/queue").text)
