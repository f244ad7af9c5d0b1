"""POST /webhooks/{tool}: form-tool deliveries into the inbox, a thin layer over `pipeline.webhooks.receive`.

Tools: `gravityforms`, `wpforms`, `typeform`, `jotform`. Settings: `webhook_secret`, `typeform_webhook_secret`,
`webhook_max_bytes`, `webhook_tolerance_seconds`, `inbox_db`. The answer is 200 only once the delivery is
committed to the inbox; JSON either way, never echoing what was sent.
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pipeline.settings import Settings
from pipeline.webhooks.receive import InboxFile, WebhookSettings, receive
from web.public.http import read_body

NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class WebhookReceiver:
    """The webhook route for one practice's settings."""

    def __init__(self, settings: Settings):
        self.config = WebhookSettings.of(settings)
        self.inbox = InboxFile(settings.inbox_db)

    async def deliver(self, request: Request) -> Response:
        """POST /webhooks/{tool}."""
        body = await read_body(request, self.config.max_bytes)
        headers = dict(request.headers)
        if body is None:  # over the limit: `receive` refuses it by size without the rest being read
            body, headers = b"", {**headers, "content-length": str(self.config.max_bytes + 1)}
        receipt = await run_in_threadpool(receive, request.path_params["tool"], body, headers,
                                          request.query_params.get("token"), self.config, self.inbox, time.time())
        return JSONResponse(receipt.body, status_code=receipt.status, headers=NO_STORE)
