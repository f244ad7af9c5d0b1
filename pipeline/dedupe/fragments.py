"""Shared whole fragments under another name: a copy-paste that containment shows and Jaccard hides.

A review that pastes two sentences of someone else's review into its own text has a 5-gram Jaccard far below
the copy rule (0.8) and is rarely an LSH candidate, yet it is the same text under another name. Candidates
come from whole sentences (`fragment_keys`: crc32 of each normalised sentence of at least FRAGMENT_WORDS
words); the decision (`shares_fragment`) asks for at least FRAGMENT_MIN_GRAMS shared 5-grams (~20 words) and
that they cover FRAGMENT_CONTAINMENT of the smaller text, between two known, incompatible names.

No settings; `pipeline.dedupe.assign` looks these up for every review it places.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

from pipeline.dedupe.authors import author_tokens, authors_compatible
from pipeline.dedupe.minhash import basis

FRAGMENT_WORDS = 8  # shorter sentences are what many patients write ("The staff were very friendly.")
FRAGMENT_KEYS = 4  # sentence keys kept per review (its longest sentences; each is a row in the store's index)
FRAGMENT_MIN_GRAMS = 100
_ENDS = re.compile(r"[.!?\n]+")
FRAGMENT_CONTAINMENT = 0.5


@lru_cache(maxsize=1 << 14)
def fragment_keys(text: str) -> tuple[int, ...]:
    """crc32 of the review's longest normalised sentences of at least FRAGMENT_WORDS words (stable).

    Sentences end at . ! ? or a line break: a plain split, not `pipeline.text.sentences` (abbreviation-aware
    and 10 times slower on a backfill); a sentence cut at "Dr." still matches the same cut in a copy.
    """
    parts = (p for p in _ENDS.split(text) if p.count(" ") + 1 >= FRAGMENT_WORDS)
    found = {b for b in map(basis, parts) if b.count(" ") + 1 >= FRAGMENT_WORDS}
    long_ = sorted(found, key=lambda s: (-len(s), s))
    return tuple(zlib.crc32(s.encode("utf-8")) for s in long_[:FRAGMENT_KEYS])


def shares_fragment(grams_a: frozenset[str], grams_b: frozenset[str], author_a: str | None,
                    author_b: str | None) -> bool:
    """Whether two texts under two known, incompatible names share a whole fragment (see the module doc)."""
    if not author_tokens(author_a) or not author_tokens(author_b) or authors_compatible(author_a, author_b):
        return False
    smaller = min(len(grams_a), len(grams_b))
    if smaller == 0:
        return False
    shared = len(grams_a & grams_b)
    return shared >= FRAGMENT_MIN_GRAMS and shared / smaller >= FRAGMENT_CONTAINMENT
