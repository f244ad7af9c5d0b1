"""robots.txt for the polite client: one cached verdict per origin, RFC 9309 failure handling, Crawl-delay.

Setting that drives it: `user_agent` (the robots.txt group whose rules and `Crawl-delay` apply). The fetch
itself is the client's (`PoliteClient` passes it in): robots.txt goes through the same address guard, per-host
lock and delay as any page, follows up to `ROBOTS_MAX_REDIRECTS` redirects (RFC 9309 2.3.1.2) and is cut at
`ROBOTS_MAX_BYTES`.

robots.txt (parsed by Protego) is fetched once per scheme+host+port and cached `ROBOTS_TTL` (24 h).
RFC 9309: 4xx means no rules; 5xx, 429, a timeout or a connection error means the whole host is disallowed
(cached `ROBOTS_FAILURE_TTL`, about one run). `Crawl-delay` for our User-Agent raises the per-host delay
floor (capped at `MAX_CRAWL_DELAY`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from pipeline.errors import RobotsDisallowed

logger = logging.getLogger(__name__)

ROBOTS_MAX_REDIRECTS = 5  # RFC 9309 2.3.1.2: follow at least five
ROBOTS_TTL = 24 * 3600.0
ROBOTS_FAILURE_TTL = 600.0  # an unreachable robots.txt skips the host for this run, then is asked again
ROBOTS_MAX_BYTES = 512_000  # RFC 9309 2.5: parse at least 500 KiB; the rest is ignored, not an error
MAX_CRAWL_DELAY = 60.0


class RobotsUnreachable(Exception):
    """robots.txt could not be fetched at all (timeout, connection error, bad URL); raised by the fetch."""


@dataclass(frozen=True)
class RobotsResponse:
    """What the fetch got at /robots.txt after redirects: the status and, for a 2xx, the decoded text."""

    status: int
    text: str = ""


@dataclass(frozen=True)
class Robots:
    """A host's robots.txt verdict: rules (None = allow all), or a reason the whole host is disallowed."""

    rules: Protego | None
    refusal: str | None
    crawl_delay: float
    expires: float

    def check(self, url: str, user_agent: str) -> None:
        """Raise RobotsDisallowed unless this verdict lets `user_agent` fetch `url`."""
        if self.refusal:
            raise RobotsDisallowed(url, self.refusal)
        if self.rules is not None and not self.rules.can_fetch(url, user_agent):
            logger.info("robots.txt disallows %s", url)
            raise RobotsDisallowed(url)


def robots_verdict(robots_url: str, response: RobotsResponse, user_agent: str, now: float) -> Robots:
    """The RFC 9309 verdict on a fetched robots.txt: 5xx/429 disallow the host, other non-2xx allow all."""
    if response.status >= 500 or response.status == 429:
        return unreachable_verdict(robots_url, f"HTTP {response.status}", now)
    expires = now + ROBOTS_TTL
    if not 200 <= response.status < 300:
        logger.info("robots.txt %s: HTTP %d, no rules", robots_url, response.status)
        return Robots(None, None, 0.0, expires)
    rules = Protego.parse(response.text)
    delay = min(float(rules.crawl_delay(user_agent) or 0.0), MAX_CRAWL_DELAY)
    logger.info("robots.txt %s: HTTP %d, crawl delay %.1f s", robots_url, response.status, delay)
    return Robots(rules, None, delay, expires)


def unreachable_verdict(robots_url: str, why: str, now: float) -> Robots:
    """The verdict when robots.txt cannot be had: the whole host disallowed for `ROBOTS_FAILURE_TTL`."""
    logger.warning("robots.txt %s unreachable (%s): host disallowed for now", robots_url, why)
    reason = f"robots.txt unreachable ({why}); RFC 9309 treats the whole host as disallowed"
    return Robots(None, reason, 0.0, now + ROBOTS_FAILURE_TTL)


def origin(url: str) -> str:
    """The URL's scheme://host[:port], lower-cased and without credentials: what one robots.txt covers."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1].lower()}"


class RobotsCache:
    """robots.txt verdicts by origin, each fetched once per TTL even when several threads ask at once."""

    def __init__(self, user_agent: str, fetch: Callable[[str], RobotsResponse],
                 clock: Callable[[], float]) -> None:
        """`fetch(robots_url)` returns a RobotsResponse or raises RobotsUnreachable; `clock` ages the cache."""
        self._user_agent = user_agent
        self._fetch = fetch
        self._clock = clock
        self._verdicts: dict[str, Robots] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._registry_lock = threading.Lock()

    def check(self, url: str) -> None:
        """Raise RobotsDisallowed unless the URL's robots.txt lets our User-Agent fetch it."""
        self.verdict(url).check(url, self._user_agent)

    def verdict(self, url: str) -> Robots:
        """The cached verdict for the URL's origin, fetched first when absent or expired."""
        key = origin(url)
        with self._registry_lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one fetch per origin even when several threads ask at once
            cached = self._verdicts.get(key)
            if cached is None or cached.expires <= self._clock():
                cached = self._verdicts[key] = self._load(key + "/robots.txt")
            return cached

    def crawl_delay(self, url: str) -> float:
        """The Crawl-delay already known for the URL's origin (0 when none); never fetches."""
        cached = self._verdicts.get(origin(url))
        return cached.crawl_delay if cached else 0.0

    def _load(self, robots_url: str) -> Robots:
        try:
            response = self._fetch(robots_url)
        except RobotsUnreachable as exc:
            return unreachable_verdict(robots_url, str(exc), self._clock())
        return robots_verdict(robots_url, response, self._user_agent, self._clock())
