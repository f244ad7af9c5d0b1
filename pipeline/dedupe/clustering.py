"""Deduplication over the internal store: sign only new or changed reviews, match them against everything
already signed, keep the pairs, and rebuild clusters with one canonical review each.

The matching itself is pure: shingles and MinHash in pipeline.dedupe.minhash, LSH in pipeline.dedupe.lsh, the decision rule
in pipeline.dedupe.matching.
"""

from __future__ import annotations

import sys
from typing import Any

import sqlite_utils

from pipeline.dedupe.matching import DedupeItem, DuplicatePair, clusters, find_pairs
from pipeline.dedupe.minhash import basis, signature_bytes
from pipeline.models import flag
from storage import reviews as review_store
from storage.db import utc_now, write_transaction

BATCH = 100_000
# The same text under a different name: a possible fake or copied review, kept from publication (FTC 465.2).
COPIED_TEXT = flag("suspicious", "same_text_different_author")
_ITEM_COLUMNS = ("text", "author", "source", "published", "rating")


def _item(row: dict[str, Any], with_text: bool = True) -> DedupeItem:
    return DedupeItem(id=row["id"], text=row["text"] if with_text else "", author=row["author"],
                      source=row["source"], date=row["published"], rating=row["rating"])


def _known(db: sqlite_utils.Database) -> tuple[list[DedupeItem], list[bytes]]:
    """Already-deduplicated reviews without their texts (ids and authors find candidates), and signatures."""
    items, signatures = [], []
    for rid, author, source, published, rating, sig in db.execute(
            "SELECT id, author, source, published, rating, signature FROM reviews "
            "WHERE needs_dedupe = 0 AND signature IS NOT NULL AND deleted_at IS NULL"):
        # sources and dates repeat across a million rows: one shared string each, not a million copies
        items.append(DedupeItem(id=rid, text="", author=author, source=source and sys.intern(source),
                                date=published and sys.intern(published), rating=rating))
        signatures.append(sig)
    return items, signatures


def _hydrator(db: sqlite_utils.Database):
    """Loads the texts of the known candidates only, when the matcher asks for them."""
    def hydrate(items: list[DedupeItem]) -> list[DedupeItem]:
        rows = {r["id"]: r for r in review_store.fetch(db, [i.id for i in items], _ITEM_COLUMNS)}
        return [_item(rows[i.id]) if i.id in rows and rows[i.id]["text"] else i for i in items]
    return hydrate


def _dedupe_batch(db, known: list[DedupeItem], known_sigs: list[bytes], ids: list[str]) -> tuple[int, int]:
    rows = review_store.fetch(db, ids, _ITEM_COLUMNS)
    signed = [r for r in rows if r["text"]]
    items = [_item(r) for r in signed]
    bases = [basis(i.text) for i in items]  # normalised once, for the signatures and the exact groups
    sigs = signature_bytes([i.text for i in items], bases)
    pairs = find_pairs(items, known, known_sigs, new_signatures=sigs, hydrate=_hydrator(db), new_bases=bases)
    now = utc_now()
    with write_transaction(db):
        review_store.drop_pairs_of(db, ids)
        review_store.save_pairs(db, [(p.a, p.b, p.kind, p.similarity, p.same_author) for p in pairs], now)
        review_store.save_signatures(db, [(i.id, sig) for i, sig in zip(items, sigs)])
        copied = {i for p in pairs if not p.same_author for i in (p.a, p.b)}
        carrying = review_store.ids_with_flag_detail(db, ids, COPIED_TEXT["detail"])
        review_store.set_flag(db, sorted(carrying | copied), COPIED_TEXT, copied)
        db.conn.executemany("UPDATE reviews SET needs_dedupe = 0 WHERE id = ?",
                            [(r["id"],) for r in rows if not r["text"]])
    known.extend(_item(r, with_text=False) for r in signed)
    known_sigs.extend(sigs)
    return len(signed), len(pairs)


def dedupe_store(db: sqlite_utils.Database) -> dict[str, Any]:
    """Deduplicate what is new since the last run and refresh every cluster; returns counts."""
    known, known_sigs = _known(db)
    signed = found = 0
    while ids := review_store.ids_needing(db, "needs_dedupe", BATCH):
        batch_signed, batch_found = _dedupe_batch(db, known, known_sigs, ids)
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
