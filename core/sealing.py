"""Secrets the database must keep but nobody may read from it: sealed with the secret key.

A user's second-factor secret and calendar-feed key are read back (to check a code, to show
the feed's address), so they cannot be hashed like a password. They are stored sealed
(Fernet: AES in CBC mode with an HMAC-SHA256, a fresh random IV each time) under a key derived
from SECRET_KEY. A backup, a dump or a stolen copy of the database shows nothing of them
without the key, which is never in the database nor in a backup.

A sealed column cannot be compared in SQL (each seal of the same text differs): look it up by
a digest kept beside it, as User.calendar_digest is.

Rotating the key (docs/operations.md): the old key goes into SECRET_KEY_FALLBACKS, whose keys
still open what they sealed; `flask secrets reseal` seals everything again under the new key,
after which the old key can go.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

#: what the key derivation is for: the same SECRET_KEY signs cookies, which must never be
#: usable as this key (and the other way round)
PURPOSE = b"counsel: sealed database columns"


def derive(secret_key: str) -> bytes:
    """The Fernet key for a SECRET_KEY (HKDF-SHA256, bound to PURPOSE)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(raw)


@lru_cache(maxsize=8)
def _box(secret_keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(derive(key)) for key in secret_keys])


def secret_keys(config=None) -> tuple[str, ...]:
    """The current key first, then the fallbacks that still open older seals."""
    config = current_app.config if config is None else config
    fallbacks = config.get("SECRET_KEY_FALLBACKS") or ()
    if isinstance(fallbacks, str):
        fallbacks = (fallbacks,)
    return (config["SECRET_KEY"], *(key for key in fallbacks if key))


def digest(key: str) -> str:
    """The SHA-256 of a random key (a login session's, a calendar feed's), by which its row is
    found: the key is random, so a fast hash is enough."""
    return hashlib.sha256(key.encode()).hexdigest()


def seal(text: str, config=None) -> str:
    """The text sealed under the current key."""
    return _box(secret_keys(config)).encrypt(text.encode()).decode("ascii")


def _open(sealed: str, config=None) -> str | None:
    try:
        return _box(secret_keys(config)).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        return None


def unseal(sealed: str, config=None) -> str | None:
    """The text, or None when no key opens it: the secret key changed and the old one is not
    among the fallbacks. The row stays as it is, so putting the old key back recovers it."""
    text = _open(sealed, config)
    if text is None:
        _warn_unreadable()
    return text


def opens(sealed: str) -> bool:
    """Whether SECRET_KEY or a fallback opens it."""
    return _open(sealed) is not None


@lru_cache(maxsize=1)
def _warn_unreadable() -> None:
    """Said once per process: every page would say it again otherwise."""
    log.warning(
        "a sealed secret in the database cannot be opened with SECRET_KEY or "
        "SECRET_KEY_FALLBACKS: put the key it was sealed with back (as a fallback), or "
        "users reset their calendar address and second factor (docs/operations.md)"
    )


class Sealed(TypeDecorator):
    """A text column stored sealed and read back in the clear (None when it cannot be opened).

    Needs an application context for the key, as every query here has.
    """

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else seal(value)

    def process_result_value(self, value, dialect):
        return None if value is None else unseal(value)


def reseal(sealed: str) -> str | None:
    """The same secret sealed under the current key; None when no key opens it."""
    text = _open(sealed)
    return None if text is None else seal(text)
