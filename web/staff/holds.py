"""Held reviews: a person marks one handled, or releases it to the queue where the rules allow."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.accounts import sessions
from pipeline.publish import holds
from storage import holds as hold_store
from web.staff.guard import Ctx, action, refuse


async def _after(request: Request, ctx: Ctx, run, done: str) -> Response:
    hold = hold_store.get_hold(ctx.app.db, request.path_params["hold_id"])
    if hold is None:
        return refuse(request, 404, "There is no such hold.")
    try:
        run()
    except holds.NotReleasable as exc:
        return refuse(request, 422, str(exc))
    sessions.remember(ctx.app.db, ctx.session.digest, flash=done)
    return RedirectResponse(f"/reviews/{hold['review_id']}", status_code=303)


async def handled(request: Request, ctx: Ctx) -> Response:
    """Mark a held review handled (read and dealt with)."""
    hold_id, note = request.path_params["hold_id"], str(ctx.form.get("note", "")).strip()[:500] or None
    return await _after(request, ctx, lambda: holds.mark_handled(ctx.app.db, hold_id, ctx.session.name, note),
                        f"Hold {hold_id} marked handled.")


async def release(request: Request, ctx: Ctx) -> Response:
    """Release a held review to the queue (only for reasons the rules allow)."""
    hold_id = request.path_params["hold_id"]
    return await _after(request, ctx, lambda: holds.release(ctx.app.db, ctx.app.settings, hold_id, ctx.session.name),
                        f"Hold {hold_id} released: the review is in the queue.")


def routes() -> list:
    """The hold decisions."""
    return [action("/holds/{hold_id:int}/handled", handled, "decide"),
            action("/holds/{hold_id:int}/release", release, "decide")]
