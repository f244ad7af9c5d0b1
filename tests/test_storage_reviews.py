import sqlite3

from pipeline.models import Consent, RawReview
from pipeline.settings import SourceConfig
from pipeline.sources.ingest import to_row
from storage import reviews as review_store
from storage.db import open_db, write_transaction
from storage.schema import internal_migrations

CONFIG = SourceConfig(name="form", kind="csv", path="x.csv", location="tampa")


def raw(text="Kind staff and a clean office.", external_id="e1", rating=5.0, **extra):
    return RawReview(source="form", external_id=external_id, text=text, rating=rating, author="Patsy Rogers",
                     consent=Consent(given=True, text_version="v1", at="2026-11-02T09:14:03"), **extra)


def upsert(db, reviews, run_id=1):
    with write_transaction(db):
        return review_store.upsert_reviews(db, [to_row(r, CONFIG) for r in reviews], run_id, f"t{run_id}")


def test_rerun_never_duplicates(fresh_db):
    first = upsert(fresh_db, [raw(), raw(external_id="e2", text="Great nurses.")], run_id=1)
    second = upsert(fresh_db, [raw(), raw(external_id="e2", text="Great nurses.")], run_id=2)
    assert (first.new, second.new, second.unchanged) == (2, 0, 2)
    assert fresh_db["reviews"].count == 2
    assert fresh_db["review_versions"].count == 0  # history only holds versions that were replaced


def test_edit_at_source_becomes_a_new_version_and_is_rescored(fresh_db):
    upsert(fresh_db, [raw()], run_id=1)
    fresh_db.execute("UPDATE reviews SET needs_score = 0, needs_dedupe = 0")
    counts = upsert(fresh_db, [raw(text="Kind staff, clean office, short wait.")], run_id=2)
    row = next(fresh_db["reviews"].rows)
    assert counts.updated == 1
    assert (row["version"], row["needs_score"], row["needs_dedupe"]) == (2, 1, 1)
    history = [(v["version"], v["text"]) for v in fresh_db["review_versions"].rows_where(order_by="version")]
    assert history == [(1, "Kind staff and a clean office.")] and row["text"] == "Kind staff, clean office, short wait."


def test_identity_falls_back_to_content_when_source_has_no_id(fresh_db):
    a = raw(external_id=None)
    upsert(fresh_db, [a, a], run_id=1)
    upsert(fresh_db, [raw(external_id=None)], run_id=2)
    assert fresh_db["reviews"].count == 1


def test_review_counts_as_deleted_only_after_enough_complete_sweeps(fresh_db):
    upsert(fresh_db, [raw(), raw(external_id="gone", text="Will vanish.")], run_id=1)
    for run_id in (2, 3):
        upsert(fresh_db, [raw()], run_id=run_id)
        with write_transaction(fresh_db):
            deleted = review_store.record_missing(fresh_db, "form", run_id, f"t{run_id}", sweeps_to_delete=3)
        assert deleted == 0
    upsert(fresh_db, [raw()], run_id=4)
    with write_transaction(fresh_db):
        assert review_store.record_missing(fresh_db, "form", 4, "t4", sweeps_to_delete=3) == 1
    upsert(fresh_db, [raw(external_id="gone", text="Will vanish.")], run_id=5)
    resurrected = fresh_db.execute("SELECT deleted_at, missing_sweeps FROM reviews WHERE external_id = 'gone'")
    assert resurrected.fetchone() == (None, 0)


def test_failed_transaction_leaves_store_unchanged(tmp_path):
    db = open_db(tmp_path / "p.db", internal_migrations)
    upsert(db, [raw()], run_id=1)
    try:
        with write_transaction(db):
            review_store.upsert_reviews(db, [to_row(raw(external_id="e9"), CONFIG)], 2, "t2")
            raise RuntimeError("crash mid-run")
    except RuntimeError:
        pass
    assert db["reviews"].count == 1


def test_store_uses_wal_and_migrations_run_once(tmp_path):
    path = tmp_path / "p.db"
    open_db(path, internal_migrations).close()
    db = open_db(path, internal_migrations)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert applied == len(internal_migrations._migrations)


def test_queries_use_indexes(fresh_db):
    plans = {
        "needs_score": "SELECT id FROM reviews WHERE needs_score = 1 AND id > '' ORDER BY id LIMIT 10",
        "source": "SELECT count(*) FROM reviews WHERE source = 'a' AND last_seen_run != 3",
        "quotes": "SELECT * FROM quotes WHERE status IN ('suggested') ORDER BY id",
    }
    for name, sql in plans.items():
        plan = " ".join(str(r[-1]) for r in fresh_db.execute("EXPLAIN QUERY PLAN " + sql))
        assert "USING" in plan and "SCAN reviews\b" not in plan, (name, plan)


def test_purge_keeps_rating_and_date(fresh_db):
    upsert(fresh_db, [raw(published="2026-11-02", text="First words.")], run_id=1)
    upsert(fresh_db, [raw(published="2026-11-02")], run_id=2)  # an edit: the first words go to history
    assert fresh_db["review_versions"].count == 1
    with write_transaction(fresh_db):
        assert review_store.purge_text(fresh_db, "form", "t9", "t9") == 1
    row = next(fresh_db["reviews"].rows)
    assert (row["text"], row["rating"], row["published"]) == (None, 5.0, "2026-11-02")
    assert all(v["text"] is None for v in fresh_db["review_versions"].rows)


def test_open_readonly_cannot_write(tmp_path):
    from storage.db import open_readonly

    path = tmp_path / "p.db"
    open_db(path, internal_migrations).close()
    conn = open_readonly(path)
    try:
        conn.execute("DELETE FROM reviews")
        raise AssertionError("write succeeded on a read-only connection")
    except sqlite3.OperationalError as exc:
        assert "readonly" in str(exc)


def test_suggestion_batches_look_their_reviews_up_by_id(fresh_db):
    # issue 11: suggest reads the reviews needing a look by primary key, never a walk over the whole store
    from pipeline.publish.suggest import _LIVE, candidates_sql

    sql = candidates_sql(f"q.id IS NULL AND {_LIVE}", 2, 3)
    plan = " ".join(str(row[-1]) for row in fresh_db.execute("EXPLAIN QUERY PLAN " + sql, ["a", "b", "x", "y", "z"]))
    assert "(id=?)" in plan and "SCAN r" not in plan, plan
