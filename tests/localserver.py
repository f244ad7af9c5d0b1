"""A real HTTP server on 127.0.0.1 for tests: register responses per path, inspect the requests it received.

Built on the standard library's `ThreadingHTTPServer`, run in a daemon thread, so tests exercise the real
client stack (sockets, headers, timeouts) without leaving the machine. Unknown paths answer 404.

    server.route("/robots.txt", body=b"User-agent: *\\nDisallow: /private\\n")
    server.route_sequence("/page", [Response(503), Response(200, b"ok")])
    server.route_handler("/etag", lambda req: (304, {}, b"") if req.headers.get("If-None-Match") else ...)
    server.route("/slow", body=b"x" * 100, drip=0.05)   # one byte every 50 ms

Use the `local_server` fixture (import it into a test module, or re-export it from a conftest).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple

import pytest

__all__ = ["LocalServer", "RecordedRequest", "Response", "local_server"]


class RecordedRequest(NamedTuple):
    """One request the server received; `headers` is case-insensitive (`headers.get("user-agent")`)."""

    method: str
    path: str  # as sent, query string included
    headers: Message
    body: bytes = b""  # POST bodies (webhooks)


@dataclass(frozen=True)
class Response:
    """A canned response.

    `headers` values of None drop a default header (e.g. `{"Content-Length": None}` sends the body with no
    length, delimited by closing the connection). `delay` waits before the status line; `drip` writes the body
    `chunk` bytes at a time with `drip` seconds between writes (a slow-drip server).
    """

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str | None] = field(default_factory=dict)
    delay: float = 0.0
    drip: float = 0.0
    chunk: int = 1


Handler = Callable[[RecordedRequest], "Response | tuple[int, Mapping[str, str | None], bytes]"]


class LocalServer:
    """A threaded HTTP/1.0 server on 127.0.0.1 with per-path canned or computed responses."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._routes: dict[str, Handler] = {}
        self.requests: list[RecordedRequest] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="localserver", daemon=True)  # short poll: stop() returns fast

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        return self._httpd.server_address[1]

    @property
    def base(self) -> str:
        """The server's origin, e.g. http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        """Absolute URL of a path on this server."""
        return self.base + (path if path.startswith("/") else "/" + path)

    def start(self) -> LocalServer:
        """Start serving in a background daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        self._httpd.shutdown()
        self._httpd.server_close()

    def route(self, path: str, status: int = 200, body: bytes = b"", headers: Mapping[str, str | None] | None = None,
              delay: float = 0.0, drip: float = 0.0, chunk: int = 1) -> None:
        """Answer every request for `path` with the same response."""
        response = Response(status, body, dict(headers or {}), delay, drip, chunk)
        self.route_handler(path, lambda _request: response)

    def route_sequence(self, path: str, responses: list[Response | dict[str, Any]]) -> None:
        """Answer successive requests for `path` with these responses in order; the last one then repeats."""
        queue = [r if isinstance(r, Response) else Response(**r) for r in responses]
        if not queue:
            raise ValueError("route_sequence needs at least one response")
        position = iter(range(len(queue)))

        def next_response(_request: RecordedRequest) -> Response:
            with self._lock:
                return queue[next(position, len(queue) - 1)]

        self.route_handler(path, next_response)

    def route_handler(self, path: str, handler: Handler) -> None:
        """Compute the response for `path` with `handler(request) -> Response | (status, headers, body)`."""
        with self._lock:
            self._routes[path] = handler

    def requests_for(self, path: str) -> list[RecordedRequest]:
        """Recorded requests whose path (query string ignored unless given) is `path`."""
        with self._lock:
            return [r for r in self.requests if r.path == path or r.path.split("?", 1)[0] == path]

    def _record(self, request: RecordedRequest) -> Handler | None:
        with self._lock:
            self.requests.append(request)
            return self._routes.get(request.path) or self._routes.get(request.path.split("?", 1)[0])

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        server_version = "plaudit-localserver"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._respond(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._respond(send_body=False)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            self._respond(send_body=True, body=self.rfile.read(length) if length else b"")

        def _respond(self, send_body: bool, body: bytes = b"") -> None:
            request = RecordedRequest(self.command, self.path, self.headers, body)
            handler = server._record(request)
            response = _as_response(handler(request)) if handler else Response(404, b"not found")
            try:
                _write(self, response, send_body)
            except (ConnectionError, TimeoutError):
                pass  # the client gave up (timeouts, size caps): that is what many tests want

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return _Handler


def _as_response(value: Response | tuple[int, Mapping[str, str | None], bytes]) -> Response:
    if isinstance(value, Response):
        return value
    status, headers, body = value
    return Response(status, body, dict(headers or {}))


def _write(handler: BaseHTTPRequestHandler, response: Response, send_body: bool) -> None:
    if response.delay:
        time.sleep(response.delay)
    given = {name.lower() for name in response.headers}
    defaults = {"Content-Type": "text/plain; charset=utf-8", "Content-Length": str(len(response.body))}
    headers = {k: v for k, v in defaults.items() if k.lower() not in given} | dict(response.headers)
    handler.send_response(response.status)
    for name, value in headers.items():
        if value is not None:
            handler.send_header(name, value)
    handler.end_headers()
    if send_body and response.status not in (204, 304):
        _write_body(handler, response)


def _write_body(handler: BaseHTTPRequestHandler, response: Response) -> None:
    if not response.drip:
        handler.wfile.write(response.body)
        return
    step = max(1, response.chunk)
    for start in range(0, len(response.body), step):
        handler.wfile.write(response.body[start:start + step])
        handler.wfile.flush()
        time.sleep(response.drip)


def _iter_server() -> Iterator[LocalServer]:
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A started LocalServer on 127.0.0.1, stopped after the test."""
    yield from _iter_server()
