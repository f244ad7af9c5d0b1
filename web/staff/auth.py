"""Signing in and out, the second factor, and enrolling one: thin routes over `pipeline.accounts`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.accounts import lockout, sessions, totp
from pipeline.accounts.users import authenticate
from storage import audit
from storage import users as user_store
from storage.db import utc_now, write_transaction
from web.staff.guard import (LOGIN_COOKIE, Ctx, action, current_session, login_action, login_token, page,
                             set_session_cookie)

ENDED = {"idle": "You were signed out after {minutes:g} minutes without activity.",
         "expired": "Your session reached its time limit; please sign in again.",
         "logout": "You are signed out.", "disabled": "That account is disabled."}
ANY_STAGE = ("totp", "enrol", "full")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def login_form(request: Request, message: str = "", status: int = 200) -> Response:
    """The sign-in page (also shown again after a failed attempt)."""
    state = request.app.state.staff
    session, _ = current_session(request)
    if session and session.stage == "full" and not message:
        return RedirectResponse("/", status_code=303)
    ended = request.query_params.get("ended", "")
    notice = ENDED.get(ended, "").format(minutes=state.settings.staff_idle_minutes)
    token = login_token(request)
    response = state.render(request, None, "login.html", status=status, login_csrf=token, message=message,
                            notice=notice)
    response.set_cookie(LOGIN_COOKIE, token, path="/login", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


async def login(request: Request, ctx: Ctx) -> Response:
    """Check the password; then the second factor, an enrolment, or straight in."""
    state = ctx.app
    result = authenticate(state.db, state.settings, str(ctx.form.get("name", ""))[:200],
                          str(ctx.form.get("password", ""))[:1000], _client(request), state.clock())
    if result.user is None:
        wait = f" (about {int(result.retry_after) + 1} s)" if result.retry_after else ""
        return await login_form(request, result.message + wait, 429 if result.retry_after else 401)
    user = result.user
    stage = "totp" if user["totp_secret"] else "enrol" if state.settings.staff_totp_required else "full"
    old, _ = current_session(request)
    token = sessions.start(state.db, user["id"], stage, state.clock(), replaces=old.digest if old else None)
    if stage == "full":
        _audit_login(state, user["name"], "password")
    return set_session_cookie(request, RedirectResponse(_home(stage), status_code=303), token)


def _home(stage: str) -> str:
    return {"totp": "/login/totp", "enrol": "/account/totp"}.get(stage, "/")


def _audit_login(state, name: str, factors: str) -> None:
    with write_transaction(state.db):
        audit.append(state.db, name, "login", f"user:{name}", {"factors": factors}, utc_now())


async def totp_form(request: Request, ctx: Ctx, message: str = "", status: int = 200) -> Response:
    """Ask for the 6-digit code."""
    return ctx.app.render(request, ctx.session, "totp.html", status=status, message=message)


async def totp_check(request: Request, ctx: Ctx) -> Response:
    """A matching code completes the sign-in with a new session id; failures count towards the lockout."""
    state, session = ctx.app, ctx.session
    user = user_store.user_by_id(state.db, session.user_id)
    if not totp.code_matches(user["totp_secret"], str(ctx.form.get("code", ""))):
        with write_transaction(state.db):
            lockout.record_failure(state.db, lockout.keys(user["name"], "")["account"],
                                   state.settings.staff_lockout_after, state.settings.staff_lockout_seconds,
                                   state.clock())
        if lockout.locked_for(state.db, [lockout.keys(user["name"], "")["account"]], state.clock()) > 0:
            sessions.end(state.db, session.digest)
            return set_session_cookie(request, RedirectResponse("/login", status_code=303), None)
        return await totp_form(request, ctx, "That code does not match. Codes change every 30 seconds.", 401)
    token = sessions.start(state.db, user["id"], "full", state.clock(), replaces=session.digest)
    _audit_login(state, user["name"], "password+totp")
    return set_session_cookie(request, RedirectResponse("/", status_code=303), token)


async def logout(request: Request, ctx: Ctx) -> Response:
    """End the session and clear its cookie."""
    sessions.end(ctx.app.db, ctx.session.digest)
    return set_session_cookie(request, RedirectResponse("/login?ended=logout", status_code=303), None)


async def enrol_form(request: Request, ctx: Ctx, message: str = "", status: int = 200) -> Response:
    """The enrolment page: a QR code (an image this app renders) and the secret as text to type instead."""
    state = ctx.app
    user = user_store.user_by_id(state.db, ctx.session.user_id)
    secret = user["totp_pending"] or totp.start_enrolment(state.db, user["id"])
    return state.render(request, ctx.session, "enrol.html", status=status, message=message, secret=secret,
                        enrolled=bool(user["totp_secret"]), required=state.settings.staff_totp_required)


async def enrol_qr(request: Request, ctx: Ctx) -> Response:
    """The pending secret's QR code as SVG, rendered by the app itself."""
    user = user_store.user_by_id(ctx.app.db, ctx.session.user_id)
    if not user["totp_pending"]:
        return Response(status_code=404)
    svg = totp.qr_svg(totp.provisioning_uri(user["totp_pending"], user["name"]))
    return Response(svg, media_type="image/svg+xml", headers={"cache-control": "no-store"})


async def enrol_confirm(request: Request, ctx: Ctx) -> Response:
    """Switch the second factor on when the code matches; an enrolment-stage session becomes a full one."""
    state, session = ctx.app, ctx.session
    if not totp.confirm_enrolment(state.db, session.user_id, session.name, str(ctx.form.get("code", ""))):
        return await enrol_form(request, ctx, "That code does not match the new secret; try the next one.", 400)
    token = sessions.start(state.db, session.user_id, "full", state.clock(), replaces=session.digest)
    sessions.remember(state.db, sessions.digest_of(token), flash="Your second factor is on.")
    return set_session_cookie(request, RedirectResponse("/", status_code=303), token)


def routes() -> list:
    """The sign-in, second-factor and sign-out routes."""
    from starlette.routing import Route

    login_page = Route("/login", login_form, methods=["GET"], name="login_form")
    login_page.permission, login_page.stages, login_page.public = "login", (), True
    return [
        login_page,
        login_action("/login", login),
        page("/login/totp", totp_form, "own_account", ("totp",)),
        action("/login/totp", totp_check, "own_account", ("totp",)),
        action("/logout", logout, "own_account", ANY_STAGE),
        page("/account/totp", enrol_form, "own_account", ("enrol", "full")),
        page("/account/totp/qr.svg", enrol_qr, "own_account", ("enrol", "full")),
        action("/account/totp", enrol_confirm, "own_account", ("enrol", "full")),
    ]
