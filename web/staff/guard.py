"""Access control for every route, declared where the route is made: `page` (GET) and `action` (POST).

Every action needs the app's own Origin (or Referer), a live session, a role that grants its permission and
the session's CSRF token; the only exception, `login_action`, has no session yet and checks a double-submit
token instead. Routes carry their permission and stages, so tests can enumerate them from the router.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from pipeline.accounts import sessions
from pipeline.accounts.roles import allowed

COOKIE = "plaudit_staff"
LOGIN_COOKIE = "plaudit_login"
FULL = ("full",)


@dataclass
class Ctx:
    """What a route gets besides the request: the app's state, the session and the submitted form."""

    app: Any  # web.staff.state.StaffState
    session: sessions.StaffSession | None
    form: FormData


def own_origin(request: Request) -> str:
    """The app's origin: the staff_origin setting, else the scheme and host this request came to."""
    configured = request.app.state.staff.settings.staff_origin
    return configured.rstrip("/") if configured else f"{request.url.scheme}://{request.headers.get('host', '')}"


def same_origin(request: Request) -> bool:
    """Whether the request's Origin, or else its Referer, is the app's own."""
    origin = own_origin(request)
    sent = request.headers.get("origin")
    if sent is not None:
        return hmac.compare_digest(sent, origin)
    referer = request.headers.get("referer", "")
    return referer == origin or referer.startswith(origin + "/")


def refuse(request: Request, status: int, message: str) -> Response:
    """A plain refusal page (never echoes what was sent)."""
    return request.app.state.staff.render(request, None, "error.html", status=status, message=message)


def current_session(request: Request) -> tuple[sessions.StaffSession | None, str]:
    """The request's live session, or None and why the last one ended."""
    state = request.app.state.staff
    token = sessions.token_from_cookie(state.key, request.cookies.get(COOKIE))
    return sessions.load(state.db, state.settings, token, state.clock())


def _stage_home(stage: str) -> str:
    return {"totp": "/login/totp", "enrol": "/account/totp"}.get(stage, "/")


async def _check(request: Request, permission: str, stages: tuple[str, ...], post: bool) -> Ctx | Response:
    if post and not same_origin(request):
        return refuse(request, 403, "This form did not come from this app; nothing was changed.")
    session, ended = current_session(request)
    if session is None:
        if post:
            return refuse(request, 403, "You are not signed in (or your session ended); nothing was changed.")
        return RedirectResponse("/login" + (f"?ended={ended}" if ended else ""), status_code=303)
    if session.stage not in stages:
        if post:
            return refuse(request, 403, "Finish signing in first; nothing was changed.")
        return RedirectResponse(_stage_home(session.stage), status_code=303)
    if not allowed(session.role, permission, request.app.state.staff.settings.staff_admin_decides):
        return refuse(request, 403, "Your role does not allow this; nothing was changed.")
    form = await request.form() if post else FormData()
    if post and not hmac.compare_digest(str(form.get("csrf", "")), session.csrf):
        return refuse(request, 403, "The form had expired or was not sent by this app; nothing was changed.")
    return Ctx(request.app.state.staff, session, form)


def _route(path: str, endpoint, method: str, permission: str, stages: tuple[str, ...], name: str | None) -> Route:
    post = method == "POST"

    async def guarded(request: Request) -> Response:
        ctx = await _check(request, permission, stages, post)
        return ctx if isinstance(ctx, Response) else await endpoint(request, ctx)

    route = Route(path, guarded, methods=[method], name=name or endpoint.__name__)
    route.permission, route.stages, route.public = permission, stages, False
    return route


def page(path: str, endpoint, permission: str = "read", stages: tuple[str, ...] = FULL, name: str | None = None):
    """A GET route that needs a session at one of `stages` and a role granting `permission`."""
    return _route(path, endpoint, "GET", permission, stages, name)


def action(path: str, endpoint, permission: str, stages: tuple[str, ...] = FULL, name: str | None = None):
    """A POST route: same origin, session, role and CSRF token, all checked before the endpoint runs."""
    return _route(path, endpoint, "POST", permission, stages, name)


def login_token(request: Request) -> str:
    """The pre-login double-submit token (from the cookie, or a new one the response must set)."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)


def login_action(path: str, endpoint, name: str | None = None) -> Route:
    """The sign-in POST: same origin and a double-submit token (cookie equals form field); no session yet."""

    async def guarded(request: Request) -> Response:
        if not same_origin(request):
            return refuse(request, 403, "This form did not come from this app; nothing was changed.")
        form = await request.form()
        cookie = request.cookies.get(LOGIN_COOKIE, "")
        if not cookie or not hmac.compare_digest(str(form.get("csrf", "")), cookie):
            return refuse(request, 403, "The sign-in form had expired; please try again.")
        return await endpoint(request, Ctx(request.app.state.staff, None, form))

    route = Route(path, guarded, methods=["POST"], name=name or endpoint.__name__)
    route.permission, route.stages, route.public = "login", (), True
    return route


def set_session_cookie(request: Request, response: Response, token: str | None) -> Response:
    """Set (or clear, with None) the session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS."""
    secure = own_origin(request).startswith("https://")
    if token is None:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=secure)
    else:
        value = sessions.cookie_value(request.app.state.staff.key, token)
        response.set_cookie(COOKIE, value, path="/", httponly=True, samesite="strict", secure=secure)
    return response
