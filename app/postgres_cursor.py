"""psycopg's cursor as the app uses it: statements sent as SQLAlchemy wrote them, and a result's
columns described when the description is read, not before.

- Sent as written. psycopg's usual cursor turns `%(name)s` placeholders into PostgreSQL's `$1` on
  every run, by scanning the statement's text; it keeps what it found only for statements of up to
  4,096 characters, and a plan page's one statement for its lists is 9,800 (12,600 for the
  practitioner's), so it was scanned anew every time: about 2% of the page. SQLAlchemy writes `$1`
  placeholders itself when asked (`paramstyle="numeric_dollar"`, as it does for asyncpg), and
  psycopg's `RawCursor` sends such a statement unchanged.
- Described on demand. SQLAlchemy asks for `cursor.description` after every statement, and for a
  statement it has run before (all of a page's: they are kept and compiled once) only to see
  whether it is None: it already knows the result's columns. psycopg answers with a new `Column`
  per column each time, decoding its name and looking up its type: a plan page reads some 150
  columns in six statements, and building them was about 6% of the page. Here the description is
  the same sequence of the same `Column`s, made when something reads it: its length is known at
  once, and the columns are psycopg's own, made from the result they describe.

SQLAlchemy documents both settings (`paramstyle`, and `connect_args={"cursor_factory": ...}` for
psycopg): app.db.make_engine. tests/unit/test_postgres_cursor.py checks the description against
psycopg's and statements with `%`, repeated and many parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import psycopg
from psycopg import Column
from psycopg.pq.abc import PGresult


class LeanCursor(psycopg.RawCursor[Any]):
    """psycopg's raw cursor (`$1` placeholders, the statement sent unchanged) whose `description`
    describes the columns only when read (see the module)."""

    # psycopg types it a list; DB-API 2.0 (PEP 249) asks only for a sequence, and that is all
    # SQLAlchemy reads it as (len, indexing, iteration).
    @property
    def description(self) -> Sequence[Column] | None:  # type: ignore[override]
        result = self.pgresult
        if result is None or not result.nfields:
            # No result, or one with no columns (a command, or `SELECT ;`): psycopg's own answer.
            return super().description
        return _Described(self, result)


class _Described(Sequence[Column]):
    """The columns of one result of `cursor`, made on first read by psycopg itself."""

    __slots__ = ("_columns", "_cursor", "_result")

    def __init__(self, cursor: LeanCursor, result: PGresult) -> None:
        self._cursor = cursor
        self._result = result
        self._columns: list[Column] | None = None

    def _made(self) -> list[Column]:
        if self._columns is None:
            # psycopg describes the cursor's current result: this one, unless the cursor has run
            # another statement since (nothing here reads a description that late); then a view of
            # the cursor as it was when this result was current describes it instead.
            cursor: Any = self._cursor
            if cursor.pgresult is not self._result:
                cursor = _AsItWas.of(self._cursor, self._result)
            self._columns = [Column(cursor, index) for index in range(self._result.nfields)]
        return self._columns

    def __len__(self) -> int:
        return self._result.nfields

    @overload
    def __getitem__(self, index: int) -> Column: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Column]: ...

    def __getitem__(self, index: int | slice) -> Column | Sequence[Column]:
        return self._made()[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == other if isinstance(other, list) else NotImplemented

    # Unhashable, as a list is.
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._made())


@dataclass(frozen=True)
class _AsItWas:
    """What psycopg's `Column` reads of a cursor, as it was when `pgresult` was its result."""

    pgresult: PGresult
    adapters: Any
    _encoding: str

    @classmethod
    def of(cls, cursor: LeanCursor, result: PGresult) -> _AsItWas:
        return cls(pgresult=result, adapters=cursor.adapters, _encoding=cursor._encoding)
