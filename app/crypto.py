"""Field-level encryption at rest for sensitive values (SECURITY.md R27).

The key list comes from configuration, never from the database. The first key encrypts; every key
decrypts, so keys can be rotated by adding a new one in front and re-encrypting (see the
`rotate-keys` command).

Decrypting is the largest single cost of reading a plan (a page shows some 60 encrypted values,
each a Fernet token checked and decrypted: about a tenth of the page's CPU), and a plan is read
far more often than it changes. So each process keeps the values it decrypted most recently, by
their ciphertext: a token is its own cache key (Fernet's random IV makes every encryption, and so
every stored value, a different token), so a changed value is a new token and can never be given
the old words, and nothing needs invalidating when rows change. What is kept is bounded
(`DECRYPTED_KEPT` values, least recently used first out), lives in the process's memory only,
beside the keys that could decrypt every value anyway, and is never written anywhere. Setting the
keys (`configure`) forgets it all, so a token whose key was retired fails closed at once rather
than being answered from memory. A token that does not decrypt is never kept.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

# How many decrypted values each process keeps, by ciphertext (the module's docstring): a few
# hundred plan pages' worth, some megabytes.
DECRYPTED_KEPT = 8192


class FieldCipher:
    """Encrypts and decrypts field values with the configured keys."""

    _fernet: MultiFernet | None = None
    _decrypted: Callable[[str], str] | None = None

    @classmethod
    def configure(cls, keys: tuple[str, ...]) -> None:
        if not keys:
            raise ValueError("at least one field-encryption key is required")
        fernet = MultiFernet([Fernet(k.encode()) for k in keys])
        cls._fernet = fernet
        # A new memo for the new keys (the module's docstring): nothing decrypted with the old ones
        # is answered any more.
        cls._decrypted = lru_cache(maxsize=DECRYPTED_KEPT)(lambda token: fernet.decrypt(token.encode()).decode())

    @classmethod
    def _require(cls) -> MultiFernet:
        if cls._fernet is None:
            raise RuntimeError("FieldCipher.configure() has not been called")
        return cls._fernet

    @classmethod
    def encrypt(cls, plaintext: str) -> str:
        return cls._require().encrypt(plaintext.encode()).decode()

    @classmethod
    def decrypt(cls, token: str) -> str:
        decrypted = cls._decrypted
        if decrypted is None:
            raise RuntimeError("FieldCipher.configure() has not been called")
        try:
            return decrypted(token)
        except InvalidToken as exc:
            # Never fall back to returning the stored bytes: fail closed (R22).
            raise RuntimeError("a sensitive field could not be decrypted with the configured keys") from exc

    @classmethod
    def rotate(cls, token: str) -> str:
        return cls._require().rotate(token.encode()).decode()


class EncryptedText(TypeDecorator[str]):
    """A text column stored encrypted; None stays NULL so optional fields remain optional."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return FieldCipher.encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return FieldCipher.decrypt(value)
