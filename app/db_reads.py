"""Rows read by hand into the session's objects: several tables' rows in one statement (`at_once`),
or one row of several tables side by side (`side_by_side`). Cheaper than the ORM's loading, and
used where every page pays for it: a plan's lists and the plan itself (app.plans.reading), the
sign-in, the policy's live link or assignment, the "what's new" bookmark, the next meeting.

A plan page shows a version's eight lists, the family around the child and who is on the case;
one SELECT per table made the page's statement count grow with every list a feature added. Here
each table's SELECT is padded to one shape (columns of one type share a slot; NULL in the slots a
table does not use) and the SELECTs are joined with UNION ALL, so one round trip brings them all.

The NULLs are cast to their column's type: PostgreSQL resolves a UNION's column types pairwise,
and an untyped NULL there would be taken for text. SQLAlchemy is not told those types, though: it
would convert every slot of every row, the NULL padding too (a row of one table is mostly other
tables' slots). `rows_of` converts (decrypts, parses) only a table's own values, with the result
processors the dialect gives each of its columns, as an ordinary query of the table would.

`side_by_side` is the same reading for one SELECT of several tables joined (a row holds one row of
each): a row whose object the session already holds is not converted again (the plan read with
each of its versions would otherwise decrypt the child's name once per version). Reading by hand
costs less than the ORM's loading, so the small reads every signed-in page makes use it too (the
sign-in, the policy's live link or assignment, the bookmark, the next meeting). Such statements
name tables' columns (`table_of(Model).c`), which keeps them Core: they do not autoflush by
themselves (`side_by_side_rows` flushes when the session autoflushes), and an object the session
already holds is returned as it stands, expired attributes included (they load when read).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import Any, TypeAlias

from sqlalchemy import (
    Column,
    ColumnElement,
    CompoundSelect,
    Dialect,
    Select,
    Table,
    cast,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.attributes import instance_dict, instance_state
from sqlalchemy.types import NullType
from sqlmodel import Session, SQLModel

AnySelect: TypeAlias = Select[*tuple[Any, ...]]
# Where a table's (or a value's) columns sit in a row: (index in the row, column) each.
_Places = tuple[tuple[int, "Column[Any]"], ...]


@dataclass(frozen=True)
class _Shape:
    """What a kept statement's rows hold, and how each dialect reads them (worked out on first use)."""

    parts: tuple[type[SQLModel] | None, ...]
    places: tuple[_Places, ...]
    readers: dict[Dialect, tuple[_Reader, ...]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def on(self, dialect: Dialect) -> tuple[_Reader, ...]:
        readers = self.readers.get(dialect)
        if readers is None:
            # Objects are made here without a query, which is what sets the models' attributes up
            # (configure_mappers): before the first query of a process, they would not be.
            configure_mappers()
            readers = tuple(_Reader(model, mine, dialect) for model, mine in zip(self.parts, self.places, strict=True))
            self.readers[dialect] = readers
        return readers


class KeptCompiled:
    """Where a kept statement's compiled SQL is found again, without hashing its cache key.

    SQLAlchemy finds a statement's compiled SQL in the engine's cache by a key that holds the
    statement's whole cache key: a nested tuple, which Python hashes afresh, all of it, on every
    lookup (a tuple does not keep its hash). For the plan's UNION of eleven tables' padded columns
    that was about 1% of a plan page. A kept statement is built once and its cache key worked out
    once (kept on the statement), so its compiled SQL can be found by the rest of the key (the
    dialect, the parameters' names, one row or many), checking that the cache key is the very one
    it was compiled for. Given as the `compiled_cache` execution option when the statement runs.
    """

    # A process has one engine (one dialect), and a statement is run with the same parameters'
    # names: a few entries. A test run makes an engine per app; it keeps no more than this.
    _BOUND = 8

    def __init__(self) -> None:
        self._compiled: dict[tuple[Any, ...], tuple[object, Any]] = {}

    def get(self, key: tuple[Any, ...], default: Any = None) -> Any:
        dialect, cache_key, *rest = key
        found = self._compiled.get((dialect, *rest))
        # Another statement's key (never expected) is a miss: SQLAlchemy compiles it and sets it here.
        return found[1] if found is not None and found[0] is cache_key else default

    def __setitem__(self, key: tuple[Any, ...], compiled: Any) -> None:
        dialect, cache_key, *rest = key
        if len(self._compiled) >= self._BOUND:
            self._compiled.clear()
        self._compiled[(dialect, *rest)] = (cache_key, compiled)

    def options(self) -> dict[str, Any]:
        """The execution options that look the statement's compiled SQL up here."""
        return {"compiled_cache": self}


@dataclass(frozen=True)
class AtOnce:
    """One UNION ALL of several tables' rows, built once: run it as often as you like (`rows_of`).

    Built once and kept, it is also compiled once: SQLAlchemy keeps a statement's cache key on the
    statement, so a kept one skips both building the SELECTs and working out their key (most of
    the page's time in SQL, at every size). Conditions that vary take their values from bound
    parameters (`bindparam("name")`, `expanding=True` for a list) given to `rows_of`."""

    models: tuple[type[SQLModel], ...]
    statement: CompoundSelect
    shape: _Shape
    compiled: KeptCompiled = field(default_factory=KeptCompiled, compare=False, hash=False, repr=False)


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
    # In the row, slot n comes after `which`.
    shape = _Shape(parts=models, places=tuple(tuple((slot + 1, column) for slot, column in mine) for mine in places))
    return AtOnce(models=models, statement=union_all(*selects), shape=shape)


def rows_of(session: Session, query: AtOnce, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
    """For each table of `query`, the rows matching its condition, in the order the database gives
    (sort them yourself); the rows are the session's own, as an ordinary query's would be."""
    found: list[list[Any]] = [[] for _ in query.models]
    result = session.execute(query.statement, dict(params or {}), execution_options=query.compiled.options())
    readers = query.shape.on(result.context.dialect)  # type: ignore[attr-defined]
    # All rows in one fetch (`all()`), not a fetch per row as iterating the result does: the
    # driver's own loop rather than two Python calls a row (SQLAlchemy's, then psycopg's).
    for row in result.all():
        index = row[0]
        found[index].append(_object(session, readers[index], row))
    return found


@dataclass(frozen=True)
class SideBySide:
    """One SELECT of several tables' columns side by side (joined), and perhaps plain values,
    built once (see `AtOnce`): each row is read into the session's objects (`side_by_side_rows`)."""

    statement: AnySelect
    shape: _Shape
    compiled: KeptCompiled = field(default_factory=KeptCompiled, compare=False, hash=False, repr=False)


def side_by_side(
    parts: Sequence[type[SQLModel] | ColumnElement[Any]], finish: Callable[[AnySelect], AnySelect]
) -> SideBySide:
    """A SELECT of every column of each model in `parts` and of each plain value (a column, a
    scalar subquery), in that order;
    `finish` adds its FROM, joins, conditions and order. Name tables and columns by the tables
    (`table_of(Model).c`), not the models' attributes, so the statement stays a Core one: no ORM
    loading to set up per run, which is the work this saves."""
    columns: list[Any] = []
    places: list[_Places] = []
    for part in parts:
        mine: list[Any] = list(table_of(part).columns) if isinstance(part, type) else [part]
        places.append(tuple((len(columns) + n, column) for n, column in enumerate(mine)))
        columns += mine
    labelled = [type_coerce(column, NullType()).label(f"c{n}") for n, column in enumerate(columns)]
    models = tuple(part if isinstance(part, type) else None for part in parts)
    return SideBySide(statement=finish(select(*labelled)), shape=_Shape(parts=models, places=tuple(places)))


def table_of(model: type[SQLModel]) -> Table:
    """The model's table, to name in a statement that stays Core (`side_by_side`); SQLModel sets
    `__table__` on every table model, but type checkers do not know it."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


def side_by_side_first(session: Session, query: SideBySide, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The first row of `query` (`side_by_side_rows`), or None if there is none."""
    rows = side_by_side_rows(session, query, params)
    return rows[0] if rows else None


def side_by_side_rows(session: Session, query: SideBySide, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Each row of `query`: per part, the session's object (None where an outer join found no row)
    or the plain value. Flushes first when the session autoflushes, as an ORM query would."""
    if session.autoflush:
        session.flush()
    result = session.execute(query.statement, dict(params), execution_options=query.compiled.options())
    readers = query.shape.on(result.context.dialect)  # type: ignore[attr-defined]
    return [tuple(_object(session, reader, row) for reader in readers) for row in result.all()]  # one fetch (rows_of)


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
        for column in table_of(model).columns:
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


class _Reader:
    """How to read `model`'s object (or, with no model, one plain value) from a row on a dialect.

    Per row this is the page's hottest Python: values that need no conversion are taken together
    (`itemgetter`, in C), and only the columns whose type converts (decrypts, parses) are visited
    one by one; a per-column function call cost more than the ORM's own loading saved."""

    def __init__(self, model: type[SQLModel] | None, places: _Places, dialect: Dialect) -> None:
        self.model = model
        self.mapper: Any = model.__mapper__ if model is not None else None  # type: ignore[attr-defined]
        plain: list[tuple[int, str]] = []
        # (index in the row, attribute key, the result processor an ordinary query would use).
        self.converted: list[tuple[int, str, Any]] = []
        for at, column in places:
            process = column.type.dialect_impl(dialect).result_processor(dialect, None)
            key = column.key if model is not None else ""  # a plain value (a subquery) needs none
            if process is None:
                plain.append((at, key))
            else:
                self.converted.append((at, key, process))
        self.plain_keys = tuple(key for _at, key in plain)
        self.plain = _getter(tuple(at for at, _key in plain))
        if self.mapper is not None:
            at_of = {column.key: at for at, column in places}
            converted_keys = {key for _at, key, _process in self.converted}
            # The identity is taken as the driver gives it: keys are integers (no conversion).
            if any(column.key in converted_keys for column in self.mapper.primary_key):
                raise TypeError(f"{model}: a primary key of a converting type is not supported here")
            self.identity = _getter(tuple(at_of[column.key] for column in self.mapper.primary_key))  # mapper's order

    def value(self, row: Any) -> Any:
        """The plain value (a reader with no model)."""
        if self.converted:
            at, _key, process = self.converted[0]
            value = row[at]
            return None if value is None else process(value)
        return self.plain(row)[0]

    def fill(self, values: dict[str, Any], row: Any) -> None:
        """Put the object's attribute values into `values` (its new instance's own dictionary: no
        dictionary in between). Every type here reads NULL as None, so only values are converted
        (in a padded UNION, many of a table's own slots are NULL)."""
        values.update(zip(self.plain_keys, self.plain(row), strict=True))
        for at, key, process in self.converted:
            value = row[at]
            values[key] = None if value is None else process(value)


def _getter(indexes: tuple[int, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values at `indexes` of a row, as a tuple whatever their number."""
    if len(indexes) == 1:
        (only,) = indexes
        return lambda row: (row[only],)
    if not indexes:
        return lambda _row: ()
    return itemgetter(*indexes)


def _object(session: Session, reader: _Reader, row: Any) -> Any:
    """The session's object for this row's columns of one table: the one it already holds (not
    converted again), or a new one it now holds as loaded (clean, so nothing is written back
    unless a caller changes it); None if the row has none (an outer join's NULLs). With no model,
    the plain value.

    Made as SQLAlchemy makes the objects a query loads (`sqlalchemy.orm.loading._instance`: a new
    instance, values straight into its state, keyed and put in the identity map as persistent),
    not through the model's constructor, which validates every field and cost most of a plan
    page's time at 200 items, nor through `Session.add`, which cascades and fires events meant for
    objects joining the session rather than rows read from it.
    """
    if reader.mapper is None:
        return reader.value(row)
    identity = reader.identity(row)
    if identity[0] is None:  # a primary key is never NULL: an outer join found no row
        return None
    mapper = reader.mapper
    key = mapper.identity_key_from_primary_key(identity)
    identity_map = session.identity_map
    held = identity_map.get(key)
    if held is not None:
        return held
    obj = mapper.class_manager.new_instance()
    reader.fill(instance_dict(obj), row)
    state = instance_state(obj)
    state.key = key
    state.identity_token = key[2]
    state.session_id = session.hash_key
    identity_map._add_unpresent(state, key)  # as sqlalchemy.orm.loading does
    return obj
