"""LSH over MinHash signatures: which reviews are worth comparing, never all pairs.

Text LSH (`NearDuplicateIndex`): 32 bands of 4 values, each band a sorted uint64 array of (key, position)
queried with `searchsorted`: 8 bytes per band per review, 256 MB at 1M. Not datasketch's `MinHashLSH`:
its per-band Python dicts of bytes cost several GB at 1M and a Python call per insert. 4 rows, not 3:
on real long reviews 3 rows collide 0.3% of random pairs (16M candidates at 100k), 4 rows 0.016%;
planted cross-posts still collide 98% of the time. A bucket of more than MAX_BUCKET reviews is a stop-key.

Driven by the constants below, no settings. Signatures come from `pipeline.dedupe.minhash`; `pipeline.dedupe.matching`
filters and confirms the candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.dedupe.minhash import _MUL, _U64, _expand, _is_empty, _mix, signatures_from_bytes

BANDS, ROWS = 32, 4
MAX_BUCKET = 200  # LSH and name buckets larger than this are stop-keys: skipped, not paired

_LOW32 = _U64(0xFFFFFFFF)
_SALT = np.arange(64, dtype=_U64) * _MUL  # per-band offsets (array arithmetic wraps silently)
_STEP = 1 << 16  # signatures per chunk when indexing


def band_keys(sig: np.ndarray) -> np.ndarray:
    """One uint32 key per band per signature: (n, BANDS)."""
    v = sig[:, : BANDS * ROWS].astype(_U64).reshape(len(sig), BANDS, ROWS)
    key = v[:, :, 0].copy()
    for j in range(1, ROWS):
        key = (key << _U64(16)) | v[:, :, j]
    key += _SALT[:BANDS]
    return (_mix(key) >> _U64(32)).astype(np.uint32)


class KeyTable:
    """Sorted (uint32 key, position) entries packed in one uint64 array; equal keys make candidate pairs."""

    def __init__(self) -> None:
        """An empty table."""
        self.entries = np.zeros(0, _U64)
        self._pending: list[np.ndarray] = []

    def add(self, keys: np.ndarray, pos: np.ndarray) -> None:
        """Queue keys (uint32) and their positions (< 2**32); sorted on the next probe."""
        self._pending.append(_pack(keys, pos))

    def _merge(self) -> None:
        """Fold queued entries into the sorted array."""
        if self._pending:
            merged = np.concatenate([self.entries, *self._pending])
            self._pending = []
            merged.sort()
            self.entries = merged

    def probe(self, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(query row, stored position) for every stored key equal to a query key."""
        self._merge()
        base = k.astype(_U64) << _U64(32)
        lo = np.searchsorted(self.entries, base, "left")
        counts = np.searchsorted(self.entries, base | _LOW32, "right") - lo
        counts[counts > MAX_BUCKET] = 0  # a stop-key (see _runs)
        rows = np.repeat(np.arange(k.size, dtype=np.int64), counts)
        return rows, (self.entries[_expand(counts, lo)] & _LOW32).astype(np.int64)

    @property
    def nbytes(self) -> int:
        """Bytes held, queued entries included."""
        return self.entries.nbytes + sum(p.nbytes for p in self._pending)


def _pack(keys: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """key << 32 | position, so one sort orders by key and keeps the position alongside."""
    return (keys.astype(_U64) << _U64(32)) | pos.astype(_U64)


class NearDuplicateIndex:
    """LSH over stored signatures: one KeyTable per band (8 bytes per band per review)."""

    def __init__(self) -> None:
        """An empty index."""
        self.ids: list = []
        self._bands = [KeyTable() for _ in range(BANDS)]

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        """Bytes held by the band arrays."""
        return sum(t.nbytes for t in self._bands)

    def add(self, ids: Sequence[str], signatures: Sequence[bytes]) -> None:
        """Index stored signatures under their ids (read in chunks: no full matrix at 1M)."""
        if len(ids) != len(signatures):
            raise ValueError("ids and signatures differ in length")
        for lo in range(0, len(ids), _STEP):
            self.add_matrix(ids[lo:lo + _STEP], signatures_from_bytes(signatures[lo:lo + _STEP]))

    def add_matrix(self, ids: Sequence, sig: np.ndarray) -> None:
        """Index an (n, NUM_BINS) signature matrix; empty signatures are skipped."""
        if len(ids) != len(sig):
            raise ValueError("ids and signatures differ in length")
        keep = np.flatnonzero(~_is_empty(sig))
        for lo in range(0, keep.size, _STEP):  # bounded temporaries at 1M signatures
            part = keep[lo:lo + _STEP]
            keys = band_keys(sig[part])
            pos = np.arange(len(self.ids) + lo, len(self.ids) + lo + part.size, dtype=np.int32)
            for band, table in enumerate(self._bands):
                table.add(keys[:, band], pos)
        self.ids.extend(ids[i] for i in keep.tolist())

    def candidate_positions(self, sig: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Band collisions, unique: (query row, indexed position) pairs and (query row, query row) pairs."""
        keys = band_keys(sig)
        live = np.flatnonzero(~_is_empty(sig))
        qx, ix, qa, qb = [], [], [], []
        for band, table in enumerate(self._bands):
            k = keys[live, band]
            q, i = table.probe(k)
            qx.append(live[q]), ix.append(i)
            a, b = _runs(k)
            qa.append(live[np.minimum(a, b)]), qb.append(live[np.maximum(a, b)])
        return (*_unique_pairs(np.concatenate(qx), np.concatenate(ix)),
                *_unique_pairs(np.concatenate(qa), np.concatenate(qb)))

    def candidates(self, ids: list[str], signatures: list[bytes]) -> set[tuple[str, str]]:
        """Candidate id pairs (a < b) between the given signatures and the index, and among the given ones."""
        qx, ix, qa, qb = self.candidate_positions(signatures_from_bytes(signatures))
        pairs = {_ordered(ids[q], self.ids[i]) for q, i in zip(qx.tolist(), ix.tolist())}
        pairs.update(_ordered(ids[a], ids[b]) for a, b in zip(qa.tolist(), qb.tolist()))
        return {p for p in pairs if p[0] != p[1]}


def _runs(k: np.ndarray, max_bucket: int = MAX_BUCKET) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (i, j), i before j in sorted order, of equal keys within one uint32 array.

    A key shared by more than `max_bucket` items is skipped: such a bucket is boilerplate every review has (a
    stop-key), its pairs grow quadratically, and true duplicates still meet in their other bands.
    """
    packed = np.sort(_pack(k, np.arange(k.size)))
    ks, order = packed >> _U64(32), (packed & _LOW32).astype(np.int64)
    boundary = np.flatnonzero(np.diff(ks)) + 1
    sizes = np.diff(np.concatenate(([0], boundary, [ks.size])))
    run_end = np.repeat(np.append(boundary, ks.size), sizes)
    counts = np.where(np.repeat(sizes, sizes) > max_bucket, 0, run_end - np.arange(ks.size) - 1)
    first = np.repeat(order, counts)
    second = order[_expand(counts, np.arange(ks.size) + 1)]
    return first, second


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """np.unique by sorting: numpy 2's hash-based unique is over ten times slower on millions of int64."""
    x = np.sort(x)
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if x.size else x


def _unique_pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (a, b) pairs of non-negative ints below 2**31."""
    code = _sorted_unique((a.astype(np.int64) << 32) | b.astype(np.int64))
    return code >> 32, code & 0xFFFFFFFF


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)

