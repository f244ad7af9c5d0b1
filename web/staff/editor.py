"""The excerpt editor: keep sentences or strike words, see the original and the excerpt side by side.

It works as a plain form: "Preview" shows the proposed excerpt and its diff, "Approve" decides. Whether an
excerpt only deletes text is decided on the server by `pipeline.publish.quotes.is_deletion` (and the gate).
"""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from pipeline.publish.excerpts import diff_segments, from_sentences, from_struck_words
from pipeline.publish.quotes import is_deletion
from storage import quotes as quote_store
from storage import review_view
from web.staff.attention import quote_state
from web.staff.guard import Ctx, action, page, refuse
from web.staff.marks import sentence_rows
from web.staff.review import attribution_choices

NOT_A_DELETION = ("The excerpt may only leave words out of the review, in their order; it cannot add or change "
                  "words. Strike words, or start again from the sentences.")


def resolve_excerpt(form: FormData, text: str, sentences: list) -> tuple[str | None, str]:
    """The excerpt a submitted editor form means, and a problem to show ("" when none).

    Chosen sentences win when the form asks for them; else the typed excerpt, with "…" added where words
    were struck. None with a problem when it is not a deletion of the review.
    """
    if form.get("use_sentences"):
        keep = {int(k) for k in form.getlist("keep") if str(k).isdigit()}
        excerpt = from_sentences(text, [tuple(s) for s in sentences], keep)
        return (excerpt, "") if excerpt else (None, "Choose at least one sentence.")
    typed = " ".join(str(form.get("excerpt", "")).split())
    if not typed:
        return None, "The excerpt is empty."
    if is_deletion(text, typed):
        return typed, ""
    elided = from_struck_words(text, typed)
    return (elided, "") if elided and is_deletion(text, elided) else (None, NOT_A_DELETION)


def chosen_attribution(form: FormData) -> str:
    """The attribution picked in the form ("custom" means the typed one)."""
    choice = str(form.get("attribution", "")).strip()
    return str(form.get("attribution_custom", "")).strip()[:100] if choice == "custom" else choice[:100]


def editor_context(state, quote: dict, form: FormData | None = None) -> dict:
    """What the editor shows: the review, sentences, the proposed excerpt, its diff, the choices."""
    review = review_view.review(state.db, quote["review_id"])
    text = review["text"] or ""
    excerpt, problem = (resolve_excerpt(form, text, review["sentences"]) if form is not None
                        else (quote["excerpt"] or quote["suggested_excerpt"] or "", ""))
    shown = excerpt if excerpt is not None else str(form.get("excerpt", "")) if form is not None else ""
    attribution = (chosen_attribution(form) if form is not None else "") or quote["attribution"] or \
        quote["suggested_attribution"] or ""
    choices = attribution_choices(review["author"])
    return {
        "quote": quote, "review": review, "excerpt": shown, "problem": problem,
        "diff": diff_segments(text, excerpt) if excerpt else None,
        "sentences": sentence_rows(text, review["sentences"]),
        "kept": {int(k) for k in form.getlist("keep") if str(k).isdigit()} if form is not None else set(),
        "choices": choices, "attribution": attribution, "custom": attribution not in choices,
        "tags": str(form.get("tags", "")) if form is not None else ", ".join(quote["tags"]),
        "disclosure": str(form.get("disclosure", "")) if form is not None else quote.get("disclosure") or "",
        "provider": str(form.get("provider", "")) if form is not None else quote.get("provider") or "",
        "state": quote_state(quote),
    }


async def show_editor(request: Request, ctx: Ctx, status: int = 200, form: FormData | None = None,
                      **extra) -> Response:
    """The editor page, fresh or with a submitted proposal."""
    quote = quote_store.quote_with_review(ctx.app.db, request.path_params["quote_id"])
    if quote is None:
        return refuse(request, 404, "There is no such quote.")
    values = editor_context(ctx.app, quote, form) | extra
    return ctx.app.render(request, ctx.session, "editor.html", status=status, **values)


async def preview(request: Request, ctx: Ctx) -> Response:
    """Show the proposed excerpt and its diff; nothing is saved."""
    return await show_editor(request, ctx, form=ctx.form)


def routes() -> list:
    """The editor page and its preview."""
    return [page("/quotes/{quote_id:int}/edit", show_editor), action("/quotes/{quote_id:int}/edit", preview, "read")]
