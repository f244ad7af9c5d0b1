"""The append-only, hash-chained audit log of staff actions. Entries hold ids and decisions, never review text.

Each entry's hash covers its fields and the previous entry's hash, so editing or deleting any entry breaks
the chain from that point on; `verify_chain` finds the first break.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import sqlite_utils

GENESIS = "0" * 64


def _entry_hash(prev_hash: str, entry_id: int, at: str, actor: str, action: str, obj: str, details: str) -> str:
    payload = json.dumps([prev_hash, entry_id, at, actor, action, obj, details], ensure_ascii=True)
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def append(db: sqlite_utils.Database, actor: str, action: str, obj: str, details: dict[str, Any], now: str) -> int:
    """Append one entry (call inside the write transaction of the action it records)."""
    last = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    entry_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    details_json = json.dumps(details, sort_keys=True, ensure_ascii=True)
    digest = _entry_hash(prev, entry_id, now, actor, action, obj, details_json)
    db.conn.execute(
        "INSERT INTO audit_log (id, at, actor, action, object, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (entry_id, now, actor, action, obj, details_json, prev, digest))
    return entry_id


def verify_chain(db: sqlite_utils.Database) -> list[str]:
    """Problems found walking the chain (empty when intact): edited, inserted or deleted entries."""
    problems: list[str] = []
    prev, expected_id = GENESIS, 1
    for row in db.execute("SELECT id, at, actor, action, object, details, prev_hash, hash FROM audit_log ORDER BY id"):
        entry_id, at, actor, action, obj, details, prev_hash, digest = row
        if entry_id != expected_id:
            problems.append(f"entry {expected_id} is missing (next is {entry_id})")
        if prev_hash != prev:
            problems.append(f"entry {entry_id} does not follow the previous entry")
        if _entry_hash(prev_hash, entry_id, at, actor, action, obj, details) != digest:
            problems.append(f"entry {entry_id} was modified")
        prev, expected_id = digest, entry_id + 1
    return problems


def head(db: sqlite_utils.Database) -> tuple[int, str] | None:
    """(id, hash) of the newest entry."""
    row = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def write_anchor(path: Path, db: sqlite_utils.Database) -> None:
    """Copy the chain's head outside the database, so deleting the newest entries is detectable too."""
    current = head(db)
    if current:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(f"{current[0]} {current[1]}\n", encoding="ascii")
        os.replace(tmp, path)


def anchor_problems(path: Path, db: sqlite_utils.Database) -> list[str]:
    """Problems found comparing the chain with the anchor file (none when there is no anchor yet)."""
    if not path.exists():
        return []
    entry_id, digest = path.read_text(encoding="ascii").split()
    row = db.execute("SELECT hash FROM audit_log WHERE id = ?", (int(entry_id),)).fetchone()
    if row is None:
        return [f"entries from {entry_id} on were deleted (the anchor file records entry {entry_id})"]
    return [] if row[0] == digest else [f"entry {entry_id} does not match the anchor file"]


def entries(db: sqlite_utils.Database, limit: int = 100) -> list[dict[str, Any]]:
    """The newest entries, newest first."""
    return list(db["audit_log"].rows_where(order_by="id desc", limit=limit))
