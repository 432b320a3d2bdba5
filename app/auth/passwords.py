"""Password hashing (argon2id) and the password rules every form shares."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app

MIN_LENGTH = 12
MAX_LENGTH = 128  # bounds the hashing work a single request can ask for
_COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "common_passwords.txt"

# A real argon2id hash of a random string, verified when an email is unknown so that sign-in
# takes as long for unknown accounts as for known ones.
_EXTENSION_KEY = "certready.password_hasher"


# OWASP Password Storage Cheat Sheet (2025): argon2id with m=19 MiB, t=2, p=1, or m=46 MiB, t=1,
# p=1, which it rates as equally strong. We use the first: on a 2-core server it measured 0.04 s
# of CPU per hash against 0.13 s for the second (and 0.34 s for argon2-cffi's default, RFC 9106's
# 64 MiB, t=3, p=4, used until 2026-12), and 19 MiB per concurrent hash instead of 46 or 64. A burst
# of registrations then holds the workers for a third of the time. Hashes made with other
# parameters still verify (the parameters are in the hash) and are rehashed at the next sign-in.
TIME_COST = 2
MEMORY_COST_KIB = 19 * 1024
PARALLELISM = 1


def _make_hasher(profile: str) -> PasswordHasher:
    if profile == "fast":
        # Tests only: the same algorithm with the smallest legal cost.
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    if profile != "standard":
        raise ValueError(f"CERTREADY_PASSWORD_HASHING must be 'standard' or 'fast', not {profile!r}")
    return PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM)


def init_password_hasher(flask_app: Flask) -> None:
    profile = flask_app.config.get("CERTREADY_PASSWORD_HASHING", "standard")
    flask_app.extensions[_EXTENSION_KEY] = _make_hasher(profile)


def _dummy_hash() -> str:
    """The hash verified for unknown emails, made on first need rather than at start-up.

    Making it costs a full argon2 hash (19 MiB, about 0.04 s): every ``certready`` command that
    builds the app would pay that for nothing. A race between two first sign-ins only makes it twice.
    """
    key = _EXTENSION_KEY + ".dummy"
    dummy = current_app.extensions.get(key)
    if dummy is None:
        dummy = current_app.extensions[key] = _hasher().hash("certready-timing-equaliser")
    return dummy


def _hasher() -> PasswordHasher:
    return current_app.extensions[_EXTENSION_KEY]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; with no hash, burn the same time and return False."""
    hasher = _hasher()
    try:
        if password_hash is None:
            hasher.verify(_dummy_hash(), password + "\x00")
            return False
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True for a hash made with other parameters than ours: sign-in replaces it (``authenticate``)."""
    return _hasher().check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    """Lower-cased common passwords from ``app/common_passwords.txt`` (one a line; "# " starts a comment)."""
    lines = _COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("# "))


def is_common(password: str) -> bool:
    return password.lower() in common_passwords()
