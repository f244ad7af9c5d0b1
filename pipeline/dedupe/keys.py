"""The keys a review is indexed and looked up under in the store's persistent index (storage.dedupe_index).

One 64-bit integer per key, kind in the high bits: LSH band b (0-31) is `b << 32 | band key`, the same bands
as `pipeline.dedupe.lsh`; author name blocks (`authors.author_keys`) are kind NAME; whole sentences
(`fragments.fragment_keys`) kind FRAGMENT. No settings.
"""

from __future__ import annotations

import numpy as np

from pipeline.dedupe.authors import _author_hashes
from pipeline.dedupe.lsh import BANDS, band_keys
from pipeline.dedupe.minhash import _is_empty

NAME = 64
FRAGMENT = 65
_BAND_SHIFT = np.arange(BANDS, dtype=np.int64) << 32


def review_keys(sig: np.ndarray, authors: list[str | None], fragments: list[tuple[int, ...]]) -> list[list[int]]:
    """Every key of each review: its bands (none for an empty text), name blocks and long sentences (the
    review's `fragments.fragment_keys`)."""
    bands = (band_keys(sig).astype(np.int64) | _BAND_SHIFT).tolist()
    empty = _is_empty(sig).tolist()
    return [([] if e else b) + [NAME << 32 | k for k in _author_hashes(a)] + [FRAGMENT << 32 | k for k in f]
            for b, e, a, f in zip(bands, empty, authors, fragments)]


def is_fragment(key: int) -> bool:
    """Whether a key is a whole-sentence key."""
    return key >> 32 == FRAGMENT


def fragment_part(key: int) -> int:
    """The sentence hash inside a fragment key."""
    return key & 0xFFFFFFFF
