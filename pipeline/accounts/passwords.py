"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pipeline.errors import PlauditError

MIN_LENGTH = 12
_HASHER = PasswordHasher()
# Verified when the account does not exist, so a login takes as long whether or not the name is known.
_DUMMY = _HASHER.hash("not a real password, only spends the same time")


class WeakPassword(PlauditError):
    """A password that the policy refuses; the message says why."""


def check_policy(password: str, name: str) -> None:
    """Refuse passwords that are short or contain the account name."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if name and name.lower() in password.lower():
        raise WeakPassword("a password must not contain the account name")


def hash_password(password: str) -> str:
    """An argon2id hash of the password (salted, parameters inside)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash; with no hash, spends the same time and says no."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(stored_hash)
