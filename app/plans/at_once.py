"""Rows of several tables in one SQL statement: the plan page's lists, read at once.

A plan page shows a version's eight lists, the family around the child and who is on the case;
one SELECT per table made the page's statement count grow with every list a feature added. Here
each table's SELECT is padded to one shape (columns of one type share a slot; NULL in the slots a
table does not use) and the SELECTs are joined with UNION ALL, so one round trip brings them all.

The NULLs are cast to their column's type: PostgreSQL resolves a UNION's column types pairwise,
and an untyped NULL there would be taken for text. The first SELECT's columns carry each column's
type, so SQLAlchemy decrypts and converts every value as it would for an ordinary query.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Column, ColumnElement, cast, literal, null, select, union_all
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict
from sqlmodel import Session, SQLModel


def rows_at_once(session: Session, wanted: Sequence[tuple[type[SQLModel], ColumnElement[bool]]]) -> list[list[Any]]:
    """For each (model, condition) in `wanted`, the rows matching it, in the order the database
    gives (sort them yourself); the rows are the session's own, as an ordinary query's would be."""
    if not wanted:
        return []
    slot_types, places = _layout(tuple(model for model, _where in wanted))
    selects = []
    for index, (_model, where) in enumerate(wanted):
        cells: list[Any] = [cast(null(), slot_type) for slot_type in slot_types]
        for slot, column in places[index]:
            cells[slot] = column
        selects.append(
            select(literal(index).label("which"), *(cell.label(f"c{n}") for n, cell in enumerate(cells))).where(where)
        )
    found: list[list[Any]] = [[] for _ in wanted]
    for row in session.execute(union_all(*selects)):
        index = row[0]
        values = {column.key: row[slot + 1] for slot, column in places[index]}
        found[index].append(_persistent(session, wanted[index][0], values))
    return found


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

    Made as SQLAlchemy makes the objects it loads (`new_instance`, values straight into the
    instance's state), not through the model's constructor: that validates every field, and cost
    most of a plan page's time at 200 items.
    """
    mapper = model.__mapper__  # type: ignore[attr-defined]
    key = mapper.identity_key_from_primary_key([values[column.key] for column in mapper.primary_key])
    held = session.identity_map.get(key)
    if held is not None:
        return held
    obj = mapper.class_manager.new_instance()
    instance_dict(obj).update(values)
    make_transient_to_detached(obj)
    session.add(obj)
    return obj
