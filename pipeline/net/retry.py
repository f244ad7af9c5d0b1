"""The retry decision for HTTP requests: whether to retry, and after how long. Pure, so it is table-tested.

Settings that drive it (passed in by `pipeline.net.client.PoliteClient`): `http_retries`, `http_backoff_seconds`,
`http_max_retry_after`.

Only timeouts, connection errors and `RETRY_STATUSES` (408, 429, 5xx) are retried. The wait is exponential
backoff with 0.5-1.5x jitter, capped at `MAX_BACKOFF`, and honours `Retry-After` (delay-seconds or an
HTTP-date); a `Retry-After` longer than `http_max_retry_after` means give up at once rather than wait.
"""

from __future__ import annotations

import email.utils
import random
import re
import time
from collections.abc import Mapping
from datetime import timezone

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
MAX_BACKOFF = 60.0


def retry_delay(attempt: int, status: int | None, headers: Mapping[str, str], *, retries: int, backoff: float,
                max_retry_after: float, rng: random.Random, now: float | None = None) -> float | None:
    """Seconds to wait before retry number `attempt` (1-based), or None: do not retry.

    `status` None means a timeout or connection error. The wait is `backoff * 2**(attempt-1)` jittered
    0.5-1.5x and capped at `MAX_BACKOFF`, raised to Retry-After when the response has one; a Retry-After
    longer than `max_retry_after` means give up now. `now` (epoch seconds) dates an HTTP-date Retry-After.
    """
    if attempt < 1 or attempt > retries:
        return None
    if status is not None and status not in RETRY_STATUSES:
        return None
    wait = min(MAX_BACKOFF, max(0.0, backoff) * 2.0 ** min(attempt - 1, 32) * rng.uniform(0.5, 1.5))
    after = retry_after_seconds(headers, now)
    if after is None:
        return wait
    if after > max_retry_after:
        return None
    return max(wait, after)


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The Retry-After header (delay-seconds or HTTP-date) as seconds from `now`; None if absent or unreadable."""
    value = _header(headers, "Retry-After")
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]+", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive lookup that works on plain dicts too."""
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)
