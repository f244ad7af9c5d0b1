"""Staff accounts, their server-side sessions and login failures, in the internal store.

Passwords arrive here already hashed (argon2, `pipeline.accounts.passwords`); session ids are stored only as
SHA-256 digests of the cookie token, so a copy of the database does not hand out live sessions.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

_USER_COLUMNS = "id, name, role, password_hash, totp_secret, totp_pending, created_at, updated_at, disabled_at"


def _one(db: sqlite_utils.Database, sql: str, params: tuple) -> dict[str, Any] | None:
    cur = db.execute(sql, params)
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row else None


def add_user(db: sqlite_utils.Database, name: str, role: str, password_hash: str, now: str) -> int:
    """Create an account (names are unique)."""
    cur = db.conn.execute("INSERT INTO staff_users (name, role, password_hash, created_at, updated_at) "
                          "VALUES (?, ?, ?, ?, ?)", (name, role, password_hash, now, now))
    return int(cur.lastrowid)


def user_by_name(db: sqlite_utils.Database, name: str) -> dict[str, Any] | None:
    """The account with this name, disabled or not."""
    return _one(db, f"SELECT {_USER_COLUMNS} FROM staff_users WHERE name = ?", (name,))


def user_by_id(db: sqlite_utils.Database, user_id: int) -> dict[str, Any] | None:
    """The account with this id."""
    return _one(db, f"SELECT {_USER_COLUMNS} FROM staff_users WHERE id = ?", (user_id,))


def list_users(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every account, by name (hashes and secrets left out)."""
    cur = db.execute("SELECT id, name, role, created_at, disabled_at, totp_secret IS NOT NULL AS totp "
                     "FROM staff_users ORDER BY name")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur]


def update_user(db: sqlite_utils.Database, user_id: int, now: str, **fields: Any) -> None:
    """Set some of password_hash, role, totp_secret, totp_pending, disabled_at."""
    allowed = {"password_hash", "role", "totp_secret", "totp_pending", "disabled_at"}
    if not fields or set(fields) - allowed:
        raise ValueError(sorted(set(fields) - allowed))
    assignments = ", ".join(f"{name} = ?" for name in fields)
    db.conn.execute(f"UPDATE staff_users SET {assignments}, updated_at = ? WHERE id = ?",
                    (*fields.values(), now, user_id))


def create_session(db: sqlite_utils.Database, digest: str, user_id: int, stage: str, csrf: str, now: float) -> None:
    """Store a new session under the digest of its token."""
    db.conn.execute("INSERT INTO staff_sessions (id, user_id, stage, csrf, created_at, last_seen) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (digest, user_id, stage, csrf, now, now))


def session(db: sqlite_utils.Database, digest: str) -> dict[str, Any] | None:
    """A session joined with its user's name, role and state."""
    row = _one(db, "SELECT s.id, s.user_id, s.stage, s.csrf, s.created_at, s.last_seen, s.flash, s.queue_filters, "
               "u.name, u.role, u.disabled_at, u.totp_secret FROM staff_sessions s "
               "JOIN staff_users u ON u.id = s.user_id WHERE s.id = ?", (digest,))
    if row:
        row["queue_filters"] = json.loads(row["queue_filters"]) if row["queue_filters"] else {}
    return row


def touch_session(db: sqlite_utils.Database, digest: str, now: float) -> None:
    """Record activity on a session (the idle timeout counts from here)."""
    db.conn.execute("UPDATE staff_sessions SET last_seen = ? WHERE id = ?", (now, digest))


def set_session_fields(db: sqlite_utils.Database, digest: str, *, flash: str | None = None,
                       queue_filters: dict[str, Any] | None = None) -> None:
    """Keep a one-time message or the queue's filters with a session."""
    if flash is not None:
        db.conn.execute("UPDATE staff_sessions SET flash = ? WHERE id = ?", (flash or None, digest))
    if queue_filters is not None:
        db.conn.execute("UPDATE staff_sessions SET queue_filters = ? WHERE id = ?",
                        (json.dumps(queue_filters, sort_keys=True), digest))


def delete_session(db: sqlite_utils.Database, digest: str) -> None:
    """End one session."""
    db.conn.execute("DELETE FROM staff_sessions WHERE id = ?", (digest,))


def delete_user_sessions(db: sqlite_utils.Database, user_id: int) -> int:
    """End every session of an account (disabled, or its password was reset)."""
    return db.conn.execute("DELETE FROM staff_sessions WHERE user_id = ?", (user_id,)).rowcount


def delete_stale_sessions(db: sqlite_utils.Database, idle_before: float, started_before: float) -> int:
    """Remove sessions idle or old past their limits."""
    return db.conn.execute("DELETE FROM staff_sessions WHERE last_seen < ? OR created_at < ?",
                           (idle_before, started_before)).rowcount


def failures(db: sqlite_utils.Database, key: str) -> dict[str, Any]:
    """Failed-login record of an account or client key (zeros when none)."""
    return _one(db, "SELECT key, failures, last_failure, locked_until FROM staff_login_failures WHERE key = ?",
                (key,)) or {"key": key, "failures": 0, "last_failure": 0.0, "locked_until": 0.0}


def save_failures(db: sqlite_utils.Database, key: str, count: int, now: float, locked_until: float) -> None:
    """Store the failure count and lock of a key."""
    db.conn.execute("INSERT INTO staff_login_failures (key, failures, last_failure, locked_until) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, "
                    "last_failure = excluded.last_failure, locked_until = excluded.locked_until",
                    (key, count, now, locked_until))


def clear_failures(db: sqlite_utils.Database, key: str) -> None:
    """Forget a key's failures after a successful login."""
    db.conn.execute("DELETE FROM staff_login_failures WHERE key = ?", (key,))
