"""HTTP manners of the public app in one place: cached JSON answers with ETag and 304, CORS for configured
origins only, security headers, and JSON errors.

Settings: `public_allowed_origins` (browser origins allowed to read the API and frame the embed page; "*"
allows any, and only when written so), `public_cache_seconds` (Cache-Control max-age).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.public.api import error_body
from web.public.snapshot import Rendered

JSON = "application/json"
NOSNIFF = {"X-Content-Type-Options": "nosniff"}


def etag_matches(header: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET)."""
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    return any(tag.strip() == "*" or tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


def caching_headers(rendered: Rendered, max_age: int) -> dict[str, str]:
    """The headers every rendered answer carries (also on a 304)."""
    return {"ETag": rendered.etag, "Cache-Control": f"public, max-age={max_age}", **NOSNIFF}


def cached_answer(request: Request, rendered: Rendered, max_age: int) -> Response:
    """A rendered answer, or 304 when the client already holds it."""
    headers = caching_headers(rendered, max_age)
    if rendered.status == 200 and etag_matches(request.headers.get("if-none-match"), rendered.etag):
        return Response(status_code=304, headers=headers)
    return Response(rendered.body, status_code=rendered.status, headers=headers, media_type=JSON)


def raw_answer(rendered: Rendered, max_age: int) -> list[tuple[bytes, bytes]]:
    """The full header list of a rendered 200 answer, for sending it without building a Response."""
    headers = [(name.lower().encode("latin-1"), value.encode("latin-1"))
               for name, value in caching_headers(rendered, max_age).items()]
    return headers + [(b"content-type", JSON.encode()), (b"content-length", str(len(rendered.body)).encode())]


def json_error(status: int, message: str, parameter: str | None = None, headers: dict | None = None) -> Response:
    """An error answer with a JSON body that says what is wrong."""
    return Response(error_body(status, message, parameter), status_code=status, media_type=JSON,
                    headers={"Cache-Control": "no-store", **NOSNIFF, **(headers or {})})


class Cors:
    """CORS for the API: only the configured origins (or any, when "*" is configured) may read it."""

    PATHS = ("/v1/", "/openapi.json")

    def __init__(self, app: ASGIApp, origins: tuple[str, ...]):
        self.app = app
        self.any = "*" in origins
        self.origins = frozenset(origins)

    def allowed(self, origin: str) -> str | None:
        """The Access-Control-Allow-Origin value for a request's Origin, or None."""
        if self.any:
            return "*"
        return origin if origin in self.origins else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.PATHS):
            await self.app(scope, receive, send)
            return
        origin = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"origin"), None)
        allow = self.allowed(origin) if origin else None
        if scope["method"] == "OPTIONS":
            await self._preflight(allow, origin)(scope, receive, send)
            return
        # Vary: Origin on every answer (unless any origin may read it), so a shared cache never hands an answer
        # made for one origin, with or without CORS headers, to another.
        extra = [] if self.any else [(b"vary", b"Origin")]
        if allow is not None:
            extra += [(b"access-control-allow-origin", allow.encode("latin-1")),
                      (b"access-control-expose-headers", b"ETag")]

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _preflight(self, allow: str | None, origin: str | None) -> Response:
        if allow is None:
            return json_error(403, f"origin {origin!r} may not read this API; its owner lists the website origins "
                                   "that may in the public_allowed_origins setting")
        return Response(status_code=204, headers={
            "Access-Control-Allow-Origin": allow, "Access-Control-Allow-Methods": "GET, HEAD",
            "Access-Control-Allow-Headers": "If-None-Match", "Access-Control-Max-Age": "600", "Vary": "Origin"})


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it is longer than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
