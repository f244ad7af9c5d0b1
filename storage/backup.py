"""SQLite copies that are safe while others write: the online backup API, integrity checks, applied migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.db import BUSY_TIMEOUT_MS, open_readonly

PAGES_PER_STEP = 1024  # copy in steps so a writer is never held up for long


def copy_database(source: Path, target: Path) -> None:
    """Copy a live SQLite store's pages into `target` (made or overwritten in place) with the online backup API:
    consistent while others write to the source, and readers of the target see the old or the new pages."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = open_readonly(source)
    dst = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
    finally:
        dst.close()
        src.close()


def integrity_problems(path: Path) -> list[str]:
    """What SQLite's integrity check finds wrong with a store file (empty when it is sound)."""
    try:
        conn = open_readonly(path)
        try:
            rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"not a readable SQLite database ({exc})"]
    return [] if rows == ["ok"] else rows


def applied_migrations(path: Path, migration_set: str) -> list[str]:
    """Names of the migrations of one set applied to a store (empty when it has none)."""
    conn = open_readonly(path)
    try:
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'").fetchone()
        if not exists:
            return []
        return [row[0] for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [migration_set])]
    finally:
        conn.close()


def row_count(path: Path, table: str) -> int:
    """Rows in one table of a store (0 when the table does not exist)."""
    conn = open_readonly(path)
    try:
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] if exists else 0
    finally:
        conn.close()
