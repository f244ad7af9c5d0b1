"""Decisions from the staff app: approve, reject, unpublish, authorize, revoke, clinician sign-off.

Each calls the same `pipeline.publish.decisions` function as the command line, passing the change counter the
page was drawn with (`pipeline.publish.concurrency`); the actor is always the signed-in user. A refusal changes nothing and is
shown with every reason; a decision that publishes says when the website shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.accounts import sessions
from pipeline.errors import NotPublishable, PlauditError
from pipeline.publish import decisions
from pipeline.publish.concurrency import ChangedMeanwhile
from storage import quotes as quote_store
from storage import review_view
from web.staff.attention import explain
from web.staff.editor import chosen_attribution, resolve_excerpt, show_editor
from web.staff.guard import Ctx, action, refuse
from web.staff.review import show_review


def _published(counts: dict[str, Any] | None, state) -> str:
    if not counts:
        return "The website was not changed (the quote was not public)."
    at = datetime.fromtimestamp(state.clock(), timezone.utc).strftime("%H:%M:%S")
    return (f"The public store and the static export were rebuilt at {at} UTC: the website shows the change on "
            f"its next page load ({counts['published']} testimonials are public).")


async def _reshow(request: Request, ctx: Ctx, quote: dict, status: int, **message) -> Response:
    if ctx.form.get("from") == "editor":
        return await show_editor(request, ctx, status=status, form=ctx.form, **message)
    request.scope["path_params"]["review_id"] = quote["review_id"]
    return await show_review(request, ctx, status=status, **message)


async def _decide(request: Request, ctx: Ctx, decide: Callable[..., Any], done: str) -> Response:
    """Run one `decisions` function as the signed-in user, on the quote as the page showed it."""
    state = ctx.app
    quote_id = request.path_params["quote_id"]
    quote = quote_store.quote_with_review(state.db, quote_id)
    if quote is None:
        return refuse(request, 404, "There is no such quote.")
    seen = str(ctx.form.get("edits", ""))
    if not seen.isdigit():
        return refuse(request, 400, "The form is incomplete; reload the page and decide again.")
    try:
        counts = decide(state.db, state.settings, quote_id, ctx.session.name, seen=int(seen))
    except ChangedMeanwhile as exc:
        return await _reshow(request, ctx, quote, 409, conflict={"actor": exc.actor, "at": exc.at})
    except NotPublishable as exc:
        return await _reshow(request, ctx, quote, 422, refused=explain(exc.reasons))
    except (PlauditError, ValueError) as exc:  # a bad date, nothing to revoke, no such quote: said, not a 500
        return await _reshow(request, ctx, quote, 422, problem=str(exc))
    sessions.remember(state.db, ctx.session.digest, flash=f"Quote {quote_id}: {done}. {_published(counts, state)}")
    target = "/queue" if ctx.form.get("back") == "queue" else f"/reviews/{quote['review_id']}"
    return RedirectResponse(target, status_code=303)


def _tags(raw: str) -> tuple[str, ...]:
    return tuple(t.strip()[:40] for t in raw.split(",") if t.strip())[:10]


async def approve(request: Request, ctx: Ctx) -> Response:
    """Approve with the editor's choices (or as suggested from the queue); publishes at once."""
    state, form = ctx.app, ctx.form
    excerpt = None
    if form.get("excerpt") is not None or form.get("use_sentences"):
        quote = quote_store.quote_with_review(state.db, request.path_params["quote_id"])
        review = review_view.review(state.db, quote["review_id"]) if quote else None
        if review is None:
            return refuse(request, 404, "There is no such quote.")
        excerpt, problem = resolve_excerpt(form, review["text"] or "", review["sentences"])
        if excerpt is None:
            return await _reshow(request, ctx, quote, 422, problem=problem)
    approval = decisions.Approval(
        excerpt=excerpt, attribution=chosen_attribution(form) or None,
        authorization_ref=str(form.get("authorization_ref", "")).strip()[:200] or None,
        authorization_expires=str(form.get("authorization_expires", "")).strip()[:40] or None,
        tags=_tags(str(form.get("tags", ""))),
        provider=str(form["provider"]).strip()[:100] if form.get("provider") is not None else None,
        disclosure=str(form["disclosure"]).strip()[:200] if form.get("disclosure") is not None else None)
    return await _decide(request, ctx, partial(decisions.approve, approval=approval), "approved")


async def reject(request: Request, ctx: Ctx) -> Response:
    """Reject the quote (republishes when it was public)."""
    note = str(ctx.form.get("note", "")).strip()[:500] or None
    return await _decide(request, ctx, partial(decisions.reject, note=note), "rejected")


async def unpublish(request: Request, ctx: Ctx) -> Response:
    """Take the quote off the website now."""
    return await _decide(request, ctx, decisions.unpublish, "unpublished")


async def authorize(request: Request, ctx: Ctx) -> Response:
    """Record the patient's signed authorization."""
    form = ctx.form
    reference = str(form.get("reference", "")).strip()[:200]
    if not reference:
        return refuse(request, 400, "An authorization needs the reference of the signed form.")
    auth = decisions.Authorization(
        reference=reference, text_version=str(form.get("text_version", "")).strip()[:100] or None,
        expires=str(form.get("expires", "")).strip()[:40] or None,
        scope_attribution=str(form.get("scope_attribution", "")).strip()[:100] or None,
        scope_excerpt=str(form.get("scope_excerpt", "")).strip()[:5000] or None)
    return await _decide(request, ctx, partial(decisions.authorize, auth=auth), "authorization recorded")


async def revoke(request: Request, ctx: Ctx) -> Response:
    """Revoke the patient's authorization; the quote leaves the website at once."""
    return await _decide(request, ctx, decisions.revoke, "authorization revoked")


async def clinician(request: Request, ctx: Ctx) -> Response:
    """A clinician signs off the quote's health-outcome claims."""
    return await _decide(request, ctx, decisions.clinician_approve, "clinician sign-off recorded")


def routes() -> list:
    """The decision routes, each with the permission it needs."""
    return [
        action("/quotes/{quote_id:int}/approve", approve, "decide"),
        action("/quotes/{quote_id:int}/reject", reject, "decide"),
        action("/quotes/{quote_id:int}/unpublish", unpublish, "decide"),
        action("/quotes/{quote_id:int}/authorize", authorize, "authorize"),
        action("/quotes/{quote_id:int}/revoke", revoke, "authorize"),
        action("/quotes/{quote_id:int}/clinician", clinician, "clinician_sign_off"),
    ]
