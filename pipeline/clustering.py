"""Deduplication over the internal store: sign only new or changed reviews, match them against everything
already signed, keep the pairs, and rebuild clusters with one canonical review each.

The matching itself (shingles, MinHash, LSH, the decision rule) is pure and lives in pipeline.dedupe.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from pipeline.dedupe import DedupeItem, DuplicatePair, NearDuplicateIndex, clusters, confirm, signature_bytes
from storage import reviews as review_store
from storage.db import utc_now, write_transaction

BATCH = 20_000
_ITEM_COLUMNS = ("text", "author", "source", "published", "rating")


def _item(row: dict[str, Any]) -> DedupeItem:
    return DedupeItem(id=row["id"], text=row["text"], author=row["author"], source=row["source"],
                      date=row["published"], rating=row["rating"])


def _known_index(db: sqlite_utils.Database) -> NearDuplicateIndex:
    """An LSH index over the stored signatures of reviews that are already deduplicated."""
    index = NearDuplicateIndex()
    ids, sigs = [], []
    for rid, sig in db.execute("SELECT id, signature FROM reviews WHERE needs_dedupe = 0 AND signature IS NOT NULL "
                               "AND deleted_at IS NULL"):
        ids.append(rid)
        sigs.append(sig)
        if len(ids) >= BATCH:
            index.add(ids, sigs)
            ids, sigs = [], []
    index.add(ids, sigs)
    return index


def _confirmed(db, batch: list[dict[str, Any]], candidates: set[tuple[str, str]]) -> list[DuplicatePair]:
    items = {row["id"]: _item(row) for row in batch}
    outside = sorted({i for pair in candidates for i in pair} - items.keys())
    items.update({row["id"]: _item(row) for row in review_store.fetch(db, outside, _ITEM_COLUMNS) if row["text"]})
    pairs = (confirm(items[a], items[b]) for a, b in candidates if a in items and b in items)
    return [p for p in pairs if p is not None]


def _dedupe_batch(db, index: NearDuplicateIndex, ids: list[str]) -> tuple[int, int]:
    rows = [r for r in review_store.fetch(db, ids, _ITEM_COLUMNS)]
    signed = [r for r in rows if r["text"]]
    sigs = signature_bytes([r["text"] for r in signed])
    signed_ids = [r["id"] for r in signed]
    pairs = _confirmed(db, signed, index.candidates(signed_ids, sigs))
    now = utc_now()
    with write_transaction(db):
        review_store.drop_pairs_of(db, ids)
        review_store.save_pairs(db, [(p.a, p.b, p.kind, p.similarity, p.same_author) for p in pairs], now)
        review_store.save_signatures(db, list(zip(signed_ids, sigs)))
        db.conn.executemany("UPDATE reviews SET needs_dedupe = 0 WHERE id = ?",
                            [(r["id"],) for r in rows if not r["text"]])
    index.add(signed_ids, sigs)
    return len(signed), len(pairs)


def dedupe_store(db: sqlite_utils.Database) -> dict[str, Any]:
    """Deduplicate what is new since the last run and refresh every cluster; returns counts."""
    index = _known_index(db)
    signed = found = 0
    while ids := review_store.ids_needing(db, "needs_dedupe", BATCH):
        batch_signed, batch_found = _dedupe_batch(db, index, ids)
        signed, found = signed + batch_signed, found + batch_found
    clustered = rebuild_clusters(db)
    return {"signed": signed, "new_pairs": found, "clustered_reviews": clustered}


def canonical_key(row: dict[str, Any]) -> tuple:
    """Sort key choosing a cluster's canonical review: live, with text, consented form entry, longest, oldest."""
    return (row["deleted_at"] is not None, row["text_len"] is None, row["consent_given"] != 1,
            -(row["text_len"] or 0), row["first_seen"] or "", row["id"])


def rebuild_clusters(db: sqlite_utils.Database) -> int:
    """Recompute cluster ids and canonical members from all stored pairs."""
    pairs = [DuplicatePair(a, b, kind, sim, bool(same)) for a, b, kind, sim, same in
             db.execute("SELECT a, b, kind, similarity, same_author FROM duplicate_pairs")]
    members = sorted({i for p in pairs for i in (p.a, p.b)})
    assignment = clusters(members, pairs)
    info = {r["id"]: r for r in db.query(
        "SELECT id, deleted_at, length(text) AS text_len, consent_given, first_seen FROM reviews "
        "WHERE id IN (SELECT a FROM duplicate_pairs UNION SELECT b FROM duplicate_pairs)")}
    groups: dict[str, list[str]] = {}
    for rid, cid in assignment.items():
        groups.setdefault(cid, []).append(rid)
    rows = []
    for cid, ids in groups.items():
        canonical = min((info[i] for i in ids if i in info), key=canonical_key)["id"]
        rows += [(rid, cid, rid == canonical) for rid in ids]
    with write_transaction(db):
        db.conn.execute("UPDATE reviews SET cluster_id = id, is_canonical = 1 "
                        "WHERE cluster_id IS NULL OR cluster_id != id OR is_canonical != 1")
        review_store.save_clusters(db, rows)
    return len(rows)
