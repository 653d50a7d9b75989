"""Rows of several tables in one SQL statement: the plan page's lists, read at once.

A plan page shows a version's eight lists, the family around the child and who is on the case;
one SELECT per table made the page's statement count grow with every list a feature added. Here
each table's SELECT is padded to one shape (columns of one type share a slot; NULL in the slots a
table does not use) and the SELECTs are joined with UNION ALL, so one round trip brings them all.

The NULLs are cast to their column's type: PostgreSQL resolves a UNION's column types pairwise,
and an untyped NULL there would be taken for text. SQLAlchemy is not told those types, though: it
would convert every slot of every row, the NULL padding too (a row of one table is mostly other
tables' slots). `rows_of` converts (decrypts, parses) only a table's own values, with the result
processors the dialect gives each of its columns, as an ordinary query of the table would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    CompoundSelect,
    Dialect,
    cast,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm.attributes import instance_dict, instance_state
from sqlalchemy.types import NullType
from sqlmodel import Session, SQLModel


@dataclass(frozen=True)
class AtOnce:
    """One UNION ALL of several tables' rows, built once: run it as often as you like (`rows_of`).

    Built once and kept, it is also compiled once: SQLAlchemy keeps a statement's cache key on the
    statement, so a kept one skips both building the SELECTs and working out their key (most of
    the page's time in SQL, at every size). Conditions that vary take their values from bound
    parameters (`bindparam("name")`, `expanding=True` for a list) given to `rows_of`."""

    models: tuple[type[SQLModel], ...]
    statement: CompoundSelect
    # Per table: which slot of the row each of its columns sits in, and the column.
    places: tuple[tuple[tuple[int, Column[Any]], ...], ...]
    # Per dialect (one per engine), per table: (row index, attribute key, result processor or
    # None) of each of its columns; worked out on the first run (`_readers`).
    readers: dict[Dialect, tuple[tuple[tuple[int, str, Any], ...], ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )


def at_once(wanted: Sequence[tuple[type[SQLModel], ColumnElement[bool]]]) -> AtOnce:
    """The statement for the rows matching each (model, condition) in `wanted` (at least one)."""
    models = tuple(model for model, _where in wanted)
    slot_types, places = _layout(models)
    selects = []
    for index, (_model, where) in enumerate(wanted):
        cells: list[Any] = [cast(null(), slot_type) for slot_type in slot_types]
        for slot, column in places[index]:
            cells[slot] = column
        # Untyped for SQLAlchemy (NullType: no result processing), typed in the SQL (the casts).
        labelled = (type_coerce(cell, NullType()).label(f"c{n}") for n, cell in enumerate(cells))
        selects.append(select(literal(index).label("which"), *labelled).where(where))
    return AtOnce(
        models=models, statement=union_all(*selects), places=tuple(tuple(mine) for mine in places)
    )


def rows_of(session: Session, query: AtOnce, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
    """For each table of `query`, the rows matching its condition, in the order the database gives
    (sort them yourself); the rows are the session's own, as an ordinary query's would be."""
    found: list[list[Any]] = [[] for _ in query.models]
    result = session.execute(query.statement, dict(params or {}))
    readers = _readers(query, result.context.dialect)  # type: ignore[attr-defined]
    for row in result:
        index = row[0]
        values = {}
        for at, key, process in readers[index]:
            value = row[at]
            # Every type here reads NULL as None, so only values are converted (most slots are not
            # a table's own, and those that are are often NULL: the padding's conversions are gone).
            values[key] = value if process is None or value is None else process(value)
        found[index].append(_persistent(session, query.models[index], values))
    return found


def _readers(query: AtOnce, dialect: Dialect) -> tuple[tuple[tuple[int, str, Any], ...], ...]:
    """Per table of `query`, how to read each of its columns from a row on `dialect`: its index
    in the row (after `which`), its attribute key and the result processor an ordinary query of
    the column would use (None when the driver's value is already the value)."""
    readers = query.readers.get(dialect)
    if readers is None:
        readers = tuple(
            tuple(
                (slot + 1, column.key, column.type.dialect_impl(dialect).result_processor(dialect, None))
                for slot, column in mine
            )
            for mine in query.places
        )
        query.readers[dialect] = readers
    return readers


def rows_at_once(session: Session, wanted: Sequence[tuple[type[SQLModel], ColumnElement[bool]]]) -> list[list[Any]]:
    """For each (model, condition) in `wanted`, the rows matching it (see `rows_of`): built and run
    at once, for a caller whose conditions hold their values (not kept, so not compiled once)."""
    if not wanted:
        return []
    return rows_of(session, at_once(wanted))


@cache
def _layout(models: tuple[type[SQLModel], ...]) -> tuple[list[Any], list[list[tuple[int, Column[Any]]]]]:
    """The shape every SELECT is padded to: a column (slot) per value, shared between tables by
    type, so the row is as wide as the widest table rather than all of them side by side. Returns
    each slot's type and, per table, which slot each of its columns sits in."""
    slot_types: list[Any] = []
    slots_by_type: dict[tuple[type, object], list[int]] = {}
    places: list[list[tuple[int, Column[Any]]]] = []
    for model in models:
        taken: dict[tuple[type, object], int] = {}
        mine: list[tuple[int, Column[Any]]] = []
        for column in model.__table__.columns:  # type: ignore[attr-defined]
            # Same class, same conversion: values of one slot are read (decrypted, parsed) alike.
            kind = (type(column.type), getattr(column.type, "enum_class", None))
            slots = slots_by_type.setdefault(kind, [])
            nth = taken.get(kind, 0)
            if nth == len(slots):
                slots.append(len(slot_types))
                slot_types.append(column.type)
            mine.append((slots[nth], column))
            taken[kind] = nth + 1
        places.append(mine)
    return slot_types, places


def _persistent(session: Session, model: type[SQLModel], values: dict[str, Any]) -> Any:
    """The session's object for this row: the one it already holds, or a new one it now holds as
    loaded (clean, so nothing is written back unless a caller changes it).

    Made as SQLAlchemy makes the objects a query loads (`sqlalchemy.orm.loading._instance`: a new
    instance, values straight into its state, keyed and put in the identity map as persistent),
    not through the model's constructor, which validates every field and cost most of a plan
    page's time at 200 items, nor through `Session.add`, which cascades and fires events meant for
    objects joining the session rather than rows read from it.
    """
    mapper: Any = model.__mapper__  # type: ignore[attr-defined]
    key = mapper.identity_key_from_primary_key([values[column.key] for column in mapper.primary_key])
    identity_map = session.identity_map
    held = identity_map.get(key)
    if held is not None:
        return held
    obj = mapper.class_manager.new_instance()
    instance_dict(obj).update(values)
    state = instance_state(obj)
    state.key = key
    state.identity_token = key[2]
    state.session_id = session.hash_key
    identity_map._add_unpresent(state, key)  # as sqlalchemy.orm.loading does
    return obj
