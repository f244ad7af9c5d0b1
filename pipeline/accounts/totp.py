"""TOTP second factor (RFC 6238, via pyotp): enrolment with a QR code the app renders itself, and checks.

A new secret is kept as pending until the person proves their authenticator shows the same codes; only
then does it replace the account's secret.
"""

from __future__ import annotations

import io

import pyotp
import segno
import sqlite_utils

from storage import audit
from storage import users as user_store
from storage.db import utc_now, write_transaction

ISSUER = "Plaudit staff"


def start_enrolment(db: sqlite_utils.Database, user_id: int) -> str:
    """A fresh pending secret for the account (an earlier pending one is replaced)."""
    secret = pyotp.random_base32()
    with write_transaction(db):
        user_store.update_user(db, user_id, utc_now(), totp_pending=secret)
    return secret


def provisioning_uri(secret: str, name: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=ISSUER)


def qr_svg(uri: str) -> bytes:
    """The QR code of a URI as a standalone SVG document (no script, no style attribute)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=6, border=2, dark="#000", light="#fff",
                                    title="QR code for your authenticator app")
    return out.getvalue()


def code_matches(secret: str | None, code: str) -> bool:
    """Whether a 6-digit code is valid for the secret now (one step of clock drift allowed)."""
    code = "".join(code.split())
    return bool(secret) and code.isdigit() and len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def confirm_enrolment(db: sqlite_utils.Database, user_id: int, name: str, code: str) -> bool:
    """Make the pending secret the account's second factor when the code matches it."""
    with write_transaction(db):
        user = user_store.user_by_id(db, user_id)
        if not user or not code_matches(user["totp_pending"], code):
            return False
        now = utc_now()
        user_store.update_user(db, user_id, now, totp_secret=user["totp_pending"], totp_pending=None)
        audit.append(db, name, "totp_enrol", f"user:{name}", {}, now)
    return True
