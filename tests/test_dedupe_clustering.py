"""The dedupe stage over a store (pipeline.dedupe.clustering, storage.dedupe_index): clusters kept up to date by
the reviews that change, a kept index with stop-keys, canonicals that move when a member is deleted."""

from __future__ import annotations

from pipeline.dedupe.clustering import dedupe_store
from storage import dedupe_index

LONG = ("I brought my father in for a hip replacement consultation and Dr. Okonkwo spent almost an hour with us. "
        "She walked through the X-rays, explained the risks in plain words and never once made us feel rushed.")
OTHER = ("The billing office lost my referral twice and nobody called back about the results of my scan, "
         "so I had to drive over and wait two hours at the front desk to sort it out myself.")


def _add(db, rid: str, text: str, author: str, source: str, consent: int = 0) -> None:
    db.execute("INSERT INTO reviews (id, source, text, author, version, cluster_id, consent_given, first_seen) "
               "VALUES (?, ?, ?, ?, 1, ?, ?, '2026-01-01')", [rid, source, text, author, rid, consent])


def _clusters(db) -> dict[str, tuple[str, int]]:
    return {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, cluster_id, is_canonical FROM reviews")}


def test_copies_join_the_anchor_across_runs_and_a_deleted_canonical_gives_way(fresh_db):
    _add(fresh_db, "a", LONG, "Maria Lopez", "google")
    dedupe_store(fresh_db)
    _add(fresh_db, "b", LONG + " Thank you all!", "M. Lopez", "yelp", consent=1)
    _add(fresh_db, "c", OTHER, "Tom Becker", "google")
    counts = dedupe_store(fresh_db)
    assert counts["new_pairs"] == 1
    assert _clusters(fresh_db) == {"a": ("a", 0), "b": ("a", 1), "c": ("c", 1)}
    assert sorted(dedupe_index.anchor_numbers(fresh_db, ["a", "b", "c"])) == ["a", "c"]
    fresh_db.execute("UPDATE reviews SET deleted_at = '2026-02-01' WHERE id = 'b'")
    assert dedupe_store(fresh_db)["clusters_refreshed"] == 1
    assert _clusters(fresh_db)["a"] == ("a", 1)


def test_an_anchor_whose_text_changes_sends_its_members_to_be_placed_again(fresh_db):
    _add(fresh_db, "a", LONG, "Maria Lopez", "google")
    _add(fresh_db, "b", LONG + " Thank you all!", "M. Lopez", "yelp")
    dedupe_store(fresh_db)
    assert _clusters(fresh_db)["b"][0] == "a"
    fresh_db.execute("UPDATE reviews SET text = ?, needs_dedupe = 1 WHERE id = 'a'", [OTHER])
    dedupe_store(fresh_db)
    assert _clusters(fresh_db) == {"a": ("a", 1), "b": ("b", 1)}
    assert fresh_db.execute("SELECT count(*) FROM duplicate_pairs").fetchone()[0] == 0


def test_a_full_bucket_becomes_a_stop_key(fresh_db):
    dedupe_index.add_anchors(fresh_db, [("r1", [7, 8]), ("r2", [7])], cap=2)
    found, _ = dedupe_index.probe(fresh_db, [7, 8])
    assert sorted(found) == [(7, "r1"), (7, "r2"), (8, "r1")]
    dedupe_index.add_anchors(fresh_db, [("r3", [7, 8])], cap=2)
    found, sizes = dedupe_index.probe(fresh_db, [7, 8])
    assert sorted(found) == [(8, "r1"), (8, "r3")] and sizes[7] > 2


def test_a_stop_key_takes_no_new_rows_when_sizes_are_read_from_the_store(fresh_db):
    dedupe_index.add_anchors(fresh_db, [("r1", [7]), ("r2", [7]), ("r3", [7])], cap=2)  # 7 is now a stop-key
    dedupe_index.add_anchors(fresh_db, [("r4", [7, 9])], cap=2)  # no sizes given: read from the store
    rows = fresh_db.execute("SELECT key, n FROM dedupe_keys WHERE key = 7").fetchall()
    assert rows == [(7, 0)]  # only the marker: the stopped bucket did not grow again
    assert dedupe_index.probe(fresh_db, [7, 9])[0] == [(9, "r4")]
