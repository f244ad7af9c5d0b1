"""Google Business Profile reviews of the practice's own, verified locations (`kind = "google_business_profile"`).

Settings (one `[[sources]]` table per location): `resource` = "accounts/{account}/locations/{location}" (the
location's resource name), `auth` = the OAuth client id and secret and a refresh token the practice granted with
the `https://www.googleapis.com/auth/business.manage` scope (from the environment, see README "Sources"),
`api_base` (default https://mybusiness.googleapis.com) and `token_url` (default Google's token endpoint).

Each sweep first trades the refresh token for an access token (kept in memory for this run only, never stored
or logged), then lists `GET {api_base}/v4/{resource}/reviews?pageSize=50&orderBy=updateTime desc`, following
`nextPageToken`. Newest updates come first, so a nightly sweep stops after `stop_after_known` known, unchanged
reviews; the full sweep reads every page. A review's id is its `reviewId`; its text the reviewer's own words
(for a review Google translated, the part after "(Original)"); `averageRating` and `totalReviewCount` are the
listing's stated summary. The owner's replies are not reviews and are not stored.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from pipeline.errors import ConfigError, CredentialsRejected, FetchError, SourceUnavailable
from pipeline.models import RawReview
from pipeline.sources.apis.common import ApiPage, ApiSource, day, review_text, stated
from pipeline.sources.base import Fetcher
from pipeline.text import clean_text

DEFAULT_BASE = "https://mybusiness.googleapis.com"
DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token"
PAGE_SIZE = 50
STARS = {"ONE": 1.0, "TWO": 2.0, "THREE": 3.0, "FOUR": 4.0, "FIVE": 5.0}
_ORIGINAL = "(Original)"
_TRANSLATED = "(Translated by Google)"


class GoogleBusinessProfileSource(ApiSource):
    """Reviews of one verified location through the Business Profile API (owner access)."""

    default_base = DEFAULT_BASE

    def __init__(self, config, max_pages: int = 20):
        super().__init__(config, max_pages)
        if not config.resource.startswith("accounts/") or "/locations/" not in config.resource:
            raise ConfigError(f"source {config.name!r}: resource must look like \"accounts/123/locations/456\" "
                              f"(the location's resource name), not {config.resource!r}")
        self.token_url = config.token_url or DEFAULT_TOKEN_URL

    def headers(self, client: Fetcher) -> dict[str, str]:
        """An Authorization header with a fresh access token from the refresh token."""
        form = {"client_id": self.secret("client_id").reveal(), "client_secret": self.secret("client_secret").reveal(),
                "refresh_token": self.secret("refresh_token").reveal(), "grant_type": "refresh_token"}
        try:
            result = client.post_form(self.token_url, form)
        except FetchError as exc:
            raise self._token_failure(exc) from exc
        token = self.decode(result.body, "token").get("access_token")
        if not isinstance(token, str) or not token:
            raise SourceUnavailable(self.config.name, "token: Google's answer has no access_token")
        return {"Authorization": f"Bearer {token}"}

    def _token_failure(self, exc: FetchError) -> SourceUnavailable:
        failure = self.failure("token", exc)
        if exc.status in (400, 401):  # invalid_grant: the refresh token expired or was revoked
            origin = self.config.auth["refresh_token"].origin
            return CredentialsRejected(self.config.name, f"{failure.reason}; Google refused the refresh token from "
                                                         f"{origin}: authorise Plaudit again and replace it")
        return failure

    def page_url(self, at: Any) -> str:
        """The reviews page after `at` (a nextPageToken), newest updates first."""
        query = {"pageSize": PAGE_SIZE, "orderBy": "updateTime desc", **({"pageToken": at} if at else {})}
        return f"{self.base}/v4/{quote(self.config.resource, safe='/')}/reviews?{urlencode(query)}"

    def read(self, data: dict[str, Any], at: Any) -> ApiPage:
        """Reviews of one page, the next page token, and (on the first page) the stated summary."""
        token = data.get("nextPageToken")
        page = ApiPage(next=token if isinstance(token, str) and token else None)
        if at is None:
            page.aggregate = stated(data.get("averageRating"), data.get("totalReviewCount"))
        items = data.get("reviews") or []
        if not isinstance(items, list):
            raise SourceUnavailable(self.config.name, "reviews: 'reviews' is not a list; has the API changed?")
        for number, item in enumerate(items, 1):
            if isinstance(item, dict):
                page.add(self.review(item), f"{self.config.resource} page review {number}")
        return page

    def review(self, item: dict[str, Any]) -> RawReview:
        """One Review resource as a RawReview."""
        reviewer = item.get("reviewer") if isinstance(item.get("reviewer"), dict) else {}
        name = None if reviewer.get("isAnonymous") else clean_text(str(reviewer.get("displayName") or ""), 200)
        created = item.get("createTime")
        review_id = item.get("reviewId") or str(item.get("name") or "").rsplit("/", 1)[-1] or None
        return RawReview(source=self.config.name, external_id=review_id, text=original_words(item.get("comment")),
                         rating=STARS.get(str(item.get("starRating"))), author=name or None,
                         published=day(created), published_raw=created if isinstance(created, str) else None)


def original_words(comment: Any) -> str:
    """The reviewer's own words: for a comment Google translated, the text after "(Original)"."""
    text = comment if isinstance(comment, str) else ""
    if _ORIGINAL in text:
        text = text.split(_ORIGINAL, 1)[1]
    return review_text(text.replace(_TRANSLATED, ""))
