"""Rows of several tables in one SQL statement: the plan page's lists, read at once.

A plan page shows a version's eight lists, the family around the child and who is on the case;
one SELECT per table made the page's statement count grow with every list a feature added. Here
each table's SELECT is padded to one shape (every table's columns side by side, NULL where a row
is another table's) and the SELECTs are joined with UNION ALL, so one round trip brings them all.

The NULLs are cast to their column's type: PostgreSQL resolves a UNION's column types pairwise,
and an untyped NULL there would be taken for text. The first SELECT's columns carry each column's
type, so SQLAlchemy decrypts and converts every value as it would for an ordinary query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, cast, literal, null, select, union_all
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel


def rows_at_once(session: Session, wanted: Sequence[tuple[type[SQLModel], ColumnElement[bool]]]) -> list[list[Any]]:
    """For each (model, condition) in `wanted`, the rows matching it, in the order the database
    gives (sort them yourself); the rows are the session's own, as an ordinary query's would be."""
    if not wanted:
        return []
    slots = [(index, column) for index, (model, _where) in enumerate(wanted) for column in model.__table__.columns]  # type: ignore[attr-defined]
    selects = [
        select(
            literal(index).label("which"),
            *(
                (column if owner == index else cast(null(), column.type)).label(f"c{n}")
                for n, (owner, column) in enumerate(slots)
            ),
        ).where(where)
        for index, (_model, where) in enumerate(wanted)
    ]
    found: list[list[Any]] = [[] for _ in wanted]
    for row in session.execute(union_all(*selects)):
        index = row[0]
        model = wanted[index][0]
        values = {column.key: row[n + 1] for n, (owner, column) in enumerate(slots) if owner == index}
        found[index].append(_persistent(session, model, values))
    return found


def _persistent(session: Session, model: type[SQLModel], values: dict[str, Any]) -> Any:
    """The session's object for this row: the one it already holds, or a new one it now holds as
    loaded (clean, so nothing is written back unless a caller changes it)."""
    mapper = model.__mapper__  # type: ignore[attr-defined]
    key = mapper.identity_key_from_primary_key([values[column.key] for column in mapper.primary_key])
    held = session.identity_map.get(key)
    if held is not None:
        return held
    obj = model(**values)
    make_transient_to_detached(obj)
    session.add(obj)
    return obj
