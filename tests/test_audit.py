import sqlite3

import pytest

from storage import audit
from storage.db import write_transaction


def _log(db, n=3):
    with write_transaction(db):
        for i in range(n):
            audit.append(db, "amy", "approve", f"quote:{i}", {"review": f"r{i}"}, f"2026-11-2{i}T10:00:00+00:00")


def tamper(db, sql, params=()):
    """What someone with raw write access to the file could do: drop the guards, then edit."""
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute(sql, params)


def test_updates_and_deletes_are_refused(fresh_db):
    _log(fresh_db)
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log WHERE id = 3"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            fresh_db.execute(sql)
    assert fresh_db["audit_log"].count == 3


def test_intact_chain_verifies(fresh_db):
    _log(fresh_db)
    assert audit.verify_chain(fresh_db) == []
    assert [e["object"] for e in audit.entries(fresh_db)] == ["quote:2", "quote:1", "quote:0"]


def test_edited_entry_is_detected(fresh_db):
    _log(fresh_db)
    tamper(fresh_db, "UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    assert audit.verify_chain(fresh_db) == ["entry 2 was modified"]


def test_deleted_entry_is_detected(fresh_db):
    _log(fresh_db)
    tamper(fresh_db, "DELETE FROM audit_log WHERE id = 2")
    problems = audit.verify_chain(fresh_db)
    assert "entry 2 is missing (next is 3)" in problems


def test_rehashed_forgery_still_breaks_the_chain(fresh_db):
    _log(fresh_db)
    row = fresh_db.execute("SELECT * FROM audit_log WHERE id = 1").fetchone()
    forged = audit._entry_hash(row[6], 1, row[1], "mallory", row[3], row[4], row[5])
    tamper(fresh_db, "UPDATE audit_log SET actor = 'mallory', hash = ? WHERE id = 1", (forged,))
    assert audit.verify_chain(fresh_db) == ["entry 2 does not follow the previous entry"]
