"""Opening SQLite stores the same way everywhere: WAL, busy timeout, migrations on open, short write transactions.

Writers use `write_transaction(db)`, a `BEGIN IMMEDIATE` block, so a second writer waits (busy_timeout)
instead of failing half-way. Readers of the public store open it read-only.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 30_000


def open_db(path: str | Path, migrations=None) -> sqlite_utils.Database:
    """Open (creating if needed) a store for writing: WAL, busy timeout, foreign keys, pending migrations."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    db = sqlite_utils.Database(conn)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    if migrations is not None:
        with write_transaction(db):
            migrations.apply(db)
    return db


def open_memory_db(migrations=None) -> sqlite_utils.Database:
    """An in-memory store with the same schema (tests and `plaudit score`/`dedupe`)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    if migrations is not None:
        with write_transaction(db):
            migrations.apply(db)
    return db


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (`mode=ro`); the file is never created or written."""
    uri = f"file:{Path(path).resolve()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One short `BEGIN IMMEDIATE` transaction; nested sqlite-utils calls become savepoints inside it."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def utc_now() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def chunked(items: list, size: int = 900) -> Iterator[list]:
    """Slices of at most `size` items (SQLite limits bound parameters per statement)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
