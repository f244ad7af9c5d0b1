"""Trustpilot business-unit reviews (`kind = "trustpilot"`), through Trustpilot's public Business Units API.

Settings: `resource` = the business unit id (find it with `GET /v1/business-units/find?name=<your domain>`),
`auth` = the API key (`api_key`, sent as the `apikey` header), `api_base` (default https://api.trustpilot.com),
`listing_url` (your Trustpilot page, shown beside the summary).

A sweep reads `GET {api_base}/v1/business-units/{id}` once for the stated TrustScore and review count, then
`…/reviews?perPage=100&page=N&orderBy=createdat.desc` until a page links no `next-page` (or comes back short).
Newest first, so a nightly sweep stops after `stop_after_known` known, unchanged reviews; edits to older
reviews are caught by the full sweep. Default policy `summary_only` (see README "Sources" for why).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from pipeline.models import AggregateRating, RawReview
from pipeline.sources.apis.common import ApiPage, ApiSource, day, number, review_text, stated
from pipeline.sources.base import Fetcher
from pipeline.text import clean_text

DEFAULT_BASE = "https://api.trustpilot.com"
PER_PAGE = 100


class TrustpilotSource(ApiSource):
    """Public reviews of one Trustpilot business unit."""

    default_base = DEFAULT_BASE

    def headers(self, client: Fetcher) -> dict[str, str]:
        """The API key header."""
        return {"apikey": self.secret("api_key").reveal()}

    def summary(self, client: Fetcher, headers: dict[str, str]) -> AggregateRating | None:
        """The business unit's stated TrustScore and number of reviews."""
        data = self.get_json(client, f"{self.base}/v1/business-units/{quote(self.config.resource, safe='')}",
                             headers, "business unit")
        score = data.get("score") if isinstance(data.get("score"), dict) else {}
        total = data.get("numberOfReviews")
        return stated(score.get("trustScore"), total.get("total") if isinstance(total, dict) else total)

    def page_url(self, at: Any) -> str:
        """Reviews page `at` (1 when None), newest first."""
        query = {"perPage": PER_PAGE, "page": at or 1, "orderBy": "createdat.desc"}
        return f"{self.base}/v1/business-units/{quote(self.config.resource, safe='')}/reviews?{urlencode(query)}"

    def read(self, data: dict[str, Any], at: Any) -> ApiPage:
        """Reviews of one page and the next page number (None at the end)."""
        items = data.get("reviews") or []
        links = data.get("links") if isinstance(data.get("links"), list) else []
        more = any(isinstance(link, dict) and link.get("rel") == "next-page" for link in links)
        page = ApiPage(next=(at or 1) + 1 if isinstance(items, list) and items and (more or len(items) >= PER_PAGE)
                       else None)
        for number_, item in enumerate(items if isinstance(items, list) else [], 1):
            if isinstance(item, dict):
                page.add(self.review(item), f"{self.config.resource} page {at or 1} review {number_}")
        return page

    def review(self, item: dict[str, Any]) -> RawReview:
        """One Trustpilot review as a RawReview (stars are already 1–5)."""
        consumer = item.get("consumer") if isinstance(item.get("consumer"), dict) else {}
        stars = number(item.get("stars"))
        created = item.get("createdAt")
        links = item.get("links") if isinstance(item.get("links"), list) else []
        url = next((link.get("href") for link in links if isinstance(link, dict) and link.get("rel") == "reviews"
                    and str(link.get("href", "")).startswith("https://")), None)
        return RawReview(source=self.config.name, external_id=str(item["id"]) if item.get("id") else None,
                         text=review_text(item.get("text")), rating=stars if stars and 1 <= stars <= 5 else None,
                         author=clean_text(str(consumer.get("displayName") or ""), 200) or None,
                         title=clean_text(str(item.get("title") or ""), 500) or None, published=day(created),
                         published_raw=created if isinstance(created, str) else None, url=url)
