"""The whole words a regex's matches can start with, so a phrase rule is only tried where one occurs.

The scorer (`pipeline.judge.sentiment`) indexes each phrase rule under its start words and tries it only at those
words; a pattern whose start cannot be told (`\\w+`, a digit, too many alternatives) returns None and is
searched for everywhere, which is slower. Works on the parsed pattern (`re._parser`), so it follows the
regex's own grammar rather than guessing from the text. No settings.
"""

from __future__ import annotations

import re
import re._constants as _c
import re._parser as _parser
from typing import Any

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_MAX_START_WORDS = 5000


class _Unknown(Exception):
    """The words a pattern starts with cannot be told (it may start with any word)."""


def start_words(pattern: str) -> frozenset[str] | None:
    """The whole words (runs of a-z) that a match of the pattern can start with; None when unknown."""
    try:
        still_open, closed = _walk(list(_parser.parse(pattern)), {""})
    except (_Unknown, re.error, RecursionError):
        return None
    words = closed | still_open
    return None if not words or "" in words else frozenset(words)


def _walk(items: list, prefixes: set[str]) -> tuple[set[str], set[str]]:
    """Follow a parsed pattern: (prefixes of the first word still growing, first words already ended)."""
    closed: set[str] = set()
    for op, arg in items:
        if not prefixes:
            break
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        if op is _c.LITERAL or op is _c.IN:
            letters, other = _chars(op, arg)
            if other:
                closed |= prefixes
            prefixes = {p + ch for p in prefixes for ch in letters}
        elif op in (_c.SUBPATTERN, _c.ATOMIC_GROUP):
            prefixes, ended = _walk(arg[-1] if op is _c.SUBPATTERN else arg, prefixes)
            closed |= ended
        elif op is _c.BRANCH:
            outcomes = [_walk(alt, prefixes) for alt in arg[1]]
            prefixes = set().union(*(o for o, _ in outcomes))
            closed |= set().union(*(e for _, e in outcomes))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            prefixes, ended = _repeat(arg, prefixes)
            closed |= ended
        else:
            raise _Unknown(op)
        if len(prefixes) + len(closed) > _MAX_START_WORDS:
            raise _Unknown("too many")
    return prefixes, closed


def _repeat(arg: tuple, prefixes: set[str]) -> tuple[set[str], set[str]]:
    low, high, sub = arg
    grown, closed, current = (set(prefixes) if low == 0 else set()), set(), prefixes
    for count in range(1, 4):
        current, ended = _walk(list(sub), current)
        closed |= ended
        if count >= low:
            grown |= current
        if not current or count >= high:
            return grown, closed
    raise _Unknown("unbounded letters")


def _chars(op: Any, arg: Any) -> tuple[set[str], bool]:
    """Letters a LITERAL or IN item can match, and whether it can match anything else."""
    items = [(op, arg)] if op is _c.LITERAL else arg
    letters, other = set(), False
    for kind, value in items:
        if kind is _c.LITERAL:
            if chr(value) in _LETTERS:
                letters.add(chr(value))
            else:
                other = True
        elif kind is _c.RANGE:
            span = {chr(c) for c in range(value[0], value[1] + 1)}
            letters |= span & _LETTERS
            other = other or bool(span - _LETTERS)
        elif kind is _c.CATEGORY and value in (_c.CATEGORY_SPACE, _c.CATEGORY_DIGIT):
            other = True
        else:
            raise _Unknown(kind)  # \w, \S, negated classes: could be any letter
    return letters, other
