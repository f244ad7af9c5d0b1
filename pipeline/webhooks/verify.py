"""Is this delivery from the form tool we trust? Signatures, shared secrets, freshness and size, as pure checks.

- Typeform signs each delivery: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the raw body>` with the
  webhook's secret (`typeform_webhook_secret`).
- Gravity Forms, WPForms and Jotform sign nothing. A sender that can compute an HMAC (a site snippet, an
  automation step) sends `X-Plaudit-Timestamp: <unix seconds>` and `X-Plaudit-Signature: sha256=<hex HMAC-SHA256
  of "<timestamp>.<raw body>">` with `webhook_secret`; the timestamp is signed, so one older (or newer) than
  `webhook_tolerance_seconds` is refused as stale. A sender that can only add a static header sends
  `X-Plaudit-Token: <webhook_secret>`; one that cannot even do that (Jotform) puts `?token=<webhook_secret>` in
  the webhook URL. A replay of a token-only delivery is not refused here; it is the inbox's dedupe key that
  stores it once.

Every comparison is constant-time (`hmac.compare_digest`) on the raw bytes as received; a refusal never says
which part of a secret was wrong.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping


class Refused(Exception):
    """A delivery that must not be stored; `status` is the HTTP answer, the message is safe to send back."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def check_size(declared: str | None, body_size: int | None, limit: int) -> None:
    """Refuse a body over `limit` bytes, by its Content-Length before reading or by what was read."""
    size = int(declared) if declared and declared.strip().isdigit() else None
    if (size is not None and size > limit) or (body_size is not None and body_size > limit):
        raise Refused(413, f"body larger than {limit} bytes")


def verify_typeform(body: bytes, signature: str | None, secret: str) -> None:
    """Check `Typeform-Signature` against the body."""
    if not secret:
        raise Refused(503, "Typeform webhooks are off: set typeform_webhook_secret")
    expected = "sha256=" + base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    if not signature or not hmac.compare_digest(signature.strip().encode(), expected.encode()):
        raise Refused(401, "bad or missing Typeform-Signature")


def sign(body: bytes, timestamp: int, secret: str) -> str:
    """The X-Plaudit-Signature value for a body sent at `timestamp` (senders and tests use it)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_shared(body: bytes, headers: Mapping[str, str], token: str | None, secret: str, now: float,
                  tolerance: float) -> str:
    """Check our HMAC (when a signature header is present) or the shared token; returns the scheme used."""
    if not secret:
        raise Refused(503, "webhooks are off: set webhook_secret")
    signature = _header(headers, "X-Plaudit-Signature")
    if signature is not None:
        stamp = _header(headers, "X-Plaudit-Timestamp") or ""
        if not stamp.strip().isdigit():
            raise Refused(401, "X-Plaudit-Signature needs X-Plaudit-Timestamp (unix seconds)")
        if not hmac.compare_digest(signature.strip().encode(), sign(body, int(stamp), secret).encode()):
            raise Refused(401, "bad X-Plaudit-Signature")
        if abs(now - int(stamp)) > tolerance:
            raise Refused(401, f"stale delivery: its timestamp is more than {tolerance:g} s from now")
        return "hmac"
    presented = _header(headers, "X-Plaudit-Token") or token
    if not presented or not hmac.compare_digest(presented.encode(), secret.encode()):
        raise Refused(401, "bad or missing X-Plaudit-Token (or ?token=)")
    return "token"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)
