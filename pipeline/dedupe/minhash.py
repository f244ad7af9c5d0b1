"""MinHash signatures of review text: the text basis duplicates are judged on, hashed into 256 stored bytes.

Text basis (`basis`): a trailing "… Read more" is dropped, then the text is normalised as `pipeline.text.normalise`
does (case, accents, punctuation and emoji go). Identical basis text is an *exact* duplicate.

Signature (`signature_bytes`): one-permutation MinHash with optimal densification over character 5-grams
of the basis, 128 bins of 16 bits = 256 bytes, computed for a whole batch with numpy: one 64-bit hash per
5-gram, no loop per shingle or per permutation (100k 80-word reviews: ~1.5 s, plus ~1.5 s normalising).
Character grams survive a typo or a changed word in a short review, where word 3-shingles lose most of it.
All hashing is our own arithmetic (never Python's `hash()`), so signatures are stable across processes
and can be stored; bump SIGNATURE_VERSION when a constant that shapes them changes.

Driven by the constants below, no settings. `pipeline.dedupe.lsh` indexes these signatures for candidates and
`pipeline.dedupe.matching` decides which candidates are duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from pipeline.text import normalise, strip_read_more

SIGNATURE_VERSION = 1  # bump when any constant below changes: stored signatures must then be recomputed
NUM_BINS = 128
SHINGLE = 5
SIGNATURE_BYTES = NUM_BINS * 2

_U64 = np.uint64
_MASK16 = _U64(0xFFFF)
_MUL = _U64(0x9E3779B97F4A7C15)
_CHUNK_CHARS = 1 << 21
_DENSIFY_TRIES = 1024
_READ_MORE_TAIL = re.compile(r"(?:read more|see more|(?:\.\.\.|…)\s*more)\s*$", re.IGNORECASE)
_DROP = re.compile(r"[^\w\s]")


# --------------------------------------------------------------------------- text basis


def basis(text: str) -> str:
    """The normalised text that duplicates are judged on (trailing "Read more" dropped)."""
    if _READ_MORE_TAIL.search(text[-40:]):
        text = strip_read_more(text)
    if text.isascii():  # same result as normalise(), which spends most of its time on accents
        return " ".join(_DROP.sub(" ", text.lower()).split())
    return normalise(text)


# --------------------------------------------------------------------------- signatures


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, in place on a uint64 array."""
    x ^= x >> _U64(30)
    x *= _U64(0xBF58476D1CE4E5B9)
    x ^= x >> _U64(27)
    x *= _U64(0x94D049BB133111EB)
    x ^= x >> _U64(31)
    return x


def _expand(counts: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Concatenated ranges starts[i] .. starts[i] + counts[i] - 1, vectorised."""
    total = int(counts.sum())
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offsets


def _gram_hashes(bases: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hash of every character 5-gram of every text, with the index of the text it came from."""
    padded = [(" " + b + " ").ljust(SHINGLE) for b in bases]
    lens = np.fromiter((len(p) for p in padded), np.int64, len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), np.uint32).astype(_U64)
    starts = np.cumsum(lens) - lens
    counts = lens - SHINGLE + 1
    owner = np.repeat(np.arange(len(padded), dtype=np.int64), counts)
    pos = _expand(counts, starts)
    h = codes[pos].copy()
    for k in range(1, SHINGLE):
        h *= _MUL
        h += codes[pos + k]
    return _mix(h), owner


def _densify_table() -> np.ndarray:
    """Fixed probe sequence per bin for optimal densification (same for every text, so collisions stay fair)."""
    tries = np.arange(_DENSIFY_TRIES, dtype=_U64)[:, None] * _U64(NUM_BINS)
    seeds = tries + np.arange(NUM_BINS, dtype=_U64)[None, :] + _U64(0x5EED)
    return (_mix(seeds) % _U64(NUM_BINS)).astype(np.int64)


_PROBES = _densify_table()


def _densify(sig: np.ndarray, filled: np.ndarray) -> None:
    """Fill empty bins from the first filled bin on each bin's fixed probe sequence."""
    rows, cols = np.nonzero(~filled & filled.any(axis=1, keepdims=True))
    for attempt in range(_DENSIFY_TRIES):
        if rows.size == 0:
            return
        src = _PROBES[attempt, cols]
        ok = filled[rows, src]
        sig[rows[ok], cols[ok]] = sig[rows[ok], src[ok]]
        rows, cols = rows[~ok], cols[~ok]
    first = np.argmax(filled[rows], axis=1)  # practically unreachable: 1024 misses in a row
    sig[rows, cols] = sig[rows, first]


def _signature_chunk(bases: list[str]) -> np.ndarray:
    """OPH signatures (n, NUM_BINS) uint16 for one chunk of normalised texts."""
    h, owner = _gram_hashes(bases)
    flat = owner * NUM_BINS + (((h >> _U64(32)) * _U64(NUM_BINS)) >> _U64(32)).astype(np.int64)
    sig = np.full(len(bases) * NUM_BINS, 0xFFFF, np.uint16)
    np.minimum.at(sig, flat, (h & _MASK16).astype(np.uint16))
    filled = np.zeros(sig.size, bool)
    filled[flat] = True
    sig, filled = sig.reshape(-1, NUM_BINS), filled.reshape(-1, NUM_BINS)
    filled[[i for i, b in enumerate(bases) if not b]] = False  # empty text: no signature, never a candidate
    sig[~filled.any(axis=1)] = 0xFFFF
    _densify(sig, filled)
    return sig


def _chunks(bases: list[str]) -> Iterable[list[str]]:
    """Split a batch so the per-gram arrays stay a few tens of MB."""
    start, size = 0, 0
    for i, b in enumerate(bases):
        size += len(b) + 2
        if size >= _CHUNK_CHARS:
            yield bases[start:i + 1]
            start, size = i + 1, 0
    if start < len(bases):
        yield bases[start:]


def signature_matrix(bases: list[str]) -> np.ndarray:
    """Signatures (n, NUM_BINS) uint16 for normalised texts (see `basis`)."""
    if not bases:
        return np.zeros((0, NUM_BINS), np.uint16)
    return np.concatenate([_signature_chunk(c) for c in _chunks(bases)])


def signature_bytes(texts: list[str], bases: list[str] | None = None) -> list[bytes]:
    """MinHash signature per text, 256 bytes each (little-endian uint16), for storage (bases: precomputed)."""
    sig = signature_matrix(bases if bases is not None else [basis(t) for t in texts]).astype("<u2", copy=False)
    return [row.tobytes() for row in sig]


def signatures_from_bytes(signatures: Sequence[bytes]) -> np.ndarray:
    """Stored signatures back into an (n, NUM_BINS) uint16 matrix."""
    joined = b"".join(signatures)
    if len(joined) != len(signatures) * SIGNATURE_BYTES:
        raise ValueError(f"signatures must be {SIGNATURE_BYTES} bytes each (version {SIGNATURE_VERSION})")
    raw = np.frombuffer(joined, dtype="<u2")
    return raw.astype(np.uint16, copy=False).reshape(len(signatures), NUM_BINS)


def _is_empty(sig: np.ndarray) -> np.ndarray:
    """Rows that hold no signature (empty normalised text)."""
    empty = sig[:, 0] == 0xFFFF  # cheap first pass: a real signature rarely has 0xFFFF in bin 0
    empty[empty] = (sig[empty] == 0xFFFF).all(axis=1)
    return empty


def estimated_jaccard(sig_a: np.ndarray, rows_a: np.ndarray, sig_b: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Jaccard estimate of sig_a[rows_a[i]] against sig_b[rows_b[i]], gathered in bounded chunks."""
    out = np.empty(len(rows_a), np.float32)
    step = 1 << 15
    for lo in range(0, len(rows_a), step):
        same = sig_a[rows_a[lo:lo + step]] == sig_b[rows_b[lo:lo + step]]
        out[lo:lo + step] = same.mean(axis=1)
    return out
