"""The hosted review form: a page that works without JavaScript, and its POST into the inbox.

A submission passes, in order: a same-origin check, a body size limit, the per-client rate limit, the
honeypot (a filled one is thanked and dropped), then `check_submission`. Validation errors show the form
again with what the patient typed; an accepted review is appended to the inbox and answered with a redirect
to the thank-you page, so reloading it sends nothing twice. The internal store is never opened.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pipeline.settings import Settings
from pipeline.sources.hosted_form import TOOL, check_submission, consent_version
from storage.db import utc_now
from storage.inbox import append, dedupe_key, open_inbox
from web.public.http import read_body
from web.public.ratelimit import RateLimiter

log = logging.getLogger(__name__)
TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                               autoescape=True)
# Referrer-Policy same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on the form's own
# POST, which the same-origin check must refuse.
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
                                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store"}
HONEYPOT = "website"


class ReviewForm:
    """The form's pages and its submissions, for one practice's settings."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.limiter = RateLimiter(settings.review_form_rate_limit)
        self.max_body = 12 * settings.review_form_max_chars + 16_384  # a character is at most 12 bytes encoded
        self._inbox = None

    def page(self, template: str, status: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
        """A rendered page of the form (autoescaped)."""
        settings = self.settings
        body = TEMPLATES.get_template(template).render(
            practice=settings.practice_name, consent_text=settings.review_consent_text,
            consent_version=consent_version(settings.review_consent_text), locations=settings.locations,
            max_chars=settings.review_form_max_chars, values=context.pop("values", {}),
            errors=context.pop("errors", {}), **context)
        return HTMLResponse(body, status_code=status, headers={**PAGE_HEADERS, **(headers or {})})

    async def show(self, request: Request) -> Response:
        """GET /review: the empty form."""
        return self.page("form.html")

    async def thanks(self, request: Request) -> Response:
        """GET /review/thanks: what happens next, and nothing more."""
        return self.page("thanks.html")

    async def submit(self, request: Request) -> Response:
        """POST /review: check, then append to the inbox and redirect; or show the form again and say why."""
        refusal = _foreign_origin(request)
        if refusal:
            return self.page("problem.html", 403, message=refusal)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            return self.page("problem.html", 415, message="This form only accepts what its own page sends.")
        body = await read_body(request, self.max_body)
        if body is None:
            return self.page("problem.html", 413, message="That was too much text for this form; please shorten "
                                                          "your review and send it again.")
        form = dict(reversed(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)))
        client = request.client.host if request.client else "unknown"
        wait = self.limiter.retry_after(client)
        if wait:
            return self.page("form.html", 429, {"Retry-After": str(wait)}, values=form, rate_limited=_minutes(wait))
        if form.get(HONEYPOT):
            return RedirectResponse("/review/thanks", status_code=303)
        checked = check_submission(form, self.settings, utc_now())
        if checked.payload is None:
            return self.page("form.html", 400, values=checked.values, errors=checked.errors)
        try:
            await run_in_threadpool(self._store, checked.payload)
        except (sqlite3.Error, OSError) as exc:  # the patient keeps their text and is told to try again
            log.error("review form: the inbox could not be written (%s)", type(exc).__name__)
            self._inbox = None
            return self.page("form.html", 503, {"Retry-After": "300"}, values=checked.values, unavailable=True)
        self.limiter.record(client)
        return RedirectResponse("/review/thanks", status_code=303)

    def _store(self, payload: dict) -> None:
        if self._inbox is None:
            self._inbox = open_inbox(self.settings.inbox_db)
        # The key leaves out the time, so a double-clicked or re-sent identical review is stored once.
        key = dedupe_key(TOOL, {name: value for name, value in payload.items() if name != "submitted_at"})
        row_id, new = append(self._inbox, TOOL, payload, key=key)
        log.info("review form: inbox row %d %s", row_id, "stored" if new else "already stored (sent twice)")


def _minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)


def _foreign_origin(request: Request) -> str | None:
    """Why a POST from another site is refused (browsers send Origin with every POST), or None."""
    origin = request.headers.get("origin")
    if origin is None:
        return None
    host = request.headers.get("host", "")
    if origin != "null" and urlsplit(origin).netloc == host:
        return None
    return (f"This form can only be sent from its own page (the request came from {origin[:100]}, the form lives "
            f"at {host[:100]}). Behind a reverse proxy, pass the original Host header through.")
