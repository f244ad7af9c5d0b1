"""Backups under concurrent writes, and restores that check before they touch anything."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from pipeline import steps
from pipeline.ops import backup as backups
from pipeline.runs import run_nightly
from plaudit.cli import main
from storage import backup as sqlite_backup
from storage.inbox import append, open_inbox, read_after
from storage.public import read_public_store
from tests.test_pipeline_e2e import demo_settings


@pytest.fixture
def settings(local_server, tmp_path):
    settings = demo_settings(local_server, tmp_path)
    run_nightly(settings)
    return settings


def _writer(settings, stop: threading.Event, written: list[int]) -> None:
    """Keep appending rows to the internal store, as a run or the staff app would."""
    db = steps.open_store(settings)
    try:
        while not stop.is_set():
            with db.conn:
                db.conn.execute("INSERT INTO runs (started_at, status, trigger) VALUES ('x', 'running', 'load')")
            written.append(1)
    finally:
        db.close()


def test_a_backup_taken_while_another_process_writes_is_whole_and_consistent(settings, tmp_path):
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(settings, stop, written))
    writer.start()
    try:
        while len(written) < 50:
            pass
        target = backups.backup(settings, tmp_path / "backups")
    finally:
        stop.set()
        writer.join()
    copy = target / "plaudit.db"
    assert sqlite_backup.integrity_problems(copy) == []
    runs_in_copy = sqlite_backup.row_count(copy, "runs")
    assert 50 <= runs_in_copy <= sqlite_backup.row_count(settings.internal_db, "runs")
    assert sqlite_backup.row_count(copy, "reviews") == sqlite_backup.row_count(settings.internal_db, "reviews")
    assert (target / "published.db").exists() and (target / "manifest.json").exists()


def test_restore_brings_back_the_store_and_republishes(settings, tmp_path, capsys):
    config = ["--config", str(settings.config_path)]
    assert main(config + ["backup", str(tmp_path / "b")]) == 0
    target = next((tmp_path / "b").iterdir())
    reviews = sqlite_backup.row_count(settings.internal_db, "reviews")
    with sqlite3.connect(settings.internal_db) as conn:
        conn.execute("DELETE FROM duplicate_pairs")
        conn.execute("UPDATE reviews SET text = 'lost'")
    assert main(config + ["restore", str(target)]) == 0
    with sqlite3.connect(settings.internal_db) as conn:
        assert conn.execute("SELECT count(*) FROM reviews WHERE text = 'lost'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == reviews
    assert read_public_store(settings.public_db)["meta"]["total_reviews"] > 0


def test_a_damaged_backup_or_one_from_a_newer_version_is_refused_and_nothing_changes(settings, tmp_path, capsys):
    target = backups.backup(settings, tmp_path / "b")
    before = settings.internal_db.read_bytes()
    damaged = target / "plaudit.db"
    data = bytearray(damaged.read_bytes())
    data[5000:9000] = b"\xff" * 4000
    damaged.write_bytes(bytes(data))
    assert main(["--config", str(settings.config_path), "restore", str(target)]) == 2
    assert "backup not restored: plaudit.db:" in capsys.readouterr().err
    newer = backups.backup(settings, tmp_path / "c")
    with sqlite3.connect(newer / "plaudit.db") as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('plaudit-internal', 'm999_from_the_future', 'x')")
    with pytest.raises(backups.BackupRefused, match="made by a newer Plaudit"):
        backups.restore(settings, newer)
    assert settings.internal_db.read_bytes() == before


def test_keep_prunes_the_oldest_backups(settings, tmp_path):
    made = [backups.backup(settings, tmp_path / "b", keep=2) for _ in range(3)]
    assert sorted((tmp_path / "b").iterdir()) == made[1:]


def test_the_review_form_inbox_is_backed_up_and_left_alone_by_restore(settings, tmp_path):
    db = open_inbox(settings.inbox_db)
    append(db, "hosted-form", {"text": "Kind nurses, short wait.", "rating": "5"})
    target = backups.backup(settings, tmp_path / "backups")
    assert [row["payload"]["text"] for row in read_after(target / "inbox.db", 0)] == ["Kind nurses, short wait."]
    append(db, "hosted-form", {"text": "A second review after the backup.", "rating": "4"})
    backups.restore(settings, target)
    assert len(read_after(settings.inbox_db, 0)) == 2  # restore never takes the inbox back in time
