"""The dedupe stage's persistent candidate index: cluster anchors under their LSH band, name and sentence keys.

Kept between runs so a nightly run looks up the candidates of its new reviews instead of rebuilding an index
over every stored signature (issue 11). Only anchors (the review that started each cluster) are indexed: a new
review is only ever compared with anchors, which also bounds its candidates. Keys are 64-bit integers made by
`pipeline.dedupe.keys`; a key's bucket stops growing at `cap` anchors (a stop-key, like the in-memory LSH's).

An anchor that changes or leaves is dropped from `dedupe_anchors` only; its key rows stay behind until the
store is rebuilt and are ignored by `probe` (deleting them would need a second index on the anchor number).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import sqlite_utils

from storage.db import chunked
from storage.state import set_stage_value, stage_value

STOPPED = 1 << 30  # the size a stop-key reports: never below a cap


def index_built(db: sqlite_utils.Database) -> bool:
    """Whether the index holds every anchor (a store upgraded to it is built once, by the dedupe stage)."""
    return stage_value(db, "dedupe_index_built") == "1"


def mark_built(db: sqlite_utils.Database) -> None:
    """Record that the index holds every anchor."""
    set_stage_value(db, "dedupe_index_built", "1")


def has_anchors(db: sqlite_utils.Database) -> bool:
    """Whether any anchor is indexed (a first backfill has nothing to look up)."""
    return db.execute("SELECT 1 FROM dedupe_anchors LIMIT 1").fetchone() is not None


def add_anchors(db: sqlite_utils.Database, entries: list[tuple[str, list[int]]], cap: int | None,
                sizes: Counter[int] | None = None) -> None:
    """Index anchors (review id, its keys). In a transaction.

    A key whose bucket reaches `cap` anchors becomes a stop-key: its rows give way to one with anchor number 0
    and `probe` ignores it from then on. With `cap=None` (a bulk build) call `cap_buckets` afterwards. `sizes`
    are the bucket sizes `probe` saw for these keys (read again when not given).
    """
    if not entries:
        return
    db.conn.executemany("INSERT OR IGNORE INTO dedupe_anchors (review_id) VALUES (?)", [(rid,) for rid, _ in entries])
    numbers = anchor_numbers(db, [rid for rid, _ in entries])
    keys, anchors = _unique_rows(entries, numbers)
    stopped: list[int] = []
    if cap is not None:
        keys, anchors, stopped = _within_cap(db, keys, anchors, cap, sizes)
    db.conn.executemany("INSERT OR IGNORE INTO dedupe_keys (key, n) VALUES (?, ?)",
                        zip(keys.tolist(), anchors.tolist()))
    _stop(db, stopped)


def _unique_rows(entries: list[tuple[str, list[int]]], numbers: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """The (key, anchor number) rows of these entries, once each, in key order: inserts in index order touch
    each B-tree page once."""
    key_list: list[int] = []
    anchor_list: list[int] = []
    for rid, ks in entries:
        key_list += ks
        anchor_list += [numbers[rid]] * len(ks)
    keys, anchors = np.array(key_list, np.int64), np.array(anchor_list, np.int64)
    order = np.lexsort((anchors, keys))
    keys, anchors = keys[order], anchors[order]
    first = np.ones(len(keys), bool)
    first[1:] = (keys[1:] != keys[:-1]) | (anchors[1:] != anchors[:-1])
    return keys[first], anchors[first]


def _within_cap(db: sqlite_utils.Database, keys: np.ndarray, anchors: np.ndarray, cap: int,
                sizes: Counter[int] | None) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """The rows that fit under `cap` (first anchors first), and the keys this batch fills past it."""
    distinct, starts, counts = np.unique(keys, return_index=True, return_counts=True)
    listed = distinct.tolist()
    known = sizes if sizes is not None else _bucket_sizes(db, listed)
    held = np.array([known.get(k, 0) for k in listed], np.int64)
    rank = np.arange(len(keys)) - np.repeat(starts, counts)  # position in its key's run
    fits = np.repeat(held, counts) + rank < cap
    stopped = distinct[(held <= cap) & (held + counts > cap)].tolist()
    return keys[fits], anchors[fits], stopped


def _stop(db: sqlite_utils.Database, keys: list[int]) -> None:
    """Make these keys stop-keys: only the marker row (anchor number 0) stays."""
    db.conn.executemany("DELETE FROM dedupe_keys WHERE key = ?", [(k,) for k in keys])
    db.conn.executemany("INSERT INTO dedupe_keys (key, n) VALUES (?, 0)", [(k,) for k in keys])


def cap_buckets(db: sqlite_utils.Database, cap: int) -> int:
    """After a bulk build: make every key holding more than `cap` anchors a stop-key; returns how many."""
    full = [r[0] for r in db.execute("SELECT key FROM dedupe_keys GROUP BY key HAVING count(*) > ?", (cap,))]
    _stop(db, full)
    return len(full)


def _bucket_sizes(db: sqlite_utils.Database, keys: list[int]) -> Counter[int]:
    """Anchors held under each key; a stop-key (its marker row has anchor number 0) is never below a cap."""
    sizes: Counter[int] = Counter()
    for part in chunked(keys):
        marks = ",".join("?" * len(part))
        for key, count, lowest in db.execute(f"SELECT key, count(*), min(n) FROM dedupe_keys WHERE key IN ({marks}) "
                                             f"GROUP BY key", part):
            sizes[key] = STOPPED if lowest == 0 else count
    return sizes


def anchor_numbers(db: sqlite_utils.Database, review_ids: list[str]) -> dict[str, int]:
    """Review id -> anchor number, for the ids that are indexed anchors."""
    found: dict[str, int] = {}
    for part in chunked(review_ids):
        marks = ",".join("?" * len(part))
        found.update((rid, n) for n, rid in db.execute(
            f"SELECT n, review_id FROM dedupe_anchors WHERE review_id IN ({marks})", part))
    return found


def remove_anchors(db: sqlite_utils.Database, review_ids: list[str]) -> None:
    """Stop offering these reviews as anchors (their key rows become dead, see the module docstring)."""
    for part in chunked(review_ids):
        marks = ",".join("?" * len(part))
        db.conn.execute(f"DELETE FROM dedupe_anchors WHERE review_id IN ({marks})", part)


def probe(db: sqlite_utils.Database, keys: list[int]) -> tuple[list[tuple[int, str]], Counter[int]]:
    """(key, review id) of every live anchor indexed under one of these keys (stop-keys give nothing), and the
    size of each key's bucket (for `add_anchors`)."""
    rows: list[tuple[int, int, str | None]] = []
    for part in chunked(sorted(set(keys))):
        marks = ",".join("?" * len(part))
        rows += db.execute(f"SELECT k.key, k.n, a.review_id FROM dedupe_keys k LEFT JOIN dedupe_anchors a "
                           f"ON a.n = k.n WHERE k.key IN ({marks})", part).fetchall()
    sizes = Counter(key for key, _, _ in rows)
    stopped = {key for key, n, _ in rows if n == 0}
    for key in stopped:
        sizes[key] = STOPPED
    return [(key, rid) for key, _, rid in rows if rid is not None and key not in stopped], sizes


def dirty_clusters(db: sqlite_utils.Database) -> list[str]:
    """Clusters whose canonical may have to move (a member deleted, restored or purged since the last run)."""
    return [r[0] for r in db.execute("SELECT cluster_id FROM dedupe_dirty")]


def clear_dirty(db: sqlite_utils.Database, cluster_ids: list[str]) -> None:
    """Forget these clusters as dirty (their canonicals were refreshed)."""
    db.conn.executemany("DELETE FROM dedupe_dirty WHERE cluster_id = ?", [(c,) for c in cluster_ids])

