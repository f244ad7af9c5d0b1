"""The overview: what needs attention first, then charts (per location or overall) with their numbers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from starlette.requests import Request
from starlette.responses import Response

from pipeline.publish.feedback import improvement_feedback
from storage import overview as stats
from web.staff import charts
from web.staff.attention import attention_lists
from web.staff.guard import Ctx, page

WEEKS = 12
FEEDBACK_SHOWN = 10


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def build_charts(db, location: str, today: datetime) -> list[charts.Chart]:
    """The four overview charts for a location ("" for all)."""
    since = (today - timedelta(weeks=WEEKS)).date().isoformat()
    weekly = stats.weekly_by_source(db, since, location)
    weeks = sorted({w for w, _, _ in weekly})
    sources = sorted({s for _, s, _ in weekly})
    statuses = stats.quote_statuses(db, location)
    return [
        charts.stacked("per-week", f"Reviews per week by source (last {WEEKS} weeks)", weeks, sources,
                       {(w, s): n for w, s, n in weekly}),
        charts.simple("ratings", "Rating distribution", [(f"{k} stars", v) for k, v in
                                                           stats.rating_distribution(db, location).items()], "reviews"),
        charts.trend("sentiment", f"Average sentiment per week (last {WEEKS} weeks)",
                     stats.weekly_sentiment(db, since, location)),
        charts.simple("quotes", "Quotes: published and pending", list(statuses.items()), "quotes"),
    ]


async def overview(request: Request, ctx: Ctx) -> Response:
    """Crisis first, then new reviews by sentiment, open flags, clinician sign-offs, expiring authorizations."""
    state = ctx.app
    settings, db = state.settings, state.db
    locations = {loc.id: loc.name for loc in settings.locations}
    location = request.query_params.get("location", "")
    location = location if location in locations else ""
    now = datetime.fromtimestamp(state.clock(), timezone.utc)
    lists = attention_lists(db)
    return state.render(
        request, ctx.session, "overview.html",
        crisis=[h for h in lists["held"] if h["reason"] == "crisis"],
        held=[h for h in lists["held"] if h["reason"] != "crisis"], held_back=lists["held_back"],
        new=stats.new_by_sentiment(db, _iso(now - timedelta(days=7)), location),
        clinician=stats.claims_awaiting_clinician(db, settings.blocked_claims), expiring=lists["expiring"],
        feedback=improvement_feedback(db, limit=FEEDBACK_SHOWN),
        charts=build_charts(db, location, now), locations=locations, location=location,
        patterns=charts.PATTERNS)


def routes() -> list:
    """The overview page."""
    return [page("/", overview)]
