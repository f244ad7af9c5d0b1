"""Account management for admins: list, add, disable, reset a password (the same functions as `plaudit users`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.accounts import sessions
from pipeline.accounts.passwords import WeakPassword
from pipeline.accounts.roles import ROLES
from pipeline.accounts.users import AccountError, add_user, disable_user, reset_password
from storage import users as user_store
from web.staff.guard import Ctx, action, page


async def users_page(request: Request, ctx: Ctx, status: int = 200, problem: str = "") -> Response:
    """Every account with its role and state."""
    return ctx.app.render(request, ctx.session, "users.html", status=status, users=user_store.list_users(ctx.app.db),
                          roles=ROLES, problem=problem)


async def _account_change(request: Request, ctx: Ctx, change, done: str) -> Response:
    try:
        change()
    except (AccountError, WeakPassword) as exc:
        return await users_page(request, ctx, 422, str(exc))
    sessions.remember(ctx.app.db, ctx.session.digest, flash=done)
    return RedirectResponse("/users", status_code=303)


async def add(request: Request, ctx: Ctx) -> Response:
    """Create an account."""
    form, db = ctx.form, ctx.app.db
    name, role = str(form.get("name", "")).strip(), str(form.get("role", ""))
    return await _account_change(request, ctx, lambda: add_user(db, name, role, str(form.get("password", "")),
                                                                ctx.session.name), f"Account {name} created.")


async def disable(request: Request, ctx: Ctx) -> Response:
    """Disable an account (its sessions end)."""
    name = str(ctx.form.get("name", ""))
    if name == ctx.session.name:
        return await users_page(request, ctx, 422, "You cannot disable your own account.")
    return await _account_change(request, ctx, lambda: disable_user(ctx.app.db, name, ctx.session.name),
                                 f"Account {name} disabled.")


async def reset(request: Request, ctx: Ctx) -> Response:
    """Set a new password (and clear the second factor when asked)."""
    form = ctx.form
    name = str(form.get("name", ""))
    return await _account_change(request, ctx, lambda: reset_password(
        ctx.app.db, name, str(form.get("password", "")), ctx.session.name, reset_totp=bool(form.get("reset_totp"))),
        f"Password of {name} reset; their sessions ended.")


def routes() -> list:
    """The admin's account pages."""
    return [page("/users", users_page, "manage_users"), action("/users/add", add, "manage_users"),
            action("/users/disable", disable, "manage_users"), action("/users/reset", reset, "manage_users")]
