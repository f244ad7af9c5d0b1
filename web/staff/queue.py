"""The queue: pending quotes with filters (kept with the session, never in the URL) and paging."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.accounts import sessions
from pipeline.publish.gate import NEVER_PUBLISHED
from storage import queue as queue_store
from storage.quotes import STATUSES
from web.staff.formatting import FLAG_ORDER
from web.staff.guard import Ctx, action, page

SHORTCUTS = (("j", "next quote"), ("k", "previous quote"), ("o or Enter", "open the quote"),
             ("a", "approve the quote as suggested"), ("r", "reject the quote"), ("/", "search"))


def current_filter(ctx: Ctx) -> queue_store.QueueFilter:
    """The session's queue filter."""
    return queue_store.QueueFilter.from_dict(ctx.session.queue_filters)


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return max(1, min(int(raw), 100_000)) if raw.isdigit() else 1


async def queue(request: Request, ctx: Ctx) -> Response:
    """One page of the filtered queue."""
    state = ctx.app
    f = current_filter(ctx)
    number = _page_number(request)
    size = state.settings.staff_page_size
    rows, more = queue_store.queue_page(state.db, f, number, size)
    labels = {s.name: s.label for s in state.settings.sources}
    return state.render(request, ctx.session, "queue.html", rows=rows, more=more, number=number, filter=f,
                        total=queue_store.queue_count(state.db, f), sources=labels,
                        locations={loc.id: loc.name for loc in state.settings.locations},
                        size=size, statuses=STATUSES, flags=FLAG_ORDER, shortcuts=SHORTCUTS, never=NEVER_PUBLISHED)


async def set_filter(request: Request, ctx: Ctx) -> Response:
    """Keep the submitted filter with the session (so search text never appears in a URL or a log)."""
    values = {} if ctx.form.get("clear") else {k: v for k, v in ctx.form.items() if k != "csrf"}
    f = queue_store.QueueFilter.from_dict(values)
    if f.min_rating and not f.min_rating.replace(".", "", 1).isdigit():
        f = queue_store.QueueFilter.from_dict({**f.as_dict(), "min_rating": ""})
    sessions.remember(ctx.app.db, ctx.session.digest, queue_filters=f.as_dict())
    return RedirectResponse("/queue", status_code=303)


def routes() -> list:
    """The queue and its filter."""
    return [page("/queue", queue), action("/queue/filter", set_filter, "read")]
