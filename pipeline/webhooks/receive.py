"""One webhook delivery, decided: size, signature or shared secret, freshness, the tool's body, then the inbox.

The web route (`POST /webhooks/{tool}` on the public app, web/public/webhooks.py) is a thin layer: it reads at
most `webhook_max_bytes + 1` bytes, calls `receive` with an `InboxFile` (the inbox the hosted form writes,
`storage.inbox`), and sends the Receipt back as JSON. The answer is 2xx only once the delivery is committed to the inbox (a sender that gets
anything else retries, and a retried delivery is stored once by its dedupe key); a refusal is 4xx and says
why without echoing the body; a failed write is 503 so the sender tries again. Logs name the tool, the status
and the inbox row, never a field of the delivery.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pipeline.webhooks import verify
from pipeline.webhooks.payloads import TOOLS, parse
from storage import inbox as inbox_store

log = logging.getLogger(__name__)


class Inbox(Protocol):
    """Where deliveries go: the append-only inbox the hosted review form writes (one row per dedupe key)."""

    def append(self, source_tool: str, payload: dict[str, Any], key: str | None) -> tuple[int, bool]:
        """Store a delivery durably unless its key is known; (row id, whether it was new)."""


class InboxFile:
    """The inbox file (`inbox_db`) as an Inbox: opened on first use, every append committed with a full sync,
    so a 2xx answer means the delivery survives a power cut, not only a crash of the app."""

    def __init__(self, path: str | Path):
        self.path = path
        self._db = None
        self._lock = threading.Lock()  # one connection, used from the web server's worker threads

    def append(self, source_tool: str, payload: dict[str, Any], key: str | None) -> tuple[int, bool]:
        """Store a delivery unless its key is known; (row id, whether it was new)."""
        with self._lock:
            try:
                if self._db is None:
                    self._db = inbox_store.open_inbox(self.path)
                    self._db.conn.execute("PRAGMA synchronous = FULL")
                return inbox_store.append(self._db, source_tool, payload, key)
            except Exception:
                self._db = None  # a broken connection is opened afresh next time
                raise


@dataclass(frozen=True)
class WebhookSettings:
    """What `receive` needs from the settings."""

    secret: str  # webhook_secret: the shared HMAC key / token for Gravity Forms, WPForms, Jotform
    typeform_secret: str  # typeform_webhook_secret
    max_bytes: int
    tolerance_seconds: float

    @classmethod
    def of(cls, settings: Any) -> WebhookSettings:
        """From the loaded Settings."""
        return cls(settings.webhook_secret, settings.typeform_webhook_secret, settings.webhook_max_bytes,
                   settings.webhook_tolerance_seconds)


@dataclass(frozen=True)
class Receipt:
    """The answer to a delivery: HTTP status and a small JSON body (never the delivery's content)."""

    status: int
    body: dict[str, Any]


def receive(tool: str, body: bytes, headers: Mapping[str, str], token: str | None, config: WebhookSettings,
            inbox: Inbox, now: float) -> Receipt:
    """Check one delivery and append it to the inbox; the Receipt to send back."""
    try:
        delivery = _checked(tool, body, headers, token, config, now)
    except verify.Refused as refused:
        log.warning("webhook %s refused: HTTP %d %s", tool[:40], refused.status, refused.message)
        return Receipt(refused.status, {"error": refused.message})
    try:
        row_id, new = inbox.append(delivery.tool, delivery.fields, delivery.key)
    except Exception:  # the sender must try again: nothing was promised
        log.exception("webhook %s: the inbox write failed", tool)
        return Receipt(503, {"error": "the delivery could not be stored; send it again"})
    log.info("webhook %s: inbox row %d (%s)", tool, row_id, "new" if new else "already stored")
    return Receipt(200, {"stored": True, "duplicate": not new, "id": row_id})


def _checked(tool: str, body: bytes, headers: Mapping[str, str], token: str | None, config: WebhookSettings,
             now: float):
    if tool not in TOOLS:
        raise verify.Refused(404, f"unknown form tool; one of {', '.join(TOOLS)}")
    verify.check_size(_header(headers, "Content-Length"), len(body), config.max_bytes)
    if tool == "typeform":
        verify.verify_typeform(body, _header(headers, "Typeform-Signature"), config.typeform_secret)
    else:
        verify.verify_shared(body, headers, token, config.secret, now, config.tolerance_seconds)
    return parse(tool, body, _header(headers, "Content-Type") or "")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)
