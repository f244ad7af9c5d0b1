"""Migrations of the internal store: an existing store upgrades to the kept dedupe index, the summary totals
and the suggestion flag (issue 11), and the trigger-kept totals always equal a count over every review."""

from __future__ import annotations

import random

from pipeline.dedupe.clustering import dedupe_store
from pipeline.dedupe.minhash import signature_bytes
from storage import dedupe_index
from storage.db import open_db
from storage.schema import internal_migrations

TEXT = ("Dr. Patel fixed my shoulder pain in two visits, very thorough and kind. The front desk sorted the "
        "insurance forms while we waited and the nurse called two days later to check on me.")
OTHER = "Rude receptionist and a long wait, the parking garage was full and nobody told us where to go."
RECOUNT = ("SELECT source, coalesce(location, ''), count(*), count(rating), coalesce(sum(rating), 0), "
           "sum(is_canonical = 1), sum(is_canonical = 1 AND rating IS NOT NULL), "
           "coalesce(sum(CASE WHEN is_canonical = 1 THEN rating END), 0) FROM reviews WHERE deleted_at IS NULL "
           "GROUP BY 1, 2 ORDER BY 1, 2")
KEPT = ("SELECT source, location, reviews, rated, rating_sum, distinct_reviews, distinct_rated, distinct_rating_sum "
        "FROM review_totals WHERE reviews != 0 ORDER BY 1, 2")


def _old_store(path):
    db = open_db(path)
    internal_migrations.apply(db, stop_before="m_dedupe_anchor_index")
    rows = [("r1", "google", TEXT, "Maria Lopez", 5.0, "r1", 1, None),
            ("r2", "yelp", TEXT, "M. Lopez", 4.0, "r1", 0, None),
            ("r3", "google", OTHER, "Tom Becker", 1.0, "r3", 1, None),
            ("r4", "yelp", OTHER, "Li Wu", None, "r4", 1, "2024-01-01")]
    sigs = signature_bytes([r[2] for r in rows])
    db.conn.executemany(
        "INSERT INTO reviews (id, source, text, author, rating, cluster_id, is_canonical, deleted_at, version, "
        "needs_score, needs_dedupe, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 0, ?)",
        [r + (s,) for r, s in zip(rows, sigs)])
    db.execute("INSERT INTO duplicate_pairs (a, b, kind, similarity, same_author) VALUES ('r1', 'r2', 'exact', 1, 1)")
    return db


def test_existing_store_upgrades_and_builds_its_dedupe_index_once(tmp_path):
    _old_store(tmp_path / "p.db").close()
    db = open_db(tmp_path / "p.db", internal_migrations)
    assert db.execute(KEPT).fetchall() == db.execute(RECOUNT).fetchall()
    assert {r[0] for r in db.execute("SELECT needs_suggest FROM reviews")} == {1}
    assert not dedupe_index.index_built(db)
    db.execute("INSERT INTO reviews (id, source, text, author, rating, cluster_id, version) "
               "VALUES ('r5', 'facebook', ?, 'Maria L.', 5.0, 'r5', 1)", [TEXT + " Thanks!"])
    counts = dedupe_store(db)
    assert dedupe_index.index_built(db)
    assert sorted(dedupe_index.anchor_numbers(db, ["r1", "r2", "r3", "r4", "r5"])) == ["r1", "r3"]
    assert counts["new_pairs"] == 1
    assert db.execute("SELECT cluster_id, is_canonical FROM reviews WHERE id = 'r5'").fetchone() == ("r1", 1)
    assert db.execute("SELECT is_canonical FROM reviews WHERE id = 'r1'").fetchone() == (0,)  # r5 is longer
    assert db.execute(KEPT).fetchall() == db.execute(RECOUNT).fetchall()


def test_summary_totals_follow_every_kind_of_change(fresh_db):
    rng = random.Random(4)
    ids = []
    for step in range(400):
        action = rng.random()
        if action < 0.4 or not ids:
            rid = f"r{step}"
            fresh_db.execute("INSERT INTO reviews (id, source, location, rating, version) VALUES (?, ?, ?, ?, 1)",
                             [rid, rng.choice("ab"), rng.choice([None, "x", "y"]), rng.choice([None, 1.0, 4.5, 5.0])])
            ids.append(rid)
        elif action < 0.55:
            fresh_db.execute("UPDATE reviews SET rating = ? WHERE id = ?",
                             [rng.choice([None, 2.0, 3.0]), rng.choice(ids)])
        elif action < 0.7:
            fresh_db.execute("UPDATE reviews SET deleted_at = ? WHERE id = ?", [rng.choice([None, "2025-01-01"]),
                                                                                 rng.choice(ids)])
        elif action < 0.85:
            fresh_db.execute("UPDATE reviews SET is_canonical = ? WHERE id = ?", [rng.choice([0, 1]), rng.choice(ids)])
        elif action < 0.95:
            fresh_db.execute("UPDATE reviews SET location = ?, source = ? WHERE id = ?",
                             [rng.choice([None, "x", "z"]), rng.choice("abc"), rng.choice(ids)])
        else:
            rid = ids.pop(rng.randrange(len(ids)))
            fresh_db.execute("DELETE FROM reviews WHERE id = ?", [rid])
    assert fresh_db.execute(KEPT).fetchall() == fresh_db.execute(RECOUNT).fetchall()


def test_quote_counts_kept_by_triggers_equal_a_count(fresh_db):
    from storage.quotes import quote_counts

    rng = random.Random(8)
    for k in range(60):
        fresh_db.execute("INSERT INTO reviews (id, source, version) VALUES (?, 'a', 1)", [f"r{k}"])
        fresh_db.execute("INSERT INTO quotes (review_id, status) VALUES (?, ?)",
                         [f"r{k}", rng.choice(["suggested", "approved", "rejected"])])
    for _ in range(80):
        qid = rng.randrange(1, 61)
        if rng.random() < 0.8:
            fresh_db.execute("UPDATE quotes SET status = ? WHERE id = ?", [rng.choice(["suggested", "approved"]), qid])
        else:
            fresh_db.execute("DELETE FROM quotes WHERE id = ?", [qid])
    expected = fresh_db.execute("SELECT count(*) FROM quotes WHERE status = 'suggested'").fetchone()[0]
    assert quote_counts(fresh_db)["suggested"] == expected > 0
