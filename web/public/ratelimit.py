"""A per-client sliding-window limit on hosted review form submissions (setting `review_form_rate_limit`).

Kept in the process's memory: it is anti-automation for one public app, not an account system. Behind a
reverse proxy the client is the address the proxy forwards (uvicorn's --proxy-headers, trusted from
127.0.0.1 by default).
"""

from __future__ import annotations

import time
from collections import deque

MAX_CLIENTS = 50_000  # past this, clients with nothing in the window are forgotten


class RateLimiter:
    """At most `limit` accepted submissions per client in any `window` seconds."""

    def __init__(self, limit: int, window: float = 3600.0, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}

    def retry_after(self, client: str) -> int:
        """Seconds until this client may submit again; 0 when it may now."""
        now = self.clock()
        times = self._seen.get(client)
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times or len(times) < self.limit:
            return 0
        return max(1, int(times[0] + self.window - now) + 1)

    def record(self, client: str) -> None:
        """Count one accepted submission from this client."""
        if len(self._seen) >= MAX_CLIENTS:
            cutoff = self.clock() - self.window
            self._seen = {c: t for c, t in self._seen.items() if t and t[-1] > cutoff}
        self._seen.setdefault(client, deque()).append(self.clock())
