"""The public app: what the practice's website reads, plus the hosted review form.

    GET  /v1/testimonials   published testimonials (filters, cursor pages), ETag/304, CORS
    GET  /v1/summary        counts and averages of all collected reviews, links to the full listings
    GET  /openapi.json      the API's OpenAPI document
    GET  /widget.js         the embeddable widget; /embed is a page of it for an iframe; /example.html a sample
    GET  /review, POST /review, GET /review/thanks   the hosted review form (into the inbox)
    POST /webhooks/{tool}   form-tool webhooks (Gravity Forms, WPForms, Typeform, Jotform), into the same inbox

It reads the public store only (read-only, once per publish) and writes only the inbox; it never opens
the internal store. Settings: `public_db`, `inbox_db`, `public_allowed_origins`, `public_cache_seconds`,
`review_consent_text`, `review_form_max_chars`, `review_form_rate_limit`, `practice_name`,
`disclosure_label`, `webhook_secret`, `typeform_webhook_secret`, `webhook_max_bytes`, `webhook_tolerance_seconds`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from pipeline.publish.widget import sample_page, widget_script
from pipeline.settings import Settings
from web.public import api
from web.public.form import TEMPLATES, ReviewForm
from web.public.http import NOSNIFF, Cors, cached_answer, json_error, raw_answer
from web.public.openapi import openapi_document
from web.public.snapshot import PublicStore, StoreUnavailable
from web.public.webhooks import WebhookReceiver

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
LAYOUTS = ("list", "carousel", "grid")


def _frame_ancestors(origins: tuple[str, ...]) -> str:
    return "*" if "*" in origins else " ".join(("'self'", *origins))


class PublicApp:
    """The routes of the public app over one practice's settings."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = PublicStore(settings.public_db)
        self.form = ReviewForm(settings)
        self.webhooks = WebhookReceiver(settings)
        self.openapi = api.to_json(openapi_document(settings.practice_name))
        self.widget = widget_script("api").encode("utf-8")
        self.sample = sample_page(settings.practice_name).encode("utf-8")
        self.static = {path.name: path.read_bytes() for path in STATIC.iterdir() if path.suffix == ".css"}

    def _answer(self, request: Request, kind: str, build) -> Response:
        try:
            snapshot = self.store.current()
        except StoreUnavailable as exc:
            return json_error(503, str(exc), headers={"Retry-After": "60"})
        items = request.query_params.multi_items()
        try:
            rendered = snapshot.answer((kind, request.scope["query_string"]),
                                       lambda: (200, api.to_json(build(snapshot, items))))
        except api.BadParameter as exc:
            return json_error(400, str(exc), exc.parameter)
        return cached_answer(request, rendered, self.settings.public_cache_seconds)

    async def testimonials(self, request: Request) -> Response:
        """GET /v1/testimonials."""
        return self._answer(request, "testimonials",
                            lambda snapshot, items: api.testimonials_page(snapshot, api.testimonial_query(items)))

    async def summary(self, request: Request) -> Response:
        """GET /v1/summary."""
        return self._answer(request, "summary", api.summary)

    async def openapi_json(self, request: Request) -> Response:
        """GET /openapi.json."""
        return Response(self.openapi, media_type="application/json", headers={**NOSNIFF})

    async def widget_js(self, request: Request) -> Response:
        """GET /widget.js: any site may load it (it only ever asks this host)."""
        return Response(self.widget, media_type="text/javascript; charset=utf-8", headers={
            "Cache-Control": "public, max-age=300", "Cross-Origin-Resource-Policy": "cross-origin", **NOSNIFF})

    async def example(self, request: Request) -> Response:
        """GET /example.html: the sample host page, reading this app."""
        return HTMLResponse(self.sample, headers={**NOSNIFF})

    async def embed(self, request: Request) -> Response:
        """GET /embed: a page holding only the widget, for sites that can add an iframe but no script."""
        try:
            values = api.single_values(request.query_params.multi_items(),
                                       ("location", "tag", "provider", "count", "layout"))
        except api.BadParameter as exc:
            return Response(str(exc), status_code=400, media_type="text/plain", headers={**NOSNIFF})
        count, layout = values.get("count", "3"), values.get("layout", "list")
        if not (count.isascii() and count.isdigit() and 1 <= int(count) <= 100) or layout not in LAYOUTS:
            return Response("count must be a whole number from 1 to 100, and layout one of list, carousel, grid",
                            status_code=400, media_type="text/plain", headers={**NOSNIFF})
        body = TEMPLATES.get_template("embed.html").render(
            label=self.settings.disclosure_label, practice=self.settings.practice_name, count=int(count),
            layout=layout, location=values.get("location"), tag=values.get("tag"), provider=values.get("provider"))
        csp = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; base-uri 'none'; "
               f"frame-ancestors {_frame_ancestors(self.settings.public_allowed_origins)}")
        return HTMLResponse(body, headers={"Content-Security-Policy": csp, "Referrer-Policy": "no-referrer", **NOSNIFF})

    async def static_file(self, request: Request) -> Response:
        """GET /static/NAME.css."""
        body = self.static.get(request.path_params["name"])
        if body is None:
            return json_error(404, "no such file")
        return Response(body, media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=3600", **NOSNIFF})

    def routes(self) -> list[Route]:
        """Every route of the app."""
        form = self.form
        return [Route("/v1/testimonials", self.testimonials, methods=["GET"]),
                Route("/v1/summary", self.summary, methods=["GET"]),
                Route("/openapi.json", self.openapi_json, methods=["GET"]),
                Route("/widget.js", self.widget_js, methods=["GET"]),
                Route("/example.html", self.example, methods=["GET"]),
                Route("/embed", self.embed, methods=["GET"]),
                Route("/review", form.show, methods=["GET"]), Route("/review", form.submit, methods=["POST"]),
                Route("/review/thanks", form.thanks, methods=["GET"]),
                Route("/webhooks/{tool}", self.webhooks.deliver, methods=["POST"]),
                Route("/static/{name}", self.static_file, methods=["GET"])]


async def _http_error(request: Request, exc: HTTPException) -> Response:
    messages = {404: f"no such page: {request.url.path[:200]}", 405: f"{request.method} is not allowed here"}
    return json_error(exc.status_code, messages.get(exc.status_code, str(exc.detail)), headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("public app: unexpected %s on %s", type(exc).__name__, request.url.path, exc_info=exc)
    return json_error(500, "unexpected error; it was logged")


class AnswersFirst:
    """Send an already rendered API answer straight from memory; anything else goes to the Starlette app.

    The answers only change on publish, so the common request (the widget's, a CDN's) needs neither routing
    nor parsing: about twice the requests per second. A request with If-None-Match, a new query or a new
    publish takes the full path, which renders, caches and answers 304s.
    """

    PATHS = {"/v1/testimonials": "testimonials", "/v1/summary": "summary"}

    def __init__(self, app: Starlette, public: PublicApp):
        self.app = app
        self.public = public
        self.max_age = public.settings.public_cache_seconds

    async def __call__(self, scope, receive, send) -> None:
        kind = self.PATHS.get(scope["path"]) if scope["type"] == "http" and scope["method"] == "GET" else None
        if kind and not any(name == b"if-none-match" for name, _ in scope["headers"]):
            try:
                found = self.public.store.current().rendered.get((kind, scope["query_string"]))
            except StoreUnavailable:
                found = None
            if found is not None:
                await send({"type": "http.response.start", "status": found.status,
                            "headers": raw_answer(found, self.max_age)})
                await send({"type": "http.response.body", "body": found.body})
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings) -> Cors:
    """The public ASGI app for these settings."""
    public = PublicApp(settings)
    app = Starlette(routes=public.routes(), exception_handlers={HTTPException: _http_error, Exception: _unexpected})
    return Cors(AnswersFirst(app, public), settings.public_allowed_origins)
