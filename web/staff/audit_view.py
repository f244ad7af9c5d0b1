"""The audit view: every staff action with who, what, when and the details, filtered; the chain's status."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from pipeline.publish.decisions import audit_anchor
from storage import audit
from storage import audit_query
from web.staff.guard import Ctx, page

FILTERS = ("actor", "action", "object", "since", "until")


async def audit_log(request: Request, ctx: Ctx) -> Response:
    """Filtered entries, newest first, with the hash chain verified on every view."""
    state = ctx.app
    params = {k: request.query_params.get(k, "").strip()[:100] for k in FILTERS}
    raw_page = request.query_params.get("page", "1")
    number = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 100_000 else 1
    rows, more = audit_query.search(state.db, actor=params["actor"], action=params["action"], obj=params["object"],
                                    since=params["since"], until=params["until"], page=number,
                                    size=state.settings.staff_page_size)
    for row in rows:
        row["details"] = json.loads(row["details"]) if row["details"] else {}
    problems = audit.verify_chain(state.db) + audit.anchor_problems(audit_anchor(state.settings), state.db)
    query = urlencode({k: v for k, v in params.items() if v})
    return state.render(request, ctx.session, "audit.html", rows=rows, more=more, number=number, params=params,
                        problems=problems, count=state.db["audit_log"].count, query=query,
                        **audit_query.choices(state.db))


def routes() -> list:
    """The audit view."""
    return [page("/audit", audit_log)]
