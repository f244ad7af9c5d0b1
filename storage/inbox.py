"""The inbox (`inbox.db`): submissions that arrive on the public side, kept append-only until the pipeline reads them.

The public app's hosted review form writes here (and webhooks from form tools may too); it is its own SQLite
file, so the public process never needs the internal store. Each row keeps the tool that sent it, when it
arrived, its fields as JSON and a dedupe key: a delivery sent twice (a refreshed form, a webhook retry) is
stored once. Rows are never updated or deleted by anyone writing (triggers refuse it); the `inbox` source reads
them by id. Once read and older than `inbox_keep_days`, a row's fields are blanked by the retention stage
(`purge_read`), the one change the triggers are lifted for: its id and dedupe key stay, so a late retry of
the same delivery is still recognised, and no patient text lingers in a file the public side can reach.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from storage.db import open_db, open_readonly, utc_now, write_transaction

inbox_migrations = Migrations("plaudit-inbox")


@inbox_migrations()
def m001_submissions(db):
    """One row per delivery: source tool, received time, payload fields, dedupe key; append-only."""
    db.execute("CREATE TABLE submissions (id INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, "
               "source_tool TEXT NOT NULL, dedupe_key TEXT NOT NULL UNIQUE, payload TEXT NOT NULL)")
    for action in ("UPDATE", "DELETE"):
        _refuse(db, action)


@inbox_migrations()
def m002_purged_at(db):
    """When a read delivery's fields were blanked (None while they are kept)."""
    db.execute("ALTER TABLE submissions ADD COLUMN purged_at TEXT")


def _refuse(db, action: str) -> None:
    db.execute(f"CREATE TRIGGER submissions_no_{action.lower()} BEFORE {action} ON submissions "
               f"BEGIN SELECT RAISE(ABORT, 'the inbox is append-only'); END")


def open_inbox(path: str | Path) -> sqlite_utils.Database:
    """The inbox for writing (created and migrated when missing); readable by its owner and group only (it holds PHI)."""
    db = open_db(path, inbox_migrations)
    os.chmod(path, 0o640)
    return db


def dedupe_key(source_tool: str, payload: dict[str, Any]) -> str:
    """A key for a delivery: the same tool and the same fields give the same key."""
    body = json.dumps([source_tool, payload], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(db: sqlite_utils.Database, source_tool: str, payload: dict[str, Any], key: str | None = None,
           received_at: str | None = None) -> tuple[int, bool]:
    """Store one delivery unless its dedupe key is known; returns (row id, whether it was new)."""
    key = key or dedupe_key(source_tool, payload)
    with write_transaction(db):
        cur = db.conn.execute(
            "INSERT INTO submissions (received_at, source_tool, dedupe_key, payload) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(dedupe_key) DO NOTHING",
            (received_at or utc_now(), source_tool, key, json.dumps(payload, ensure_ascii=False, sort_keys=True)))
        if cur.rowcount:
            return int(cur.lastrowid), True
        row = db.execute("SELECT id FROM submissions WHERE dedupe_key = ?", (key,)).fetchone()
        return int(row[0]), False


def purge_read(path: str | Path, through_id: int, received_before: str) -> int:
    """Blank the fields of deliveries already read (id <= through_id) that arrived before `received_before`;
    ids and dedupe keys stay. Returns how many were blanked; 0 when there is no inbox."""
    if through_id <= 0 or not Path(path).exists():
        return 0
    db = open_inbox(path)
    try:
        with write_transaction(db):  # the trigger is lifted only inside this transaction
            db.execute("DROP TRIGGER submissions_no_update")
            blanked = db.conn.execute(
                "UPDATE submissions SET payload = '{}', purged_at = ? WHERE id <= ? AND received_at < ? "
                "AND purged_at IS NULL", (utc_now(), through_id, received_before)).rowcount
            _refuse(db, "UPDATE")
        return blanked
    finally:
        db.close()


def read_after(path: str | Path, after_id: int, limit: int = 10_000) -> list[dict[str, Any]]:
    """Submissions with an id above `after_id`, oldest first, payload decoded; [] when there is no inbox yet."""
    if not Path(path).exists():
        return []
    conn = open_readonly(path)
    try:
        rows = conn.execute("SELECT id, received_at, source_tool, dedupe_key, payload FROM submissions "
                            "WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise
    finally:
        conn.close()
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]
