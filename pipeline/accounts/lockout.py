"""Login lockout with backoff, per account and per client address.

After `threshold` failures on a key the key is locked for `base` seconds, doubling with each further failure
up to an hour. A locked key is refused without checking the password, and the refusal does not say whether
the account exists.
"""

from __future__ import annotations

import sqlite_utils

from storage import users as user_store

MAX_LOCK_SECONDS = 3600.0


def lock_seconds(failures: int, threshold: int, base: float) -> float:
    """How long a key stays locked after its n-th consecutive failure (0 below the threshold)."""
    if failures < threshold:
        return 0.0
    return min(MAX_LOCK_SECONDS, base * 2 ** (failures - threshold))


def keys(name: str, client: str) -> dict[str, str]:
    """The account key and the client key of a login attempt."""
    return {"account": f"user:{name.strip().lower()}", "client": f"client:{client}"}


def locked_for(db: sqlite_utils.Database, key_list: list[str], now: float) -> float:
    """Seconds until every one of these keys is unlocked (0 when none is locked)."""
    return max([0.0] + [user_store.failures(db, k)["locked_until"] - now for k in key_list])


def record_failure(db: sqlite_utils.Database, key: str, threshold: int, base: float, now: float) -> None:
    """Count one more failure on a key and lock it as the backoff says."""
    count = user_store.failures(db, key)["failures"] + 1
    until = now + lock_seconds(count, threshold, base) if count >= threshold else 0.0
    user_store.save_failures(db, key, count, now, until)
