"""Field-level encryption at rest for sensitive values (SECURITY.md R27).

The key list comes from configuration, never from the database. The first key encrypts; every key
decrypts, so keys can be rotated by adding a new one in front and re-encrypting (see the
`rotate-keys` command).
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator


class FieldCipher:
    """Encrypts and decrypts field values with the configured keys."""

    _fernet: MultiFernet | None = None

    @classmethod
    def configure(cls, keys: tuple[str, ...]) -> None:
        if not keys:
            raise ValueError("at least one field-encryption key is required")
        cls._fernet = MultiFernet([Fernet(k.encode()) for k in keys])

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
        try:
            return cls._require().decrypt(token.encode()).decode()
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
