"""Managing staff accounts and checking a login: add, disable, reset a password, authenticate with lockout.

Every change to an account is written to the audit log with who made it; a password reset or a disabled
account ends that account's sessions at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from pipeline.accounts import lockout
from pipeline.accounts.passwords import check_policy, hash_password, needs_rehash, verify_password
from pipeline.accounts.roles import ROLES
from pipeline.errors import PlauditError
from pipeline.settings import Settings
from storage import audit
from storage import users as user_store
from storage.db import utc_now, write_transaction

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class AccountError(PlauditError):
    """An account command that cannot be done as asked (unknown name, taken name, bad role)."""


@dataclass(frozen=True)
class LoginResult:
    """What a login attempt came to: the user when it succeeded, else a message safe to show and a wait."""

    user: dict[str, Any] | None
    message: str = ""
    retry_after: float = 0.0


def add_user(db: sqlite_utils.Database, name: str, role: str, password: str, actor: str) -> int:
    """Create an account with a role and a password that passes the policy."""
    if not _NAME.match(name):
        raise AccountError("a user name is 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    check_policy(password, name)
    now = utc_now()
    with write_transaction(db):
        if user_store.user_by_name(db, name):
            raise AccountError(f"a user named {name!r} exists; `plaudit users list` shows them")
        user_id = user_store.add_user(db, name, role, hash_password(password), now)
        audit.append(db, actor, "user_add", f"user:{name}", {"role": role}, now)
    return user_id


def _existing(db: sqlite_utils.Database, name: str) -> dict[str, Any]:
    user = user_store.user_by_name(db, name)
    if user is None:
        raise AccountError(f"no user named {name!r}; `plaudit users list` shows them")
    return user


def disable_user(db: sqlite_utils.Database, name: str, actor: str) -> None:
    """Disable an account and end its sessions (it stays on record for the audit trail)."""
    now = utc_now()
    with write_transaction(db):
        user = _existing(db, name)
        user_store.update_user(db, user["id"], now, disabled_at=now)
        user_store.delete_user_sessions(db, user["id"])
        audit.append(db, actor, "user_disable", f"user:{name}", {}, now)


def reset_password(db: sqlite_utils.Database, name: str, password: str, actor: str,
                   reset_totp: bool = False) -> None:
    """Set a new password (and optionally clear the second factor); the account's sessions end."""
    now = utc_now()
    with write_transaction(db):
        user = _existing(db, name)
        check_policy(password, name)
        fields: dict[str, Any] = {"password_hash": hash_password(password), "disabled_at": None}
        if reset_totp:
            fields.update(totp_secret=None, totp_pending=None)
        user_store.update_user(db, user["id"], now, **fields)
        user_store.delete_user_sessions(db, user["id"])
        audit.append(db, actor, "user_reset_password", f"user:{name}", {"totp_reset": reset_totp}, now)


def authenticate(db: sqlite_utils.Database, settings: Settings, name: str, password: str, client: str,
                 now: float) -> LoginResult:
    """Check a name and password, honouring and updating the per-account and per-client lockout."""
    keys = lockout.keys(name, client)
    with write_transaction(db):
        wait = lockout.locked_for(db, list(keys.values()), now)
        if wait > 0:
            return LoginResult(None, "Too many failed attempts. Try again later.", wait)
        user = user_store.user_by_name(db, name.strip())
        good = verify_password(user["password_hash"] if user else None, password)
        if not good or user["disabled_at"]:
            lockout.record_failure(db, keys["account"], settings.staff_lockout_after,
                                   settings.staff_lockout_seconds, now)
            lockout.record_failure(db, keys["client"], settings.staff_lockout_client_after,
                                   settings.staff_lockout_seconds, now)
            audit.append(db, "-", "login_failed", f"user:{name.strip()[:64]}" if user else "user:(unknown)", {},
                         utc_now())
            return LoginResult(None, "That name and password do not match an active account.")
        for key in keys.values():
            user_store.clear_failures(db, key)
        if needs_rehash(user["password_hash"]):
            user_store.update_user(db, user["id"], utc_now(), password_hash=hash_password(password))
    return LoginResult(user)
