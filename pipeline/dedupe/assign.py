"""Placing reviews in clusters: never every pair, never a chain.

Reviews are placed one at a time, in id order. A review joins the cluster of the first *anchor* (the review
that started a cluster) that it duplicates by `matching.confirm`, trying at most MAX_TRIES anchors, best
candidates first (a shared name key, then the estimated Jaccard, CANDIDATES_PER_GROUP kept per text); when
none confirms, it starts a cluster and becomes its anchor. So:
- work per review is bounded: at most MAX_TRIES text comparisons and FRAGMENT_TRIES fragment checks;
- one pair is kept per joined review, (review, anchor): k copies of one text store k - 1 pairs, not k(k-1)/2;
- clusters do not chain: with A ~ B and B ~ C, C joins A's cluster only when C ~ A (every member is a
  duplicate of its anchor; union-find over all pairs made any chain one cluster).
Known reviews passed in are treated as anchors (the store passes only cluster anchors, from its index).

Also found here: reviews that share a whole fragment with another's under another name
(`pipeline.dedupe.fragments`), returned apart from the pairs (they are not the same review).

No settings; the constants below bound the work, bench/dedupe_templated.py measures it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

import numpy as np

from pipeline.dedupe.authors import _author_hashes, _given_name_hash
from pipeline.dedupe.fragments import FRAGMENT_KEYS, fragment_keys, shares_fragment
from pipeline.dedupe.lsh import KeyTable, _ordered, _runs, _unique_pairs
from pipeline.dedupe.matching import (
    DedupeItem,
    DuplicatePair,
    _candidates,
    _estimate_known,
    _exact_groups,
    _grams,
    _group_authors,
    _group_key_matrix,
    _group_signatures,
    _Known,
    confirm,
    estimated_jaccard,
    known_key_matrix,
    shares_key,
)

MAX_TRIES = 8  # anchors compared per review
CANDIDATES_PER_GROUP = 24  # ranked candidates kept per distinct text
FRAGMENT_TRIES = 4  # reviews checked for a shared fragment per review
_PER_KEY = 2  # anchors taken per shared name key inside one text group


@dataclass
class Assignment:
    """Where each new review went: its anchor (itself when it started a cluster), its pair, shared fragments."""

    anchors: dict[str, str] = field(default_factory=dict)
    pairs: list[DuplicatePair] = field(default_factory=list)
    fragments: list[tuple[str, str]] = field(default_factory=list)


def assign(new: Sequence[DedupeItem], known: Sequence[DedupeItem] = (), known_signatures: list[bytes] | None = None,
           *, new_signatures: list[bytes] | None = None,
           hydrate: Callable[[list[DedupeItem]], list[DedupeItem]] | None = None,
           new_bases: Sequence[str] | None = None,
           known_fragments: Sequence[tuple[int, ...]] | None = None,
           new_fragments: Sequence[tuple[int, ...]] | None = None) -> Assignment:
    """Place `new` reviews against the `known` anchors and each other (see the module docstring).

    A store may pass `known` without texts plus `hydrate` (texts loaded for the candidates only) and
    `known_fragments` (each known review's fragment keys; computed from the texts when absent; the same for
    `new_fragments`).
    """
    original = new
    order = sorted(range(len(new)), key=lambda i: new[i].id)
    new = [new[i] for i in order]
    bases = [new_bases[i] for i in order] if new_bases is not None else None
    sigs = [new_signatures[i] for i in order] if new_signatures is not None else None
    known = list(known)
    signatures = _Known(known, known_signatures)
    texts, groups, rep_of = _exact_groups(new, bases)
    rep_sig = _group_signatures(texts, rep_of, sigs)
    lengths = np.array([len(t) for t in texts], np.float64)
    cross, inner = _candidates(new, known, rep_of, rep_sig, signatures, lengths)
    authors = _group_authors(new, rep_of)
    ranked = _ranked(cross, inner, rep_sig, signatures, authors, known)
    own = dict(zip((x.id for x in original), new_fragments)) if new_fragments is not None else None
    group_fragments = [own[g[0].id] if own is not None else fragment_keys(g[0].text) for g in groups]
    frag = _fragment_candidates(group_fragments, known, known_fragments)
    needed = sorted({ref for lists in (ranked, frag) for refs in lists for is_known, ref in refs if is_known})
    loaded = hydrate([known[k] for k in needed]) if hydrate else [known[k] for k in needed]
    return _Placer(groups, dict(zip(needed, loaded)), ranked, frag).place(new, rep_of)


def _ranked(cross: list[tuple[int, int]], inner: list[tuple[int, int]], rep_sig: np.ndarray, signatures: _Known,
            authors: dict[int, tuple], known: Sequence[DedupeItem]) -> list[list[tuple[bool, int]]]:
    """Per text group, its candidates (is_known, known position or group) best first, CANDIDATES_PER_GROUP."""
    ranked: list[list[tuple[bool, int]]] = [[] for _ in range(len(rep_sig))]
    cg, ck = (np.array(x, np.int64).reshape(-1) for x in zip(*cross)) if cross else (np.zeros(0, np.int64),) * 2
    ia, ib = (np.array(x, np.int64).reshape(-1) for x in zip(*inner)) if inner else (np.zeros(0, np.int64),) * 2
    keys = _group_key_matrix(authors)
    known_keys, kpos = known_key_matrix(known, ck)
    est_c = _estimate_known(rep_sig, cg, ck, signatures) if cg.size else np.zeros(0, np.float32)
    est_i = estimated_jaccard(rep_sig, ia, rep_sig, ib) if ia.size else np.zeros(0, np.float32)
    shared_c = shares_key(keys[cg], known_keys[kpos]) if cg.size else np.zeros(0, bool)
    shared_i = shares_key(keys[ia], keys[ib]) if ia.size else np.zeros(0, bool)
    grp = np.concatenate([cg, ia, ib])
    ref = np.concatenate([ck, ib, ia])
    is_known = np.concatenate([np.ones(cg.size, bool), np.zeros(2 * ia.size, bool)])
    est = np.concatenate([est_c, est_i, est_i])
    shared = np.concatenate([shared_c, shared_i, shared_i])
    order = np.lexsort((-est, ~shared, grp))
    grp, ref, is_known = grp[order], ref[order], is_known[order]
    starts = np.searchsorted(grp, grp, "left")
    keep = (np.arange(grp.size) - starts) < CANDIDATES_PER_GROUP
    for g, r, k in zip(grp[keep].tolist(), ref[keep].tolist(), is_known[keep].tolist()):
        ranked[g].append((k, r))
    return ranked


def _fragment_candidates(group_fragments: list[tuple[int, ...]], known: Sequence[DedupeItem],
                         known_fragments: Sequence[tuple[int, ...]] | None) -> list[list[tuple[bool, int]]]:
    """Per text group (given its fragment keys), up to FRAGMENT_TRIES known reviews or groups sharing a whole
    sentence with it."""
    keys, owner = [], []
    for g, group_keys in enumerate(group_fragments):
        for key in group_keys:
            keys.append(key), owner.append(g)
    keys_a, owner_a = np.array(keys, np.uint32), np.array(owner, np.int64)
    known_keys = known_fragments if known_fragments is not None else [fragment_keys(k.text) for k in known]
    table = KeyTable()
    kk = [(key, pos) for pos, ks in enumerate(known_keys) for key in ks[:FRAGMENT_KEYS]]
    if kk:
        table.add(np.array([k for k, _ in kk], np.uint32), np.array([p for _, p in kk], np.int64))
    rows, kpos = table.probe(keys_a) if kk else (np.zeros(0, np.int64),) * 2
    cg, ck = _unique_pairs(owner_a[rows], kpos)
    a, b = _runs(keys_a)
    ga, gb = _unique_pairs(np.minimum(owner_a[a], owner_a[b]), np.maximum(owner_a[a], owner_a[b]))
    out: list[list[tuple[bool, int]]] = [[] for _ in group_fragments]
    for g, ref, is_known in [*zip(cg.tolist(), ck.tolist(), [True] * cg.size),
                             *zip(ga.tolist(), gb.tolist(), [False] * ga.size),
                             *zip(gb.tolist(), ga.tolist(), [False] * ga.size)]:
        if g != ref or is_known:
            if len(out[g]) < FRAGMENT_TRIES:
                out[g].append((is_known, ref))
    return out


class _Placer:
    """The greedy placement over groups of identical texts and their ranked candidates."""

    def __init__(self, groups, full: dict[int, DedupeItem], ranked, frag) -> None:
        self.full, self.ranked, self.frag = full, ranked, frag
        self.anchors_in: list[list[DedupeItem]] = [[] for _ in groups]
        self.keyed: dict[int, dict[int, list[DedupeItem]]] = defaultdict(lambda: defaultdict(list))
        self.result = Assignment()

    def place(self, new: list[DedupeItem], rep_of: np.ndarray) -> Assignment:
        """Place every review in order; returns the assignment."""
        for x, g in zip(new, rep_of.tolist()):
            anchor, pair = self._join(x, g)
            self.result.anchors[x.id] = anchor.id
            if pair:
                self.result.pairs.append(pair)
            else:
                self.anchors_in[g].append(x)
                for key in _keys(x):
                    self.keyed[g][key].append(x)
            self._fragments(x, g, anchor)
        self.result.pairs.sort(key=lambda p: (p.a, p.b))
        self.result.fragments = sorted(set(self.result.fragments))
        return self.result

    def _join(self, x: DedupeItem, g: int) -> tuple[DedupeItem, DuplicatePair | None]:
        for anchor in self._tries(x, g):
            if pair := confirm(x, anchor):
                return anchor, pair
        return x, None

    def _group_anchors(self, x: DedupeItem, g: int) -> list[DedupeItem]:
        """Anchors of group g worth trying for x: those sharing a name key, then the group's first."""
        found = [a for key in _keys(x) for a in self.keyed[g].get(key, ())[:_PER_KEY]] if g in self.keyed else []
        return found + self.anchors_in[g][:1]

    def _tries(self, x: DedupeItem, g: int) -> Iterator[DedupeItem]:
        """At most MAX_TRIES distinct anchors, best first, produced lazily (most copies confirm the first)."""
        seen, given = {x.id}, 0
        for source in self._sources(x, g):
            for anchor in source:
                if anchor.id not in seen:
                    seen.add(anchor.id)
                    yield anchor
                    given += 1
                    if given == MAX_TRIES:
                        return

    def _sources(self, x: DedupeItem, g: int) -> Iterator[list[DedupeItem]]:
        yield self._group_anchors(x, g)
        for is_known, ref in self.ranked[g]:
            yield [self.full[ref]] if is_known else self._group_anchors(x, ref)

    def _fragments(self, x: DedupeItem, g: int, anchor: DedupeItem) -> None:
        for is_known, ref in self.frag[g]:
            others = [self.full[ref]] if is_known else self.anchors_in[ref][:1]
            for other in others:
                if other.id in (x.id, anchor.id):
                    continue
                if shares_fragment(_grams(x.text)[1], _grams(other.text)[1], x.author, other.author):
                    self.result.fragments.append(_ordered(x.id, other.id))


def _keys(x: DedupeItem) -> tuple[int, ...]:
    return _author_hashes(x.author) + _given_name_hash(x.author)


def find_pairs(new: Sequence[DedupeItem], known: Sequence[DedupeItem] = (),
               known_signatures: list[bytes] | None = None, **kwargs) -> list[DuplicatePair]:
    """The duplicate pairs of `assign`: one per review that joined a cluster, against its anchor, sorted."""
    return assign(new, known, known_signatures, **kwargs).pairs


def dedupe(items: Sequence[DedupeItem]) -> dict[str, str]:
    """Id -> cluster id (its anchor's id) for a whole batch."""
    return assign(items).anchors
