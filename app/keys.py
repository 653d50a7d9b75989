"""Rotating the field-encryption keys (SECURITY.md R27).

To retire a key: put a new key first in FIELD_ENCRYPTION_KEYS ("new,old") and restart the app, so
everything it writes from then on uses the new key; run `flask --app app rotate-keys`; then drop
the old key from the list. Every listed key can decrypt, so the app keeps working throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.fernet import InvalidToken
from sqlalchemy import Column, MetaData, Table, Text, bindparam, select, tuple_, type_coerce
from sqlalchemy.engine import Connection

from app.crypto import EncryptedText, FieldCipher

DEFAULT_BATCH_SIZE = 500


class KeyRotationError(RuntimeError):
    """A stored value could not be re-encrypted; the caller's transaction should roll back."""


@dataclass(frozen=True)
class TableRotation:
    """What rotation did to one table: counts only, never values."""

    table: str
    rows: int  # rows holding at least one encrypted value
    values: int  # encrypted values re-encrypted (NULLs stay NULL and are not counted)


def encrypted_columns(metadata: MetaData | None = None) -> dict[Table, list[Column[Any]]]:
    """Every table with EncryptedText columns, read from the model metadata so no new column is missed."""
    if metadata is None:
        import app.models

        metadata = app.models.metadata
    found: dict[Table, list[Column[Any]]] = {}
    for table in metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, EncryptedText)]
        if columns:
            found[table] = columns
    return found


def rotate_keys(
    *, connection: Connection, batch_size: int = DEFAULT_BATCH_SIZE, metadata: MetaData | None = None
) -> list[TableRotation]:
    """Re-encrypt every encrypted value with the first configured key, inside the caller's transaction."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    return [
        _rotate_table(connection, table, columns, batch_size) for table, columns in encrypted_columns(metadata).items()
    ]


def _rotate_table(connection: Connection, table: Table, columns: list[Column[Any]], batch_size: int) -> TableRotation:
    keys = list(table.primary_key.columns)
    if not keys:
        raise KeyRotationError(f"table {table.name} has no primary key to rotate its rows by")
    # type_coerce(..., Text) reads and writes the stored ciphertext as it is: EncryptedText would
    # otherwise decrypt on the way out and encrypt the (already encrypted) value again on the way in.
    stored = [type_coerce(column, Text()).label(f"rotate_value{i}") for i, column in enumerate(columns)]
    # Core UPDATE, not the ORM, on purpose: the ORM's before_flush guard (app.plans.immutability)
    # refuses any change to an agreed plan version, which is right for content. Rotation changes only
    # the ciphertext: every value decrypts to exactly what was agreed. Core also leaves updated_at,
    # updated_by and revision alone, so rotation is not an edit in the history and does not make an
    # open editor's next save look like a conflict (R24).
    statement = (
        table.update()
        .where(*[key == bindparam(f"rotate_key{i}") for i, key in enumerate(keys)])
        .values({column.name: bindparam(f"rotate_value{i}", type_=Text()) for i, column in enumerate(columns)})
    )
    rows = values = 0
    last: tuple[Any, ...] | None = None
    while True:
        # Keyset pagination keeps each batch small however big the table is. FOR UPDATE stops the app
        # changing a row between our read and our write, which would put the old value back. SQLite
        # has no FOR UPDATE (SQLAlchemy leaves it out); there a write racing ours makes our
        # transaction fail instead, so nothing is put back either.
        query = select(*keys, *stored).order_by(*keys).limit(batch_size).with_for_update()
        if last is not None:
            query = query.where(keys[0] > last[0] if len(keys) == 1 else tuple_(*keys) > tuple_(*last))
        batch = connection.execute(query).all()
        if not batch:
            break
        params = []
        for row in batch:
            key_values, ciphertexts = tuple(row[: len(keys)]), row[len(keys) :]
            if all(value is None for value in ciphertexts):
                continue
            rotated: dict[str, Any] = {f"rotate_key{i}": value for i, value in enumerate(key_values)}
            for i, value in enumerate(ciphertexts):
                rotated[f"rotate_value{i}"] = None if value is None else _rotate(value, table, columns[i], key_values)
            params.append(rotated)
            rows += 1
            values += sum(value is not None for value in ciphertexts)
        if params:
            connection.execute(statement, params)
        last = tuple(batch[-1][: len(keys)])
    return TableRotation(table=table.name, rows=rows, values=values)


def _rotate(ciphertext: str, table: Table, column: Column[Any], key: tuple[Any, ...]) -> str:
    try:
        return FieldCipher.rotate(ciphertext)
    except InvalidToken as exc:
        # Name the row, never the value: nothing sensitive goes to the terminal or the logs (R21).
        raise KeyRotationError(
            f"{table.name}.{column.name} in row {key!r} does not decrypt with any configured key"
        ) from exc
