"""The polite HTTP client against a real server on 127.0.0.1: robots.txt, politeness, retries, caps, guards.

Time never passes for real in the politeness and retry logic: the client gets a fake clock whose `sleep`
records the wait and advances the clock. Only the timeout tests spend real (sub-second) time.
"""

from __future__ import annotations

import email.utils
import random
import socket
import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipeline.net.guard as netguard
from pipeline.errors import AddressRefused, FetchError, ResponseTooLarge, RobotsDisallowed
from pipeline.net.client import FetchResult, PoliteClient
from pipeline.net.retry import RETRY_STATUSES, retry_delay
from pipeline.settings import load_settings
from tests.localserver import LocalServer, Response

UA = "PlauditTestBot/1.0 (+https://example.org/bot; bot@example.org)"


class FakeTime:
    """A clock that only moves when the client sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


@pytest.fixture(autouse=True)
def _no_config_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # load_settings must not pick up a plaudit.toml from the checkout


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def make_client(fake_time: FakeTime, **overrides: Any) -> PoliteClient:
    values: dict[str, Any] = dict(user_agent=UA, allow_private_addresses=True, http_delay_seconds=0.01,
                                  http_connect_timeout=1.0, http_read_timeout=1.0, http_retries=2,
                                  http_backoff_seconds=0.01, http_max_retry_after=120.0)
    values.update(overrides)
    settings = load_settings(env={}, **values)
    return PoliteClient(settings, sleep=fake_time.sleep, rng=random.Random(7), clock=fake_time.clock)


@pytest.fixture
def client(fake_time):
    with make_client(fake_time) as polite:
        yield polite


# -- identity and robots.txt ---------------------------------------------------------------------------------

def test_user_agent_sent_on_robots_and_page(local_server, client):
    local_server.route("/page", body=b"hello")
    assert client.get(local_server.url("/page")).body == b"hello"
    paths = [(r.path, r.headers.get("user-agent")) for r in local_server.requests]
    assert paths == [("/robots.txt", UA), ("/page", UA)]


def test_accept_header_sent_when_given(local_server, client):
    local_server.route("/api", body=b"{}", headers={"Content-Type": "application/json"})
    client.get(local_server.url("/api"), accept="application/json")
    assert local_server.requests_for("/api")[0].headers.get("Accept") == "application/json"


def test_robots_disallow_refuses_and_never_requests_page(local_server, client):
    local_server.route("/robots.txt", body=b"User-agent: *\nDisallow: /private\n")
    local_server.route("/private/page", body=b"secret")
    with pytest.raises(RobotsDisallowed) as caught:
        client.get(local_server.url("/private/page"))
    assert caught.value.transient is False
    assert local_server.requests_for("/private/page") == []


def test_robots_rules_for_our_user_agent_apply(local_server, client):
    local_server.route("/robots.txt", body=b"User-agent: PlauditTestBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    local_server.route("/page", body=b"x")
    with pytest.raises(RobotsDisallowed):
        client.get(local_server.url("/page"))


def test_robots_404_allows_everything(local_server, client):
    local_server.route("/robots.txt", status=404)
    local_server.route("/anything", body=b"ok")
    assert client.get(local_server.url("/anything")).status == 200


@pytest.mark.parametrize("status", [500, 503, 429])
def test_robots_server_error_disallows_whole_host(local_server, client, status):
    local_server.route("/robots.txt", status=status)
    local_server.route("/a", body=b"a")
    local_server.route("/b", body=b"b")
    for path in ("/a", "/b"):
        with pytest.raises(RobotsDisallowed, match="robots.txt unreachable"):
            client.get(local_server.url(path))
    assert [r.path for r in local_server.requests] == ["/robots.txt"]  # asked once, pages never


def test_robots_timeout_disallows_whole_host(local_server, fake_time):
    local_server.route("/robots.txt", body=b"", delay=1.0)
    local_server.route("/page", body=b"x")
    with make_client(fake_time, http_read_timeout=0.2) as polite:
        with pytest.raises(RobotsDisallowed, match="unreachable"):
            polite.get(local_server.url("/page"))
    assert local_server.requests_for("/page") == []


def test_robots_fetched_once_and_again_after_a_day(local_server, client, fake_time):
    local_server.route("/robots.txt", body=b"User-agent: *\nAllow: /\n")
    local_server.route("/page", body=b"x")
    client.get(local_server.url("/page"))
    client.get(local_server.url("/page"))
    assert len(local_server.requests_for("/robots.txt")) == 1
    fake_time.now += 24 * 3600 + 1
    client.get(local_server.url("/page"))
    assert len(local_server.requests_for("/robots.txt")) == 2


def test_crawl_delay_raises_the_per_host_delay(local_server, client, fake_time):
    local_server.route("/robots.txt", body=b"User-agent: *\nCrawl-delay: 5\n")
    local_server.route("/page", body=b"x")
    client.get(local_server.url("/page"))
    assert fake_time.sleeps == [pytest.approx(5.0)]  # between robots.txt and the page


def test_delay_between_requests_is_jittered_around_the_setting(local_server, fake_time):
    local_server.route("/page", body=b"x")
    with make_client(fake_time, http_delay_seconds=2.0) as polite:
        for _ in range(5):
            polite.get(local_server.url("/page"))
    assert len(fake_time.sleeps) == 5  # robots.txt + 5 pages = 5 gaps
    assert all(1.0 <= s <= 3.0 for s in fake_time.sleeps)
    assert len(set(fake_time.sleeps)) > 1


# -- retries ----------------------------------------------------------------------------------------------

def test_503_then_200_succeeds_after_one_retry(local_server, client):
    local_server.route_sequence("/page", [Response(503), Response(200, b"fine")])
    assert client.get(local_server.url("/page")).body == b"fine"
    assert len(local_server.requests_for("/page")) == 2


def test_429_retry_after_is_honoured(local_server, client, fake_time):
    local_server.route_sequence("/page", [Response(429, headers={"Retry-After": "2"}), Response(200, b"ok")])
    assert client.get(local_server.url("/page")).body == b"ok"
    assert max(fake_time.sleeps) >= 2.0


def test_retry_after_longer_than_cap_gives_up_without_waiting(local_server, client, fake_time):
    local_server.route("/page", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match="Retry-After") as caught:
        client.get(local_server.url("/page"))
    assert (caught.value.status, caught.value.transient) == (429, True)
    assert len(local_server.requests_for("/page")) == 1
    assert all(s < 1.0 for s in fake_time.sleeps)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_client_errors_are_not_retried(local_server, client, status):
    local_server.route("/page", status=status)
    with pytest.raises(FetchError) as caught:
        client.get(local_server.url("/page"))
    assert (caught.value.status, caught.value.transient) == (status, False)
    assert len(local_server.requests_for("/page")) == 1


def test_retries_exhausted_raise_transient_fetch_error(local_server, client):
    local_server.route("/page", status=503)
    with pytest.raises(FetchError, match="gave up after 3") as caught:
        client.get(local_server.url("/page"))
    assert (caught.value.status, caught.value.transient) == (503, True)
    assert len(local_server.requests_for("/page")) == 3  # first try + http_retries=2


def test_read_timeout_is_retried_then_fails(local_server, fake_time):
    local_server.route("/slow", body=b"late", delay=1.0)
    with make_client(fake_time, http_read_timeout=0.15, http_retries=1) as polite:
        with pytest.raises(FetchError, match="timed out") as caught:
            polite.get(local_server.url("/slow"))
    assert (caught.value.status, caught.value.transient) == (None, True)
    assert len(local_server.requests_for("/slow")) == 2


def test_broken_connection_mid_body_is_retried(local_server, client):
    short = Response(200, b"only part", headers={"Content-Length": "100"})  # closes before 100 bytes
    local_server.route_sequence("/page", [short, Response(200, b"complete")])
    assert client.get(local_server.url("/page")).body == b"complete"
    assert len(local_server.requests_for("/page")) == 2


def test_unreachable_host_is_disallowed_by_its_robots_txt(fake_time):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with make_client(fake_time) as polite:
        with pytest.raises(RobotsDisallowed, match="robots.txt unreachable"):
            polite.get(f"http://127.0.0.1:{port}/page")


# -- conditional requests ---------------------------------------------------------------------------------

def test_etag_and_last_modified_round_trip_to_304(local_server, client):
    etag, modified = '"v1"', "Wed, 21 Oct 2015 07:28:00 GMT"

    def handler(request):
        if request.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"ETag": etag, "Last-Modified": modified}, b"<p>reviews</p>"

    local_server.route_handler("/reviews", handler)
    first = client.get(local_server.url("/reviews"))
    assert (first.status, first.body, first.not_modified) == (200, b"<p>reviews</p>", False)
    assert first.validators == {"etag": etag, "last_modified": modified}
    second = client.get(local_server.url("/reviews"), validators=first.validators)
    assert (second.status, second.body, second.not_modified) == (304, b"", True)
    assert second.validators == first.validators  # Last-Modified kept though the 304 omitted it
    sent = local_server.requests_for("/reviews")[1].headers
    assert (sent.get("If-None-Match"), sent.get("If-Modified-Since")) == (etag, modified)


def test_304_without_validators_is_an_error(local_server, client):
    local_server.route("/page", status=304)
    with pytest.raises(FetchError):
        client.get(local_server.url("/page"))


def test_text_uses_declared_charset(local_server, client):
    local_server.route("/page", body="café".encode("latin-1"), headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    result = client.get(local_server.url("/page"))
    assert isinstance(result, FetchResult)
    assert (result.encoding, result.text()) == ("iso-8859-1", "café")
    assert result.headers["content-type"] == "text/html; charset=ISO-8859-1"  # case-insensitive


# -- size and time caps ----------------------------------------------------------------------------------

def _chunked(body: bytes, size: int = 1000) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


@pytest.mark.parametrize("headers, body", [
    ({}, b"x" * 5_000),  # honest Content-Length over the cap: refused before reading
    ({"Content-Length": None}, b"x" * 5_000),  # no length, body delimited by closing the connection
    ({"Content-Length": "ten"}, b"x" * 5_000),  # unreadable length
    ({"Content-Length": "10", "Transfer-Encoding": "chunked"}, _chunked(b"x" * 5_000)),  # length lies
], ids=["declared", "missing", "invalid", "lying"])
def test_oversize_body_raises_response_too_large(local_server, fake_time, headers, body):
    local_server.route("/big", body=body, headers=headers)
    with make_client(fake_time, http_max_bytes=1_000) as polite:
        with pytest.raises(ResponseTooLarge) as caught:
            polite.get(local_server.url("/big"))
    assert caught.value.transient is False
    assert len(local_server.requests_for("/big")) == 1


def test_body_at_the_cap_is_accepted(local_server, fake_time):
    local_server.route("/exact", body=b"y" * 1_000, headers={"Content-Length": None})
    with make_client(fake_time, http_max_bytes=1_000) as polite:
        assert len(polite.get(local_server.url("/exact")).body) == 1_000


def test_slow_drip_body_stops_at_the_deadline(local_server, fake_time):
    local_server.route("/drip", body=b"z" * 400, drip=0.02)  # 8 s if read to the end
    with make_client(fake_time, http_connect_timeout=0.1, http_read_timeout=0.3, http_retries=0) as polite:
        with pytest.raises(FetchError, match="not finished") as caught:
            polite.get(local_server.url("/drip"))
    assert caught.value.transient is True


# -- redirects ------------------------------------------------------------------------------------------

def test_redirect_is_followed(local_server, client):
    local_server.route("/old", status=301, headers={"Location": "/new"})
    local_server.route("/new", body=b"moved here")
    result = client.get(local_server.url("/old"))
    assert (result.url, result.body) == (local_server.url("/new"), b"moved here")


def test_redirect_to_disallowed_path_is_refused(local_server, client):
    local_server.route("/robots.txt", body=b"User-agent: *\nDisallow: /private\n")
    local_server.route("/go", status=302, headers={"Location": "/private/x"})
    local_server.route("/private/x", body=b"secret")
    with pytest.raises(RobotsDisallowed):
        client.get(local_server.url("/go"))
    assert local_server.requests_for("/private/x") == []


def test_redirect_to_another_host_checks_that_hosts_robots(local_server, client):
    with LocalServer() as other:
        other.route("/robots.txt", body=b"User-agent: *\nDisallow: /\n")
        other.route("/landing", body=b"x")
        local_server.route("/out", status=307, headers={"Location": other.url("/landing")})
        with pytest.raises(RobotsDisallowed):
            client.get(local_server.url("/out"))
        assert [r.path for r in other.requests] == ["/robots.txt"]


def test_too_many_redirects(local_server, client):
    for i in range(5):
        local_server.route(f"/hop{i}", status=302, headers={"Location": f"/hop{i + 1}"})
    with pytest.raises(FetchError, match="more than 3 redirects") as caught:
        client.get(local_server.url("/hop0"))
    assert caught.value.transient is False
    assert len([r for r in local_server.requests if r.path.startswith("/hop")]) == 4


def test_redirect_to_other_scheme_is_refused(local_server, client):
    local_server.route("/file", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="only http and https"):
        client.get(local_server.url("/file"))


# -- address guard ---------------------------------------------------------------------------------------

@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if anything opens a TCP connection."""
    def refuse(self, address):
        raise AssertionError(f"unexpected connection to {address}")
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("url", ["http://[::ffff:10.0.0.1]/", "http://169.254.169.254/latest/meta-data/",
                                 "http://10.0.0.1/", "http://100.64.0.1/", "https://[::1]/", "http://0.0.0.0/",
                                 "http://224.0.0.1/", "http://[fe80::1]/", "http://localhost/"])
def test_private_addresses_refused_without_connecting(fake_time, no_connections, url):
    with make_client(fake_time, allow_private_addresses=False) as polite:
        with pytest.raises(AddressRefused) as caught:
            polite.get(url)
    assert caught.value.transient is False


def test_loopback_server_refused_unless_allowed(local_server, fake_time):
    local_server.route("/page", body=b"x")
    with make_client(fake_time, allow_private_addresses=False) as polite:
        with pytest.raises(AddressRefused, match="loopback"):
            polite.get(local_server.url("/page"))
    assert local_server.requests == []


def test_dns_answer_changing_before_connect_is_caught(local_server, fake_time, monkeypatch):
    # DNS rebinding: the check sees a public address, the connection then lands on loopback.
    public = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", local_server.port))]
    monkeypatch.setattr(netguard, "_resolve", lambda *args, **kwargs: public)
    with make_client(fake_time, allow_private_addresses=False) as polite:
        with pytest.raises(AddressRefused, match="connected to a loopback"):
            polite.get(f"http://localhost:{local_server.port}/page")
    assert local_server.requests == []


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "http:///nohost", "http://h:99999/"])
def test_only_http_and_https_urls(client, no_connections, url):
    with pytest.raises(FetchError) as caught:
        client.get(url)
    assert caught.value.transient is False


# -- concurrency -----------------------------------------------------------------------------------------

def _run_threads(count: int, target) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:  # noqa: BLE001 (reported to the test)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return errors


def test_one_request_in_flight_per_host(local_server, client):
    lock, state = threading.Lock(), {"now": 0, "max": 0}

    def handler(_request):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        threading.Event().wait(0.05)  # hold the request open so overlaps would show
        with lock:
            state["now"] -= 1
        return 200, {}, b"ok"

    for i in range(4):
        local_server.route_handler(f"/p{i}", handler)
    errors = _run_threads(4, lambda i: client.get(local_server.url(f"/p{i}")))
    assert errors == []
    assert state["max"] == 1
    assert len(local_server.requests_for("/robots.txt")) == 1


def test_different_hosts_are_fetched_in_parallel(local_server, client):
    both_in_flight = threading.Barrier(2, timeout=5)

    def handler(_request):
        both_in_flight.wait()  # only passes if the two hosts' requests overlap
        return 200, {}, b"ok"

    local_server.route_handler("/p", handler)
    urls = [local_server.url("/p"), f"http://localhost:{local_server.port}/p"]  # two host names
    errors = _run_threads(2, lambda i: client.get(urls[i]))
    assert errors == []


# -- retry_delay, the pure decision ---------------------------------------------------------------------

HTTP_DATE = "Wed, 21 Oct 2015 07:28:00 GMT"
HTTP_DATE_EPOCH = email.utils.parsedate_to_datetime(HTTP_DATE).timestamp()


@pytest.mark.parametrize("attempt, status, headers, retries, expected", [
    (1, 503, {}, 2, (0.5, 1.5)),  # backoff 1 s jittered 0.5-1.5x
    (2, 503, {}, 2, (1.0, 3.0)),  # doubled
    (3, 503, {}, 2, None),  # beyond the budget
    (1, 503, {}, 0, None),  # no retries configured
    (0, 503, {}, 2, None),
    (1, None, {}, 2, (0.5, 1.5)),  # timeout / connection error
    (1, 404, {}, 2, None),
    (1, 400, {}, 2, None),
    (1, 401, {}, 2, None),
    (1, 403, {}, 2, None),
    (1, 410, {}, 2, None),
    (1, 200, {}, 2, None),
    (1, 429, {"Retry-After": "7"}, 2, (7.0, 7.0)),
    (1, 429, {"retry-after": "3600"}, 2, None),  # longer than max_retry_after: give up now
    (1, 503, {"Retry-After": HTTP_DATE}, 2, (30.0, 30.0)),  # now = date - 30 s
    (1, 503, {"Retry-After": "Mon, 01 Jan 2001 00:00:00 GMT"}, 2, (0.5, 1.5)),  # past date: backoff
    (1, 503, {"Retry-After": "soon"}, 2, (0.5, 1.5)),  # unreadable: backoff
    (1, 503, {"Retry-After": "9" * 400}, 2, None),  # absurdly long: give up
    (30, 502, {}, 40, (60.0 * 0.5, 60.0)),  # capped at MAX_BACKOFF
])
def test_retry_delay_table(attempt, status, headers, retries, expected):
    wait = retry_delay(attempt, status, headers, retries=retries, backoff=1.0, max_retry_after=120.0,
                       rng=random.Random(3), now=HTTP_DATE_EPOCH - 30)
    if expected is None:
        assert wait is None
    else:
        assert wait is not None and expected[0] <= wait <= expected[1]


@given(attempt=st.integers(min_value=-2, max_value=12),
       status=st.one_of(st.none(), st.sampled_from(sorted(RETRY_STATUSES)), st.integers(100, 599)),
       retry_after=st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)),
       retries=st.integers(min_value=0, max_value=6),
       backoff=st.floats(min_value=0, max_value=100, allow_nan=False),
       cap=st.floats(min_value=0, max_value=1_000, allow_nan=False),
       seed=st.integers(0, 2**32))
def test_retry_delay_properties(attempt, status, retry_after, retries, backoff, cap, seed):
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    wait = retry_delay(attempt, status, headers, retries=retries, backoff=backoff, max_retry_after=cap,
                       rng=random.Random(seed))
    if attempt < 1 or attempt > retries or (status is not None and status not in RETRY_STATUSES):
        assert wait is None
    elif retry_after is not None and retry_after > cap:
        assert wait is None
    else:
        assert wait is not None and wait >= 0
        if retry_after is not None:
            assert wait >= retry_after
