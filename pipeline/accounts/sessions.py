"""Server-side staff sessions: a random token in a signed cookie, its SHA-256 digest in the store.

A session has a stage: "password" done and waiting for the second factor ("totp"), obliged to enrol one
("enrol"), or fully signed in ("full"). Each step up issues a new token (no session fixation). A session
ends after `staff_idle_minutes` without a request or `staff_session_hours` in all.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from pipeline.settings import Settings
from storage import users as user_store
from storage.db import write_transaction

STAGES = ("totp", "enrol", "full")
KEY_FILE = "staff-secret.key"


@dataclass(frozen=True)
class StaffSession:
    """A live session: whose it is, how far the login got, its CSRF token, what it keeps for the pages."""

    digest: str
    user_id: int
    name: str
    role: str
    stage: str
    csrf: str
    flash: str = ""
    queue_filters: dict[str, Any] = field(default_factory=dict)


def signing_key(settings: Settings) -> bytes:
    """The key that signs session cookies, made once per data folder and readable by its owner only."""
    path = Path(settings.data_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def digest_of(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _signature(key: bytes, token: str) -> str:
    return hmac.new(key, token.encode("ascii"), hashlib.sha256).hexdigest()


def cookie_value(key: bytes, token: str) -> str:
    """The cookie for a token: the token and its HMAC."""
    return f"{token}.{_signature(key, token)}"


def token_from_cookie(key: bytes, value: str | None) -> str | None:
    """The token of a cookie whose signature is valid, else None."""
    token, _, signature = (value or "").partition(".")
    if not token or not signature.isascii() or not token.isascii():
        return None
    return token if hmac.compare_digest(signature, _signature(key, token)) else None


def start(db: sqlite_utils.Database, user_id: int, stage: str, now: float, replaces: str | None = None) -> str:
    """A new session (ending the one it replaces); returns its token for the cookie."""
    if stage not in STAGES:
        raise ValueError(stage)
    token = secrets.token_urlsafe(32)
    with write_transaction(db):
        if replaces:
            user_store.delete_session(db, replaces)
        user_store.create_session(db, digest_of(token), user_id, stage, secrets.token_urlsafe(32), now)
    return token


def load(db: sqlite_utils.Database, settings: Settings, token: str | None,
         now: float) -> tuple[StaffSession | None, str]:
    """The live session of a token and "" — or None and why it ended ("idle", "expired", "" when none)."""
    if not token:
        return None, ""
    row = user_store.session(db, digest_of(token))
    if row is None:
        return None, ""
    ended = _ended(row, settings, now)
    if ended:
        with write_transaction(db):
            user_store.delete_session(db, row["id"])
        return None, ended
    if now - row["last_seen"] > min(30.0, settings.staff_idle_minutes * 2):  # seconds; spares a write per page
        with write_transaction(db):
            user_store.touch_session(db, row["id"], now)
    return StaffSession(row["id"], row["user_id"], row["name"], row["role"], row["stage"], row["csrf"],
                        row["flash"] or "", row["queue_filters"]), ""


def _ended(row: dict[str, Any], settings: Settings, now: float) -> str:
    if row["disabled_at"]:
        return "disabled"
    if now - row["last_seen"] > settings.staff_idle_minutes * 60:
        return "idle"
    if now - row["created_at"] > settings.staff_session_hours * 3600:
        return "expired"
    return ""


def end(db: sqlite_utils.Database, digest: str) -> None:
    """Sign out: the session is deleted, its cookie worthless."""
    with write_transaction(db):
        user_store.delete_session(db, digest)


def remember(db: sqlite_utils.Database, digest: str, *, flash: str | None = None,
             queue_filters: dict[str, Any] | None = None) -> None:
    """Keep a one-time message or the queue's filters with the session."""
    with write_transaction(db):
        user_store.set_session_fields(db, digest, flash=flash, queue_filters=queue_filters)
