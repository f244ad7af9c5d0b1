"""Per-token results remembered across reviews, so a tokeniser maps a text's tokens in one C-level pass.

`TokenMemo(func)` is a dict from token to `func(token)`: `list(map(memo.__getitem__, tokens))` calls Python only
for tokens not seen before (reviews share most of their vocabulary). It forgets everything past `limit` entries,
so a backfill of made-up words cannot grow it without bound. Settings: none.
"""

from __future__ import annotations

from collections.abc import Callable

TOKEN_MEMO_LIMIT = 200_000


class TokenMemo(dict):
    """token -> func(token), computed on first use."""

    def __init__(self, func: Callable[[str], str], limit: int = TOKEN_MEMO_LIMIT):
        super().__init__()
        self.func, self.limit = func, limit

    def __missing__(self, token: str) -> str:
        if len(self) >= self.limit:
            self.clear()
        value = self[token] = self.func(token)
        return value
