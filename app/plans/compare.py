"""Two versions of a list compared by content: what one has that the other does not.

A draft starts as a copy of the agreed version with new row ids, so rows are matched by their
words, not their ids: each row of one side is the twin of at most one equal row of the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from app.plans.models import ChildStatement, EmergencyContact, Place

Row = TypeVar("Row")


def unmatched(old: Sequence[Row], new: Sequence[Row], key: Callable[[Row], Hashable]) -> tuple[list[Row], list[Row]]:
    """(rows of `new` without a twin in `old`, rows of `old` without a twin in `new`), in list order."""
    remaining = Counter(key(row) for row in old)
    added: list[Row] = []
    for row in new:
        k = key(row)
        if remaining[k] > 0:
            remaining[k] -= 1
        else:
            added.append(row)
    removed: list[Row] = []
    for row in old:
        k = key(row)
        if remaining[k] > 0:
            remaining[k] -= 1
            removed.append(row)
    return added, removed


def statement_key(statement: ChildStatement) -> tuple[str, str, str]:
    """A statement is the same statement while its moment, starter and words are."""
    return (statement.moment, statement.kind, statement.text)


def place_key(place: Place) -> tuple[str, ...]:
    return (place.name, place.notes or "", place.safety)


def contact_key(contact: EmergencyContact) -> tuple[str, ...]:
    return (contact.name, contact.phone, contact.relationship)
