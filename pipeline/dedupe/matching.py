"""Exact and near duplicate reviews across sources: candidates from signatures and names, a decision rule.

Signatures come from `pipeline.dedupe.minhash`, the text LSH from `pipeline.dedupe.lsh` and name handling from
`pipeline.dedupe.authors`; this module assembles the candidates and decides; `pipeline.dedupe.assign` places
reviews in clusters with them (each review against a bounded number of cluster anchors, never every pair).

Candidates, never all pairs:
- text LSH (`NearDuplicateIndex`): 32 bands of 4 values (why 4 rows: `pipeline.dedupe.lsh`);
- same-name blocks (`author_keys`: "maria|l", "m|lopez"), for the cross-posts with J 0.15-0.5 that 4-row
  bands miss: against known reviews the name block alone, inside a batch the name plus one of 32 pairs of
  signature values, so a common name stays linear;
- both filtered by the signature's Jaccard estimate (vectorised) before any Python compares texts.

Decision (`confirm`), on exact 5-gram Jaccard J and containment C (overlap over the smaller set):
- same person in another form (`authors_compatible`), another source, dates within a year: J >= 0.35,
  or C >= 0.8 when the smaller text has >= 25 grams (a dropped sentence, truncation). On the hospital
  reviews random pairs reach J 0.2 at the 99.9th percentile, planted cross-posts have J >= 0.37 in 99%;
  the name requirement keeps "Everything was very good." by two people apart;
- same person on the same source or over a year apart: J >= 0.8 (a re-post, not a second review);
- different or unknown authors: J >= 0.8 or C >= 0.9, *and* the shorter text has >= 20 words: a copy-paste,
  kept with `same_author=False` for the caller to flag. Measured reason: among the distinct hospital
  reviews every pair at J >= 0.8 has 14-48 words and is one review repeated by the data set, while the
  near-identical short texts (under 10 words) are generic praise, one repeated with different star
  ratings, or a few words thanking the same staff member (J 0.76): things different patients write.
  Identical short text under different names is therefore never clustered.
`same_author` is True only when both names are known and compatible; an unknown author (None,
"Anonymous", "A Google user") is not evidence of the same person.

Measured by bench/dedupe_recall.py (real hospital reviews, planted cross-posts): recall 0.99 (short
0.99), pair precision 1.00, against 0.82 / 0.98 for datasketch over word 3-shingles, before and after
placement against anchors (issue 12); throughput and the templated worst case: README, Benchmarks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Sequence

import numpy as np

from pipeline.dedupe.authors import _author_hashes, _given_name_hash, authors_compatible
from pipeline.dedupe.lsh import (
    _SALT,
    _STEP,
    KeyTable,
    NearDuplicateIndex,
    _ordered,
    _runs,
    _sorted_unique,
    _unique_pairs,
)
from pipeline.dedupe.minhash import (
    _U64,
    SHINGLE,
    _mix,
    basis,
    estimated_jaccard,
    signature_matrix,
    signatures_from_bytes,
)
from pipeline.text import word_count

AUTHOR_BANDS = 32  # same-name candidates inside a batch: 32 bands of 2 signature values
# A same-name band bucket larger than this is a stop-key: one name and two signature values shared by more texts
# is a template (bench/dedupe_templated.py), its pairs grew quadratically, and a real cross-post has other bands.
AUTHOR_MAX_BUCKET = 16
EST_JACCARD_MIN = 0.25  # text-LSH candidates: below the lowest rule (0.35) minus ~2.5 std of the estimate
KEYS_PER_GROUP = 4  # author keys kept per exact-text group for the vectorised name check
COPY_EST_MIN = 0.65  # different authors need J >= 0.8: below this estimate (~4 std) they cannot qualify
AUTHOR_EST_MIN = 0.15  # same-name candidates: a copy cut to 20% of the text (C 0.8) still has J ~0.15

SAME_AUTHOR_JACCARD = 0.35
CONTAINMENT = 0.8
CONTAINMENT_MIN_GRAMS = 25
COPY_JACCARD = 0.8
COPY_CONTAINMENT = 0.9
COPY_MIN_WORDS = 20
DATE_WINDOW_DAYS = 365


@dataclass(frozen=True, slots=True)
class DedupeItem:
    """One review as the duplicate detector sees it."""

    id: str
    text: str
    author: str | None = None
    source: str | None = None
    date: str | None = None  # ISO date YYYY-MM-DD or None
    rating: float | None = None


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two reviews judged duplicates (ids ordered a < b)."""

    a: str
    b: str
    kind: str  # "exact" or "near"
    similarity: float  # text similarity in [0, 1] used for the decision
    same_author: bool  # authors compatible (same person in another form)


# --------------------------------------------------------------------------- decision


@lru_cache(maxsize=2048)  # a 5-gram set costs ~56 bytes a character
def _grams(text: str) -> tuple[str, frozenset[str], int]:
    """Basis, 5-gram set and word count of a review text (cached: candidate pairs share texts)."""
    b = basis(text)
    padded = (" " + b + " ").ljust(SHINGLE)
    grams = frozenset(padded[i:i + SHINGLE] for i in range(len(padded) - SHINGLE + 1)) if b else frozenset()
    return b, grams, word_count(b)


def _days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two ISO dates, None when either is missing or unreadable."""
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days) if a and b else None
    except ValueError:
        return None


def _lenient(a: DedupeItem, b: DedupeItem, same_author: bool) -> bool:
    """Cross-post conditions: same person, another source, dates within the window."""
    if not same_author or (a.source and a.source == b.source):
        return False
    days = _days_apart(a.date, b.date)
    return days is None or days <= DATE_WINDOW_DAYS


def confirm(a: DedupeItem, b: DedupeItem) -> DuplicatePair | None:
    """The decision rule on one candidate pair (see the module docstring)."""
    if a.id == b.id:
        return None
    basis_a, grams_a, words_a = _grams(a.text)
    basis_b, grams_b, words_b = _grams(b.text)
    if not grams_a or not grams_b:
        return None
    same_author = authors_compatible(a.author, b.author)
    lo, hi = _ordered(a.id, b.id)
    if basis_a == basis_b:
        if same_author or min(words_a, words_b) >= COPY_MIN_WORDS:
            return DuplicatePair(lo, hi, "exact", 1.0, same_author)
        return None
    shared = len(grams_a & grams_b)
    jaccard = shared / (len(grams_a) + len(grams_b) - shared)
    contain = shared / min(len(grams_a), len(grams_b))
    similarity = _decide(a, b, same_author, jaccard, contain, min(len(grams_a), len(grams_b)),
                         min(words_a, words_b))
    return None if similarity is None else DuplicatePair(lo, hi, "near", round(similarity, 4), same_author)


def _decide(a: DedupeItem, b: DedupeItem, same_author: bool, jaccard: float, contain: float,
            small_grams: int, small_words: int) -> float | None:
    """The similarity that makes the pair a duplicate, or None."""
    if _lenient(a, b, same_author):
        if jaccard >= SAME_AUTHOR_JACCARD:
            return jaccard
        return contain if contain >= CONTAINMENT and small_grams >= CONTAINMENT_MIN_GRAMS else None
    if same_author:
        return jaccard if jaccard >= COPY_JACCARD else None
    if small_words < COPY_MIN_WORDS:
        return None
    if jaccard >= COPY_JACCARD:
        return jaccard
    return contain if contain >= COPY_CONTAINMENT else None


# --------------------------------------------------------------------------- candidates


def _exact_groups(items: Sequence[DedupeItem], bases: Sequence[str] | None = None
                  ) -> tuple[list[str], list[list[DedupeItem]], np.ndarray]:
    """New items grouped by normalised text: the texts, the groups, and each item's group number."""
    number: dict[str, int] = {}
    groups: list[list[DedupeItem]] = []
    rep_of = np.empty(len(items), np.int64)
    for i, item in enumerate(items):
        g = number.setdefault(bases[i] if bases is not None else basis(item.text), len(groups))
        if g == len(groups):
            groups.append([])
        groups[g].append(item)
        rep_of[i] = g
    return list(number), groups, rep_of


def _author_key_array(items: Sequence[DedupeItem], wanted: set[int] | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Author key hashes of every item (only those in `wanted` when given), with the item's position."""
    keys: list[int] = []
    owner: list[int] = []
    for i, item in enumerate(items):
        for key in _author_hashes(item.author):
            if wanted is None or key in wanted:
                keys.append(key)
                owner.append(i)
    return np.array(keys, np.uint32), np.array(owner, np.int64)


def _author_candidates(new: Sequence[DedupeItem], known: Sequence[DedupeItem], rep_of: np.ndarray,
                       rep_sig: np.ndarray) -> tuple[np.ndarray, ...]:
    """Same-name pairs the text LSH may miss: (new, known) positions and (new, new) positions.

    Against known reviews a name block is enough (cost: new reviews times block size). Inside the batch a
    pair must also share one of 32 pairs of signature values (J 0.3 collides with p 0.95, unrelated texts
    at J 0.05 with p 0.08), so a common name does not make a backfill quadratic.
    """
    new_keys, new_owner = _author_key_array(new)
    table = KeyTable()
    table.add(*_author_key_array(known, set(new_keys.tolist())))
    rows, known_pos = table.probe(new_keys)
    owners = new_owner
    # one entry per (name key, text group): copies of one text under one name would only pair among themselves
    _, first = np.unique((new_keys.astype(np.int64) << 32) | rep_of[new_owner], return_index=True)
    new_keys, new_owner = new_keys[first], new_owner[first]
    name = new_keys.astype(_U64) << _U64(32)
    firsts, seconds = [], []
    for band in range(AUTHOR_BANDS):  # one band at a time keeps the temporaries small
        v = rep_sig[rep_of[new_owner], 2 * band:2 * band + 2].astype(_U64)
        key = (name | (v[:, 0] << _U64(16)) | v[:, 1]) + _SALT[band]
        a, b = _runs((_mix(key) >> _U64(32)).astype(np.uint32), AUTHOR_MAX_BUCKET)
        firsts.append(new_owner[a]), seconds.append(new_owner[b])
    return owners[rows], known_pos, np.concatenate(firsts), np.concatenate(seconds)


class _Known:
    """The known reviews' signatures: stored bytes read in chunks, or hashed now when none were stored."""

    def __init__(self, known: Sequence[DedupeItem], stored: Sequence[bytes] | None) -> None:
        if stored is not None and len(stored) != len(known):
            raise ValueError("known and known_signatures differ in length")
        self.stored = stored
        self.matrix = signature_matrix([basis(k.text) for k in known]) if stored is None else None
        self.count = len(known)

    def index(self) -> NearDuplicateIndex:
        """An LSH index whose ids are the known positions."""
        index = NearDuplicateIndex()
        if self.matrix is not None:
            index.add_matrix(range(self.count), self.matrix)
        else:
            index.add(range(self.count), self.stored)
        return index

    def rows(self, positions: np.ndarray) -> np.ndarray:
        """Signature rows of the given known positions."""
        if self.matrix is not None:
            return self.matrix[positions]
        return signatures_from_bytes([self.stored[i] for i in positions.tolist()])


def _estimate_known(rep_sig: np.ndarray, qx: np.ndarray, kx: np.ndarray, signatures: _Known) -> np.ndarray:
    """Estimated Jaccard of (group, known) pairs, reading known signatures a chunk at a time."""
    out = np.empty(len(kx), np.float32)
    order = np.argsort(kx, kind="stable")
    for lo in range(0, len(kx), _STEP):
        sel = order[lo:lo + _STEP]
        touched = _sorted_unique(kx[sel])
        out[sel] = estimated_jaccard(rep_sig, qx[sel], signatures.rows(touched), np.searchsorted(touched, kx[sel]))
    return out


def _candidates(new: Sequence[DedupeItem], known: Sequence[DedupeItem], rep_of: np.ndarray,
                rep_sig: np.ndarray, signatures: _Known, lengths: np.ndarray
                ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """LSH and same-author candidates, filtered by estimated Jaccard: (group, known) and (group, group).

    Text-LSH candidates below COPY_EST_MIN can only be duplicates when their authors are compatible (the
    different-author rule needs J >= 0.8), so those pairs must share a name key (vectorised, as inside the
    batch); on a corpus of templated reviews this drops most of the candidates before any text is compared.
    """
    index = signatures.index()
    qx, ix, qa, qb = index.candidate_positions(rep_sig)
    kx = np.asarray(index.ids, np.int64)[ix]
    del index
    an, ak, aa, ab = _author_candidates(new, known, rep_of, rep_sig)
    ga, gb = rep_of[aa], rep_of[ab]
    authors = _group_authors(new, rep_of)
    keys = _group_key_matrix(authors)
    cross = _keep_cross_text(*_unique_pairs(qx, kx), rep_sig, signatures, keys, known)
    cross_names = _keep(*_unique_pairs(rep_of[an], ak), AUTHOR_EST_MIN, rep_sig, signatures)
    inner = _keep_inner_text(qa, qb, rep_sig, keys)
    inner_names = _keep_contained(*_unique_pairs(np.minimum(ga, gb), np.maximum(ga, gb)), rep_sig, lengths)
    return sorted(set(cross + cross_names)), sorted(set(inner + inner_names))


def _keep_contained(a: np.ndarray, b: np.ndarray, rep_sig: np.ndarray, lengths: np.ndarray) -> list[tuple[int, int]]:
    """Same-name pairs inside a batch whose estimated Jaccard or containment could reach a rule.

    Containment follows from Jaccard and the two sizes: C = J (|A| + |B|) / ((1 + J) min(|A|, |B|)), so a
    short copy inside a long review survives while two unrelated reviews of similar length do not; this keeps
    a backfill of templated reviews from comparing every pair that shares a common name.
    """
    est = estimated_jaccard(rep_sig, a, rep_sig, b)
    la, lb = lengths[a], lengths[b]
    contain = est * (la + lb) / ((1 + est) * np.maximum(np.minimum(la, lb), 1))
    mask = (a != b) & ((est >= EST_JACCARD_MIN) | ((contain >= CONTAINMENT - 0.15) & (est >= AUTHOR_EST_MIN)))
    return list(zip(a[mask].tolist(), b[mask].tolist()))


def _group_authors(new: Sequence[DedupeItem], rep_of: np.ndarray) -> dict[int, tuple]:
    """The distinct authors in each exact-text group."""
    grouped: dict[int, set] = defaultdict(set)
    for item, group in zip(new, rep_of.tolist()):
        grouped[group].add(item.author)
    return {g: tuple(a) for g, a in grouped.items()}


def _group_key_matrix(authors: dict[int, tuple]) -> np.ndarray:
    """Per group, up to KEYS_PER_GROUP author key hashes; padding never equals a real key or other padding."""
    matrix = np.zeros((len(authors), KEYS_PER_GROUP), np.int64)
    matrix[:] = -np.arange(1, len(authors) * KEYS_PER_GROUP + 1).reshape(len(authors), KEYS_PER_GROUP)
    for group, names in authors.items():
        keys = sorted({k for name in names for k in _author_hashes(name) + _given_name_hash(name)})
        keys = keys[:KEYS_PER_GROUP]
        matrix[group, :len(keys)] = keys
    return matrix


def _keep_inner_text(a: np.ndarray, b: np.ndarray, rep_sig: np.ndarray, keys: np.ndarray) -> list[tuple[int, int]]:
    """Text-LSH pairs inside a batch: any at COPY_EST_MIN, lower ones only when the authors share a name key.

    Vectorised because on a large backfill these are millions of pairs (a Python check per pair took longer
    than all the hashing).
    """
    est = estimated_jaccard(rep_sig, a, rep_sig, b)
    shared = (keys[a][:, :, None] == keys[b][:, None, :]).any(axis=(1, 2))
    mask = (a != b) & ((est >= COPY_EST_MIN) | ((est >= EST_JACCARD_MIN) & shared))
    return list(zip(a[mask].tolist(), b[mask].tolist()))


def known_key_matrix(known: Sequence[DedupeItem], positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Name key rows of the given known positions: (matrix, row of each position)."""
    rows = _sorted_unique(positions)
    matrix = _group_key_matrix({i: (known[k].author,) for i, k in enumerate(rows.tolist())})
    return matrix, np.searchsorted(rows, positions)


def shares_key(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise: whether two key matrices share a key (padding never matches), in bounded chunks."""
    out = np.zeros(len(a), bool)
    step = 1 << 16
    for lo in range(0, len(a), step):
        out[lo:lo + step] = (a[lo:lo + step, :, None] == b[lo:lo + step, None, :]).any(axis=(1, 2))
    return out


def _keep_cross_text(a: np.ndarray, b: np.ndarray, rep_sig: np.ndarray, known: _Known, keys: np.ndarray,
                     items: Sequence[DedupeItem]) -> list[tuple[int, int]]:
    """Text-LSH (group, known) pairs: any at COPY_EST_MIN, lower ones only when the authors share a name key."""
    est = _estimate_known(rep_sig, a, b, known)
    mask = est >= EST_JACCARD_MIN
    a, b, est = a[mask], b[mask], est[mask]
    low = est < COPY_EST_MIN
    if low.any():
        matrix, row = known_key_matrix(items, b[low])
        low[low] = ~shares_key(keys[a[low]], matrix[row])
    return list(zip(a[~low].tolist(), b[~low].tolist()))


def _keep(a: np.ndarray, b: np.ndarray, threshold: float, rep_sig: np.ndarray, known: _Known | None = None
          ) -> list[tuple[int, int]]:
    """Pairs whose estimated Jaccard reaches the threshold: (group, known) with `known`, else (group, group)."""
    if known is None:
        est = estimated_jaccard(rep_sig, a, rep_sig, b)
        mask = (est >= threshold) & (a != b)
    else:
        est = _estimate_known(rep_sig, a, b, known)
        mask = est >= threshold
    return list(zip(a[mask].tolist(), b[mask].tolist()))


def _group_signatures(texts: list[str], rep_of: np.ndarray, given: list[bytes] | None) -> np.ndarray:
    """One signature row per exact-text group: from the given signatures when there are any, else hashed."""
    if given is None:
        return signature_matrix(texts)
    first = np.full(len(texts), -1, np.int64)
    for i, g in enumerate(rep_of.tolist()):
        if first[g] < 0:
            first[g] = i
    return signatures_from_bytes([given[i] for i in first.tolist()])
