"""The shared, polite HTTP client every listing page and review API goes through.

Settings that drive it: `user_agent`, `http_delay_seconds`, `http_connect_timeout`, `http_read_timeout`,
`http_max_bytes`, `http_retries`, `http_backoff_seconds`, `http_max_retry_after`, `allow_private_addresses`,
`allowed_networks`.

For every `PoliteClient.get`, on every redirect hop (at most `MAX_REDIRECTS`):

1. Only http/https; the host must not resolve to a non-public address unless `allow_private_addresses`
   (`pipeline.net.guard`: checked before connecting and again on the peer of every new socket).
2. robots.txt is obeyed (`pipeline.net.robots`: cached per origin, RFC 9309 failure handling, `Crawl-delay`
   raises the per-host delay floor). It is fetched here, through the same checks, lock and delay as a page.
3. One request in flight per host (a lock per host name: sources run in parallel threads) and at least
   `http_delay_seconds` x uniform(0.5, 1.5) between the end of one request and the start of the next.
4. Connect/read timeouts on every request, the body streamed under a whole-exchange deadline of
   `http_connect_timeout + http_read_timeout` (a slow-drip server cannot hold a thread longer) and capped at
   `http_max_bytes` (a too-large Content-Length is refused before reading).
5. Retries: only timeouts, connection errors and `RETRY_STATUSES`, decided by the pure `retry_delay`
   (`pipeline.net.retry`).

Why our own retry loop and not urllib3's `Retry` (or tenacity): `Retry` would retry inside the connection
pool, below our per-host lock and delay, so a retry could jump the politeness queue; its Retry-After handling
sleeps by itself (`respect_retry_after_header`) and only raises after waiting, while we must give up at once
when Retry-After exceeds `http_max_retry_after`; and its decision is spread over a stateful object with a
history. A dozen-line loop around the pure `retry_delay` keeps the decision a table-testable function and
every wait visible to the injected `sleep`. We use urllib3 only for what it does well: pooling, and a hook
(`_new_conn`, in `pipeline.net.guard`) to vet the address of every socket.

Redirects are followed here, not by requests, so robots.txt and the address rule are re-checked per hop.
The session ignores proxy/netrc environment variables (`trust_env = False`) so the address rule holds.
Logs name URLs, statuses and waits, never bodies or request headers (API keys and tokens travel in headers,
never in URLs).

Review APIs (`get(..., api=True)`, `post_form`) skip robots.txt, which governs crawlers, not clients of a
documented API called with the practice's own credentials; everything else above still applies. Every
result and error carries `history`, each status met on the way (redirects, retries), for source health; an
error status keeps the start of its body (`ERROR_BODY_BYTES`) so a block page can be recognised.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.structures import CaseInsensitiveDict

from pipeline.errors import AddressRefused, FetchError, ResponseTooLarge
from pipeline.net.guard import GuardedAdapter, check_address
from pipeline.net.retry import RETRY_STATUSES, retry_after_seconds, retry_delay
from pipeline.net.robots import (
    ROBOTS_MAX_BYTES,
    ROBOTS_MAX_REDIRECTS,
    RobotsCache,
    RobotsResponse,
    RobotsUnreachable,
)
from pipeline.settings import Settings
from pipeline.text import decode_bytes

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 3
ERROR_BODY_BYTES = 65_536
_CHUNK = 16_384


@dataclass(frozen=True)
class FetchResult:
    """A successful (2xx) or not-modified (304) response, body fully read."""

    url: str  # final URL after redirects
    status: int  # 200..299, or 304 when the validators matched
    body: bytes  # b"" on 304
    headers: Mapping[str, str]  # case-insensitive
    encoding: str | None  # charset from Content-Type, if any
    history: tuple[int | str, ...] = ()  # every status met on the way (redirects, retries), this one last

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 to our validators."""
        return self.status == 304

    @property
    def validators(self) -> dict[str, str]:
        """The ETag / Last-Modified present, keyed "etag" / "last_modified", to pass to the next `get`."""
        found = {"etag": self.headers.get("ETag"), "last_modified": self.headers.get("Last-Modified")}
        return {key: value for key, value in found.items() if value}

    def text(self) -> str:
        """The body decoded with the declared charset (else UTF-8, else cp1252)."""
        return decode_bytes(self.body, self.encoding)


@dataclass
class _Host:
    """Politeness state of one host name: the lock that keeps one request in flight, and when the last ended."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float | None = None


@dataclass(frozen=True)
class _Raw:
    """One HTTP exchange: body read only for 2xx; `note` explains a give-up."""

    url: str
    status: int
    headers: CaseInsensitiveDict
    body: bytes = b""
    note: str = ""


class _Transient(Exception):
    """A timeout, broken connection or missed deadline: worth a retry."""


class PoliteClient:
    """HTTP GET with robots.txt, per-host politeness, retries, size and time caps, and an address guard."""

    def __init__(self, settings: Settings, *, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        """Build the client; `sleep`, `rng` and `clock` (politeness spacing, robots age) are injectable."""
        self._settings = settings
        self._sleep = sleep
        self._rng = rng if rng is not None else random.Random()
        self._clock = clock
        self._session = _new_session(settings)
        self._hosts: dict[str, _Host] = {}
        self._registry_lock = threading.Lock()
        self._robots = RobotsCache(settings.user_agent, self._fetch_robots, clock)

    def get(self, url: str, *, validators: dict[str, str] | None = None, accept: str | None = None,
            headers: dict[str, str] | None = None, api: bool = False) -> FetchResult:
        """Fetch a URL politely; raise FetchError (or a subclass) unless the answer is 2xx or a matching 304.

        `headers` are sent as given and never logged (API keys); `api` skips robots.txt (documented APIs only).
        """
        sent = {**(headers or {}), **_request_headers(validators, accept)}
        history: list[int | str] = []
        current = url
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                self._check_allowed(current, robots=not api)
                raw = self._with_retries(current, sent, history)
                target = _redirect_target(raw)
                if target is None:
                    return _result(raw, validators, history)
                logger.info("redirect %s -> %s (HTTP %d)", current, target, raw.status)
                current = target
            raise FetchError(url, f"more than {MAX_REDIRECTS} redirects (last to {current})", raw.status,
                             transient=False)
        except FetchError as exc:
            exc.history = tuple(history)
            raise

    def post_form(self, url: str, data: dict[str, str], *, accept: str = "application/json") -> FetchResult:
        """POST a form to an API (an OAuth token endpoint): no robots.txt, no redirects; FetchError unless 2xx.

        The form (secrets) is never logged, and never put in an error message.
        """
        history: list[int | str] = []
        try:
            _check_scheme(url)
            self._check_address(url)
            return _result(self._with_retries(url, {"Accept": accept}, history, data), None, history)
        except FetchError as exc:
            exc.history = tuple(history)
            raise

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- checks before a hop ------------------------------------------------------------------------------

    def _check_allowed(self, url: str, robots: bool = True) -> None:
        _check_scheme(url)
        self._check_address(url)
        if robots:
            self._robots.check(url)

    def _check_address(self, url: str) -> None:
        if not self._settings.allow_private_addresses:
            check_address(url, self._settings.allowed_networks)

    # -- fetching robots.txt (the cache and its rules are pipeline.net.robots) --------------------------------

    def _fetch_robots(self, robots_url: str) -> RobotsResponse:
        """robots.txt through the same checks, lock and delay as a page; RobotsUnreachable when it cannot be had."""
        try:
            raw = self._robots_response(robots_url)
        except AddressRefused:
            raise
        except (_Transient, FetchError) as exc:
            raise RobotsUnreachable(str(exc)) from exc
        text = decode_bytes(raw.body, _charset(raw.headers)) if 200 <= raw.status < 300 else ""
        return RobotsResponse(raw.status, text)

    def _robots_response(self, url: str) -> _Raw:
        for _hop in range(ROBOTS_MAX_REDIRECTS + 1):
            _check_scheme(url)
            self._check_address(url)
            raw = self._attempt(url, {"Accept": "text/plain"}, ROBOTS_MAX_BYTES, truncate=True)
            target = _redirect_target(raw)
            if target is None:
                return raw
            url = target
        return raw  # still redirecting: "unavailable", which RFC 9309 treats like a 4xx

    # -- retries, politeness, one exchange ----------------------------------------------------------------

    def _with_retries(self, url: str, headers: dict[str, str], history: list[int | str],
                      data: dict[str, str] | None = None) -> _Raw:
        attempt = 0
        while True:
            raw, failure = None, None
            try:
                raw = self._attempt(url, headers, self._settings.http_max_bytes, data=data)
                history.append(raw.status)
                if raw.status not in RETRY_STATUSES:
                    return raw
            except _Transient as exc:
                history.append("timeout" if "timed out" in str(exc) or "not finished" in str(exc) else "error")
                failure = exc
            attempt += 1
            wait = retry_delay(attempt, raw.status if raw else None, raw.headers if raw else {},
                               retries=self._settings.http_retries, backoff=self._settings.http_backoff_seconds,
                               max_retry_after=self._settings.http_max_retry_after, rng=self._rng)
            if wait is None:
                return self._give_up(url, raw, failure, attempt)
            logger.info("%s from %s: retry %d/%d in %.2f s", raw.status if raw else failure, url, attempt,
                        self._settings.http_retries, wait)
            self._sleep(wait)

    def _give_up(self, url: str, raw: _Raw | None, failure: Exception | None, attempts: int) -> _Raw:
        if raw is None:
            raise FetchError(url, f"{failure} (gave up after {attempts} attempt(s))", None, transient=True)
        after = retry_after_seconds(raw.headers)
        limit = self._settings.http_max_retry_after
        if after is not None and after > limit and attempts <= self._settings.http_retries:
            note = f"Retry-After {after:.0f} s is longer than http_max_retry_after ({limit:.0f} s)"
        else:
            note = f"gave up after {attempts} attempt(s)"
        return _Raw(raw.url, raw.status, raw.headers, raw.body, note)

    def _attempt(self, url: str, headers: dict[str, str], limit: int, truncate: bool = False,
                 data: dict[str, str] | None = None) -> _Raw:
        host = self._host(url)
        with host.lock:
            self._wait_turn(host, url)
            try:
                return self._exchange(url, headers, limit, truncate, data)
            finally:
                host.last = self._clock()

    def _host(self, url: str) -> _Host:
        with self._registry_lock:
            return self._hosts.setdefault((urlsplit(url).hostname or "").lower(), _Host())

    def _wait_turn(self, host: _Host, url: str) -> None:
        if host.last is None:
            return
        delay = max(self._robots.crawl_delay(url), self._settings.http_delay_seconds * self._rng.uniform(0.5, 1.5))
        wait = delay - (self._clock() - host.last)
        if wait > 0:
            logger.debug("waiting %.2f s before %s", wait, url)
            self._sleep(wait)

    def _exchange(self, url: str, headers: dict[str, str], limit: int, truncate: bool,
                  data: dict[str, str] | None = None) -> _Raw:
        timeouts = (self._settings.http_connect_timeout, self._settings.http_read_timeout)
        deadline = time.monotonic() + sum(timeouts)
        try:
            response = self._session.request("POST" if data is not None else "GET", url, headers=headers, data=data,
                                             timeout=timeouts, stream=True, allow_redirects=False)
        except requests.Timeout as exc:
            raise _Transient(f"timed out ({type(exc).__name__})") from exc
        except requests.ConnectionError as exc:
            raise _Transient(f"connection failed ({type(exc).__name__})") from exc
        except AddressRefused as exc:
            raise AddressRefused(url, exc.reason) from None
        except requests.RequestException as exc:
            raise FetchError(url, f"request failed: {exc}", transient=False) from exc
        with response:
            logger.debug("GET %s -> %d", url, response.status_code)
            body = b""
            if 200 <= response.status_code < 300:
                body = _read_body(url, response, deadline, limit, truncate, self._settings.http_read_timeout)
            elif response.status_code >= 400:
                body = _error_body(url, response, deadline, self._settings.http_read_timeout)
            return _Raw(url, response.status_code, CaseInsensitiveDict(response.headers), body)


# -- module helpers ---------------------------------------------------------------------------------------

def _read_body(url: str, response: requests.Response, deadline: float, limit: int, truncate: bool,
               read_timeout: float) -> bytes:
    """Stream the body under the deadline and the size cap (or cut it at the cap when `truncate`)."""
    declared = _declared_length(response.headers)
    if declared is not None and declared > limit and not truncate:
        raise ResponseTooLarge(url, limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Transient(f"download not finished within {read_timeout:g} s of reading (slow server)")
        _shrink_read_timeout(response.raw, min(read_timeout, remaining))
        chunk = _read_chunk(url, response.raw)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            if truncate:
                return b"".join(chunks) + chunk[: limit - (size - len(chunk))]
            raise ResponseTooLarge(url, limit)
        chunks.append(chunk)


def _error_body(url: str, response: requests.Response, deadline: float, read_timeout: float) -> bytes:
    """The start of an error response's body (a block page says what it is), or b"" when it cannot be had."""
    try:
        return _read_body(url, response, deadline, ERROR_BODY_BYTES, True, read_timeout)
    except (_Transient, FetchError):
        return b""


def _read_chunk(url: str, raw: urllib3.HTTPResponse) -> bytes:
    """Whatever bytes are available (read1 returns as soon as some arrive, so the deadline is rechecked)."""
    try:
        return raw.read1(_CHUNK, decode_content=True) or b""
    except urllib3.exceptions.DecodeError as exc:
        raise FetchError(url, f"could not decode the body: {exc}", transient=False) from exc
    except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
        raise _Transient("timed out reading the body") from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise _Transient(f"connection broken while reading ({type(exc).__name__})") from exc


def _shrink_read_timeout(raw: urllib3.HTTPResponse, seconds: float) -> None:
    """Bound the next socket read by the time left (urllib3 resets the timeout on the next request)."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(max(0.001, seconds))


def _declared_length(headers: Mapping[str, str]) -> int | None:
    value = headers.get("Content-Length", "")
    return int(value) if value.strip().isdigit() else None


def _result(raw: _Raw, validators: dict[str, str] | None, history: list[int | str]) -> FetchResult:
    """The FetchResult for a final response, or the FetchError it amounts to."""
    if raw.status == 304 and validators:
        headers = CaseInsensitiveDict(raw.headers)
        for name, key in (("ETag", "etag"), ("Last-Modified", "last_modified")):
            if key in validators and name not in headers:
                headers[name] = validators[key]  # a 304 may omit them; keep what still matches
        return FetchResult(raw.url, 304, b"", headers, _charset(headers), tuple(history))
    if 200 <= raw.status < 300:
        return FetchResult(raw.url, raw.status, raw.body, raw.headers, _charset(raw.headers), tuple(history))
    reason = f"HTTP {raw.status}" + (f" ({raw.note})" if raw.note else "")
    logger.info("%s: %s", raw.url, reason)
    raise FetchError(raw.url, reason, raw.status, transient=raw.status in RETRY_STATUSES, body=raw.body,
                     headers=dict(raw.headers))


def _request_headers(validators: dict[str, str] | None, accept: str | None) -> dict[str, str]:
    headers = {"Accept": accept} if accept else {}
    if validators and validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators and validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def _redirect_target(raw: _Raw) -> str | None:
    location = raw.headers.get("Location")
    return urljoin(raw.url, location) if raw.status in REDIRECT_STATUSES and location else None


def _check_scheme(url: str) -> None:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a malformed port
    except ValueError as exc:
        raise FetchError(url, f"not a valid URL: {exc}", transient=False) from exc
    if parts.scheme not in ("http", "https"):
        raise FetchError(url, f"only http and https URLs are fetched, not {parts.scheme or 'no'!r} scheme",
                         transient=False)
    if not parts.hostname:
        raise FetchError(url, "the URL has no host", transient=False)


def _charset(headers: Mapping[str, str]) -> str | None:
    content_type = headers.get("Content-Type")
    if not content_type:
        return None
    message = Message()
    message["Content-Type"] = content_type
    return message.get_content_charset()


# -- the session ------------------------------------------------------------------------------------------

def _new_session(settings: Settings) -> requests.Session:
    """The one shared session: our User-Agent, no environment proxies, the address guard unless allowed."""
    session = requests.Session()
    session.trust_env = False
    session.headers["User-Agent"] = settings.user_agent
    if not settings.allow_private_addresses:
        for prefix in ("http://", "https://"):
            session.mount(prefix, GuardedAdapter(settings.allowed_networks))
    return session
