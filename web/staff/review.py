"""The review page: the original text as text, its source, scores, flags with their spans, duplicates,
versions, the quote with its real state, authorizations, and the decisions a role allows."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from pipeline.publish.export import safe_url
from pipeline.publish.quotes import FALLBACK_ATTRIBUTION, attribution
from storage import holds as hold_store
from storage import quotes as quote_store
from storage import review_view
from web.staff.attention import RELEASABLE, quote_state
from web.staff.guard import Ctx, page, refuse
from web.staff.marks import flagged_pieces, sentence_rows


def source_link(settings, review: dict) -> str | None:
    """The review's own http(s) link, else its listing's; never a javascript: or data: link."""
    known = {s.name: s for s in settings.sources}
    source = known.get(review["source"])
    return safe_url(review.get("url")) or (safe_url(source.public_link) if source else None)


def attribution_choices(author: str | None) -> list[str]:
    """The name forms offered: "Patsy R.", "Patsy", "Verified patient" (only those the author's name gives)."""
    short = attribution(author)
    first = short.split()[0] if short != FALLBACK_ATTRIBUTION else ""
    return list(dict.fromkeys(c for c in (short, first, FALLBACK_ATTRIBUTION) if c))


def review_context(state, review: dict) -> dict:
    """Everything the review page shows about a review and its quote."""
    db, settings = state.db, state.settings
    quote_id = review_view.quote_id_for(db, review["id"])
    quote = quote_store.quote_with_review(db, quote_id) if quote_id else None
    return {
        "review": review, "quote": quote, "link": source_link(settings, review),
        "source_label": next((s.label for s in settings.sources if s.name == review["source"]), review["source"]),
        "pieces": flagged_pieces(review["text"] or "", review["flags"]),
        "sentences": sentence_rows(review["text"] or "", review["sentences"]),
        "members": review_view.cluster_members(db, review), "versions": review_view.versions(db, review["id"]),
        "authorizations": quote_store.authorizations_for(db, [review["id"]])[review["id"]],
        "state": quote_state(quote) if quote else None,
        "choices": attribution_choices(review["author"]),
        "holds": hold_store.holds_of_review(db, review["id"]), "releasable": RELEASABLE,
    }


async def show_review(request: Request, ctx: Ctx, status: int = 200, **extra) -> Response:
    """The review page (also re-shown with a refusal or a conflict message)."""
    review = review_view.review(ctx.app.db, request.path_params["review_id"])
    if review is None:
        return refuse(request, 404, "There is no such review.")
    values = review_context(ctx.app, review) | extra
    return ctx.app.render(request, ctx.session, "review.html", status=status, **values)


def routes() -> list:
    """The review page."""
    return [page("/reviews/{review_id:str}", show_review)]
