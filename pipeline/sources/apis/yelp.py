"""Yelp review excerpts (`kind = "yelp"`), through the Yelp Fusion (Places) API.

Settings: `resource` = the business id or alias (as in https://www.yelp.com/biz/<alias>), `auth` = the API key
(`api_key`, sent as `Authorization: Bearer`), `api_base` (default https://api.yelp.com), `listing_url` (default
the business's Yelp page).

The API gives at most three review *excerpts* and the business's rating and review count; nothing more can be
had within Yelp's terms, which also forbid editing the excerpts and limit how long they may be kept. So the
defaults are policy `summary_only` and `retention_hours = 24`, every review is marked `is_excerpt`, and a sweep
is never `complete` (three excerpts are a sample: a review leaving them is not a deletion).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pipeline.models import AggregateRating, RawReview
from pipeline.sources.apis.common import ApiPage, ApiSource, day, number, review_text, stated
from pipeline.sources.base import Fetcher
from pipeline.text import clean_text

DEFAULT_BASE = "https://api.yelp.com"


class YelpSource(ApiSource):
    """The few review excerpts Yelp's API returns for one business."""

    default_base = DEFAULT_BASE
    complete_at_end = False

    def headers(self, client: Fetcher) -> dict[str, str]:
        """The API key as a bearer token."""
        return {"Authorization": f"Bearer {self.secret('api_key').reveal()}"}

    def summary(self, client: Fetcher, headers: dict[str, str]) -> AggregateRating | None:
        """The business's stated rating and review count."""
        data = self.get_json(client, f"{self.base}/v3/businesses/{quote(self.config.resource, safe='')}", headers,
                             "business")
        return stated(data.get("rating"), data.get("review_count"))

    def page_url(self, at: Any) -> str:
        """The one reviews page."""
        return f"{self.base}/v3/businesses/{quote(self.config.resource, safe='')}/reviews"

    def read(self, data: dict[str, Any], at: Any) -> ApiPage:
        """The excerpts; there is never a next page."""
        page = ApiPage()
        items = data.get("reviews") or []
        for number_, item in enumerate(items if isinstance(items, list) else [], 1):
            if isinstance(item, dict):
                page.add(self.review(item), f"{self.config.resource} excerpt {number_}")
        return page

    def review(self, item: dict[str, Any]) -> RawReview:
        """One excerpt as a RawReview."""
        user = item.get("user") if isinstance(item.get("user"), dict) else {}
        stars = number(item.get("rating"))
        created = item.get("time_created")
        url = item.get("url") if isinstance(item.get("url"), str) and item["url"].startswith("https://") else None
        return RawReview(source=self.config.name, external_id=str(item["id"]) if item.get("id") else None,
                         text=review_text(item.get("text")), rating=stars if stars and 1 <= stars <= 5 else None,
                         author=clean_text(str(user.get("name") or ""), 200) or None, published=day(created),
                         published_raw=created if isinstance(created, str) else None, url=url, is_excerpt=True)
