"""The staff app's ASGI application: routes from each screen's module, security headers, static files.

    uvicorn's factory:  create_app(load_settings())   (`plaudit serve staff` does this)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from pipeline.accounts.sessions import signing_key
from pipeline.settings import Settings
from pipeline.steps import open_store
from web.staff import audit_view, auth, decide, editor, holds, overview, queue, review, users
from web.staff.headers import SecurityHeaders
from web.staff.state import StaffState

STATIC = Path(__file__).parent / "static"


async def _not_found(request: Request, exc: Exception) -> Response:
    state = request.app.state.staff
    return state.render(request, None, "error.html", status=404, message="There is no such page.")


def create_app(settings: Settings, clock: Callable[[], float] = time.time) -> Starlette:
    """The staff app over the internal store named by the settings."""
    routes = (auth.routes() + overview.routes() + queue.routes() + review.routes() + editor.routes()
              + decide.routes() + holds.routes() + audit_view.routes() + users.routes()
              + [Mount("/static", StaticFiles(directory=STATIC), name="static")])
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)],
                    exception_handlers={404: _not_found})
    app.state.staff = StaffState(settings, open_store(settings), signing_key(settings), clock)
    return app
