"""What the staff app holds while it runs: settings, the internal store, the cookie key, the clock, templates.

One store connection serves every request: endpoints are `async` and run on the event loop one at a time
between awaits, so each decision's write transaction is never interleaved with another's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from pipeline.accounts import sessions
from pipeline.accounts.roles import allowed
from pipeline.settings import Settings
from web.staff import formatting

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> Environment:
    """Jinja2 with autoescaping on for every template (review text is hostile input)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                      default_for_string=True), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(formatting.FILTERS)
    return env


@dataclass
class StaffState:
    """The running app's shared state."""

    settings: Settings
    db: sqlite_utils.Database
    key: bytes
    clock: Callable[[], float] = time.time
    env: Environment = field(default_factory=environment)

    def render(self, request: Request, session: sessions.StaffSession | None, template: str, status: int = 200,
               **values: Any) -> HTMLResponse:
        """A page from a template, with the session's user, CSRF token and one-time message."""
        flash = ""
        if session and session.flash:
            flash = session.flash
            sessions.remember(self.db, session.digest, flash="")
        admin_decides = self.settings.staff_admin_decides
        can = (lambda permission: allowed(session.role, permission, admin_decides)) if session else (
            lambda permission: False)
        body = self.env.get_template(template).render(
            session=session, csrf=session.csrf if session else "", flash=flash, can=can,
            practice=self.settings.practice_name, path=request.url.path, **values)
        return HTMLResponse(body, status_code=status)
