"""Reading the audit log for the staff app: filtered, newest first, paged."""

from __future__ import annotations

from typing import Any

import sqlite_utils


def search(db: sqlite_utils.Database, *, actor: str = "", action: str = "", obj: str = "", since: str = "",
           until: str = "", page: int = 1, size: int = 50) -> tuple[list[dict[str, Any]], bool]:
    """Entries matching every given filter (object by prefix, times as ISO prefixes), and whether more follow."""
    clauses, params = [], []
    for column, value in (("actor", actor), ("action", action)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if obj:
        clauses.append("object LIKE ? ESCAPE '\\'")
        params.append(obj.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if since:
        clauses.append("at >= ?")
        params.append(since)
    if until:
        clauses.append("at < ?")
        params.append(until + "\uffff")
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    cur = db.execute(f"SELECT id, at, actor, action, object, details FROM audit_log {where} ORDER BY id DESC "
                     f"LIMIT ? OFFSET ?", (*params, size + 1, max(0, page - 1) * size))
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, row)) for row in cur]
    return rows[:size], len(rows) > size


def choices(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """The actors and actions present, for the filter menus."""
    return {"actors": [r[0] for r in db.execute("SELECT DISTINCT actor FROM audit_log ORDER BY actor")],
            "actions": [r[0] for r in db.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]}
