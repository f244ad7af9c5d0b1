"""Deduplication over the internal store: sign only new or changed reviews, place them in clusters against the
anchors the persistent index offers, keep one pair per joined review, and refresh only the clusters touched.

The placement is pure (`pipeline.dedupe.assign`); the index lives in the store (`storage.dedupe_index`) with
the keys of `pipeline.dedupe.keys`. A cluster's id is its anchor's id; its canonical (shown to staff) is
chosen by `canonical_key` among its members and refreshed when a member joins, leaves, is deleted, restored
or purged (the store's `dedupe_dirty` trigger), never by a pass over every pair.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from typing import Any

import sqlite_utils

from pipeline.dedupe.assign import Assignment, assign
from pipeline.dedupe.fragments import fragment_keys
from pipeline.dedupe.keys import fragment_part, is_fragment, review_keys
from pipeline.dedupe.lsh import MAX_BUCKET
from pipeline.dedupe.matching import DedupeItem
from pipeline.dedupe.minhash import basis, signature_bytes, signatures_from_bytes
from pipeline.models import flag
from storage import dedupe_index
from storage import reviews as review_store
from storage.db import chunked, utc_now, write_transaction

BATCH = 100_000
BUILD_CHUNK = 50_000
# Known anchors compared per new review: those sharing the most keys (bands, name blocks, sentences) with it, so
# a common name or sentence in a large store does not make a nightly run read thousands of candidates.
KNOWN_PER_REVIEW = 16
# The same text under a different name: a possible fake or copied review, kept from publication (FTC 465.2).
COPIED_TEXT = flag("suspicious", "same_text_different_author")
SHARED_FRAGMENT = flag("suspicious", "shared_fragment")
_ITEM_COLUMNS = ("text", "author", "source", "published", "rating")


def _item(row: dict[str, Any], with_text: bool = True) -> DedupeItem:
    return DedupeItem(id=row["id"], text=(row["text"] or "") if with_text else "", author=row["author"],
                      source=row["source"] and sys.intern(row["source"]),
                      date=row["published"] and sys.intern(row["published"]), rating=row["rating"])


def _hydrator(db: sqlite_utils.Database):
    """Loads the texts of the known candidates only, when the matcher asks for them."""
    def hydrate(items: list[DedupeItem]) -> list[DedupeItem]:
        rows = {r["id"]: r for r in review_store.fetch(db, [i.id for i in items], _ITEM_COLUMNS)}
        return [_item(rows[i.id]) if i.id in rows and rows[i.id]["text"] else i for i in items]
    return hydrate


def _known_candidates(db: sqlite_utils.Database, keys: list[list[int]]
                      ) -> tuple[list[DedupeItem], list[bytes], list[tuple[int, ...]], Counter[int]]:
    """Anchors sharing keys with the new texts (the KNOWN_PER_REVIEW sharing most, per text), with their
    signatures, the sentence keys they share, and the bucket sizes of the keys."""
    if not dedupe_index.has_anchors(db):  # a first backfill: nothing to look up
        return [], [], [], Counter()
    wanted: dict[int, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for key in ks:
            wanted[key].append(i)
    found, sizes = dedupe_index.probe(db, list(wanted))
    chosen = _most_shared(Counter((i, rid) for key, rid in found for i in wanted[key]))
    fragments: dict[str, list[int]] = defaultdict(list)
    for key, rid in found:
        if is_fragment(key) and rid in chosen:
            fragments[rid].append(fragment_part(key))
    rows = review_store.fetch(db, sorted(chosen), ("author", "source", "published", "rating", "signature", "deleted_at",
                                           "needs_dedupe"))
    live = [r for r in rows if r["signature"] and r["deleted_at"] is None and not r["needs_dedupe"]]
    return ([_item(r, with_text=False) for r in live], [r["signature"] for r in live],
            [tuple(fragments[r["id"]]) for r in live], sizes)


def _keys_per_text(bases: list[str], keys: list[list[int]]) -> list[list[int]]:
    """The keys of each distinct text (its reviews' name keys together): copies of one text look up once."""
    merged: dict[str, set[int]] = {}
    for b, ks in zip(bases, keys):
        merged.setdefault(b, set()).update(ks)
    return [sorted(ks) for ks in merged.values()]


def _most_shared(hits: Counter[tuple[int, str]]) -> set[str]:
    """The KNOWN_PER_REVIEW anchors sharing most keys with each new text, from (text, anchor) hit counts."""
    chosen, taken = set(), Counter()
    for (i, rid), _ in sorted(hits.items(), key=lambda hit: (hit[0][0], -hit[1], hit[0][1])):
        if taken[i] < KNOWN_PER_REVIEW:
            taken[i] += 1
            chosen.add(rid)
    return chosen


def _detach(db: sqlite_utils.Database, ids: list[str]) -> set[str]:
    """Take these reviews out of their clusters before they are placed again; returns the clusters touched.

    Members of a cluster anchored by one of them lose their anchor: they are detached too and asked to be
    placed again (needs_dedupe), so no cluster keeps members that were never compared with its anchor.
    """
    rows = review_store.fetch(db, ids, ("cluster_id",))
    touched = {r["cluster_id"] for r in rows if r["cluster_id"] and r["cluster_id"] != r["id"]}
    anchors = sorted(dedupe_index.anchor_numbers(db, ids))  # a new review is not one yet
    batch = set(ids)
    orphans = [rid for members in _members(db, anchors).values() for rid in members if rid not in batch]
    touched.update(anchors)
    dedupe_index.remove_anchors(db, ids)
    review_store.drop_pairs_of(db, ids + orphans)
    db.conn.executemany("UPDATE reviews SET cluster_id = id, is_canonical = 1 WHERE id = ? AND cluster_id != id",
                        [(rid,) for rid in ids + orphans])
    db.conn.executemany("UPDATE reviews SET needs_dedupe = 1 WHERE id = ?", [(rid,) for rid in orphans])
    return touched


def _members(db: sqlite_utils.Database, cluster_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for part in chunked(cluster_ids):
        marks = ",".join("?" * len(part))
        for rid, cid in db.execute(f"SELECT id, cluster_id FROM reviews WHERE cluster_id IN ({marks})", part):
            found[cid].append(rid)
    return found


def _dedupe_batch(db: sqlite_utils.Database, ids: list[str]) -> tuple[int, int]:
    with write_transaction(db):
        touched = _detach(db, ids)
    rows = review_store.fetch(db, ids, _ITEM_COLUMNS)
    signed = [r for r in rows if r["text"]]
    items = [_item(r) for r in signed]
    bases = [basis(i.text) for i in items]  # normalised once, for the signatures and the exact groups
    sigs = signature_bytes([i.text for i in items], bases)
    fragments = [fragment_keys(i.text) for i in items]  # once: the index keys and the placement both need them
    keys = review_keys(signatures_from_bytes(sigs), [i.author for i in items], fragments)
    known, known_sigs, known_fragments, sizes = _known_candidates(db, _keys_per_text(bases, keys))
    placed = assign(items, known, known_sigs, new_signatures=sigs, hydrate=_hydrator(db), new_bases=bases,
                    known_fragments=known_fragments, new_fragments=fragments)
    with write_transaction(db):
        _store_placement(db, placed, ids)
        review_store.save_signatures(db, [(i.id, sig) for i, sig in zip(items, sigs)])
        dedupe_index.add_anchors(db, [(i.id, k) for i, k in zip(items, keys) if placed.anchors[i.id] == i.id],
                                 MAX_BUCKET, sizes)
        db.conn.executemany("UPDATE reviews SET needs_dedupe = 0 WHERE id = ?",
                            [(r["id"],) for r in rows if not r["text"]])
        refresh_canonicals(db, sorted(touched | set(placed.anchors.values())))
    return len(signed), len(placed.pairs)


def _store_placement(db: sqlite_utils.Database, placed: Assignment, ids: list[str]) -> None:
    """Pairs, cluster ids and the suspicious flags of one placed batch. Call inside a transaction."""
    review_store.save_pairs(db, [(p.a, p.b, p.kind, p.similarity, p.same_author) for p in placed.pairs],
                            utc_now())
    db.conn.executemany("UPDATE reviews SET cluster_id = ? WHERE id = ?",
                        [(anchor, rid) for rid, anchor in placed.anchors.items() if anchor != rid])
    for marker, found in ((COPIED_TEXT, {i for p in placed.pairs if not p.same_author for i in (p.a, p.b)}),
                          (SHARED_FRAGMENT, {i for pair in placed.fragments for i in pair})):
        carrying = review_store.ids_with_flag_detail(db, ids, marker["detail"])
        review_store.set_flag(db, sorted(carrying | found), marker, found)


def dedupe_store(db: sqlite_utils.Database) -> dict[str, Any]:
    """Deduplicate what is new since the last run and refresh the clusters it touched; returns counts."""
    if not dedupe_index.index_built(db):
        build_index(db)
    signed = found = 0
    while ids := review_store.ids_needing(db, "needs_dedupe", BATCH):
        batch_signed, batch_found = _dedupe_batch(db, ids)
        signed, found = signed + batch_signed, found + batch_found
    dirty = dedupe_index.dirty_clusters(db)
    with write_transaction(db):
        refresh_canonicals(db, dirty)
        dedupe_index.clear_dirty(db, dirty)
    return {"signed": signed, "new_pairs": found, "clusters_refreshed": len(dirty)}


def canonical_key(row: dict[str, Any]) -> tuple:
    """Sort key choosing a cluster's canonical review: live, with text, consented form entry, longest, oldest."""
    return (row["deleted_at"] is not None, row["text_len"] is None, row["consent_given"] != 1,
            -(row["text_len"] or 0), row["first_seen"] or "", row["id"])


def refresh_canonicals(db: sqlite_utils.Database, cluster_ids: list[str]) -> int:
    """Choose the canonical member of these clusters again (work follows their size); returns rows changed."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for part in chunked(cluster_ids):
        marks = ",".join("?" * len(part))
        for row in db.query(f"SELECT id, cluster_id, deleted_at, length(text) AS text_len, consent_given, "
                            f"first_seen, is_canonical FROM reviews WHERE cluster_id IN ({marks})", part):
            groups[row["cluster_id"]].append(row)
    changes = []
    for cid, rows in groups.items():
        canonical = min(rows, key=canonical_key)["id"]
        changes += [(cid, r["id"] == canonical, r["id"]) for r in rows
                    if bool(r["is_canonical"]) != (r["id"] == canonical)]
    review_store.save_clusters(db, [(rid, cid, canon) for cid, canon, rid in changes])
    return len(changes)


def build_index(db: sqlite_utils.Database) -> int:
    """Index every anchor of a store that has none yet (an upgraded store, once); returns how many."""
    after, count = "", 0
    while True:
        rows = list(db.query(
            "SELECT id, author, text, signature FROM reviews WHERE id > ? AND cluster_id = id AND signature "
            "IS NOT NULL AND deleted_at IS NULL AND needs_dedupe = 0 ORDER BY id LIMIT ?", (after, BUILD_CHUNK)))
        if not rows:
            break
        keys = review_keys(signatures_from_bytes([r["signature"] for r in rows]), [r["author"] for r in rows],
                           [fragment_keys(r["text"] or "") for r in rows])
        with write_transaction(db):
            dedupe_index.add_anchors(db, [(r["id"], k) for r, k in zip(rows, keys)], None)
        after, count = rows[-1]["id"], count + len(rows)
    with write_transaction(db):
        dedupe_index.cap_buckets(db, MAX_BUCKET)
        dedupe_index.mark_built(db)
    return count
