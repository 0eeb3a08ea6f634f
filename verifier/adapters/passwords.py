"""Password hashing: argon2id through argon2-cffi's ``PasswordHasher`` (the reference C
implementation, memory-hard; RFC 9106's low-memory profile by default: 64 MiB, 3 passes,
4 lanes). Only the PHC string (algorithm, parameters, salt, hash) is ever stored."""

from __future__ import annotations

from functools import lru_cache

from verifier.domain.errors import DomainError


@lru_cache(maxsize=1)
def _hasher():
    try:
        from argon2 import PasswordHasher
    except ImportError:  # the [serve] extra
        raise DomainError("password", "hashing passwords needs argon2-cffi: pip install 'verifier[serve]'") from None
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """The stored hash used weaker parameters than today's: hash again after a sign-in."""
    return _hasher().check_needs_rehash(stored)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so that an unknown name
    takes as long to refuse as a wrong password."""
    return hash_password("not the password of anyone")
