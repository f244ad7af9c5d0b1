"""Author names for duplicate detection: can two names be the same person, and which blocks they fall in.

"Maria Lopez", "Maria L." and "M. Lopez" are compatible; a given name alone ("Maria") only matches a name
that spells it out. An unknown author (None, "Anonymous", "A Google user") is not evidence of the same
person. Blocking keys ("maria|l", "m|lopez") put compatible full names in a shared block, so same-name
candidates cost the block size, not all pairs; keys are hashed with crc32 (stable across processes).

No settings; `pipeline.dedupe.matching` uses these for its same-name candidates and its decision rule.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

from pipeline.dedupe.minhash import basis

_TITLES = frozenset("dr mr mrs ms miss mx prof sir madam md phd jr sr".split())
_NO_NAME = frozenset({"anonymous", "anon", "a google user", "google user", "verified patient", "patient",
                      "guest", "user", "customer", "n a", "na", "unknown", "a patient"})


@lru_cache(maxsize=1 << 18)
def author_tokens(author: str | None) -> tuple[str, ...]:
    """Name tokens, lower-case and accent-folded, titles dropped, "Lopez, Maria" reordered; () if unknown."""
    if not author:
        return ()
    author = author.replace(".", " ").replace("’", "").replace("'", "")
    name = basis(author)
    if name in _NO_NAME:
        return ()
    if "," in author:
        last, _, first = author.partition(",")
        name = basis(first + " " + last)
    return tuple(t for t in name.replace("_", " ").split() if t not in _TITLES)


def _token_match(a: str, b: str) -> bool:
    """Equal tokens, or an initial that starts the other token."""
    return a == b or (min(len(a), len(b)) == 1 and a[0] == b[0])


def authors_compatible(a: str | None, b: str | None) -> bool:
    """Whether two author names can be the same person ("Maria Lopez" ~ "Maria L." ~ "M. Lopez"); unknown: no."""
    ta, tb = author_tokens(a), author_tokens(b)
    if not ta or not tb:
        return False
    if len(ta) == 1 or len(tb) == 1:  # "Maria" vs "Maria Lopez": the given name must be spelled out
        return ta[0] == tb[0] and len(ta[0]) > 1
    first, last = _token_match(ta[0], tb[0]), _token_match(ta[-1], tb[-1])
    spelled = (ta[0] == tb[0] and len(ta[0]) > 1) or (ta[-1] == tb[-1] and len(ta[-1]) > 1)
    return first and last and spelled


@lru_cache(maxsize=1 << 18)
def author_keys(author: str | None) -> tuple[str, ...]:
    """Blocking keys: "maria|l" and "m|lopez" for full names, "maria|" for a given name alone.

    Compatible full names always share a key. A given name alone ("Maria") is not keyed to full names:
    that block would hold every Maria; such pairs come from the text LSH only.
    """
    tokens = author_tokens(author)
    first, last = (tokens[0], tokens[-1]) if tokens else ("", "")
    if len(tokens) == 1:
        return (f"{first}|",) if len(first) > 1 else ()
    keys = [f"{first}|{last[0]}"] if len(first) > 1 else []
    return tuple(keys + [f"{first[0]}|{last}"]) if len(last) > 1 else tuple(keys)


@lru_cache(maxsize=1 << 18)
def _author_hashes(author: str | None) -> tuple[int, ...]:
    """crc32 of each blocking key (stable across processes, unlike hash())."""
    return tuple(zlib.crc32(key.encode("utf-8")) for key in author_keys(author))


@lru_cache(maxsize=1 << 18)
def _given_name_hash(author: str | None) -> tuple[int, ...]:
    """The given-name key ("maria|"), which a bare "Maria" shares with "Maria Lopez" (authors_compatible)."""
    tokens = author_tokens(author)
    return (zlib.crc32(f"{tokens[0]}|".encode("utf-8")),) if tokens and len(tokens[0]) > 1 else ()
