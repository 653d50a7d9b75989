"""What changed between two versions of a plan, section by section, word by word, and who changed it.

A draft starts as a copy of the agreed version: each copied row keeps its `created_at` and
`created_by`, so a row and its copies share a lineage even though their ids differ. Rows of the
same lineage are the same item (its words may have changed); a lineage only in the newer version
was added, one only in the older was taken out. Words are compared word by word (difflib), so a
reader sees exactly which words went and came.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from flask_babel import get_locale, gettext
from sqlmodel import Session

from app.plans.models import (
    AgencyAction,
    CarerCommitment,
    ChildStatement,
    EmergencyContact,
    NetworkPerson,
    ParentalResponsibility,
    Place,
    PlanAction,
    PlanItem,
    PlanVersion,
)
from app.plans.read_model import items_of
from app.web.labels import label

_WORD = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class Segment:
    """A run of words: the same in both versions, only in the newer ("added"), only in the older."""

    text: str
    kind: str  # "same", "added", "removed"


def word_diff(old: str, new: str) -> list[Segment]:
    """`old` turned into `new`, as runs of unchanged, removed and added words."""
    a, b = _WORD.findall(old or ""), _WORD.findall(new or "")
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("".join(a[i1:i2]), "same"))
            continue
        if i2 > i1:
            segments.append(Segment("".join(a[i1:i2]), "removed"))
        if j2 > j1:
            segments.append(Segment("".join(b[j1:j2]), "added"))
    return segments


@dataclass(frozen=True)
class ItemChange:
    """One item of a list: added, taken out, or changed (with its words compared), and by whom."""

    kind: str  # "added", "removed", "changed"
    words: list[Segment]
    by: str  # actor label of who added or last changed it ("" for taken out: the row is gone)
    at: datetime | None


@dataclass(frozen=True)
class FieldChange:
    """One of the version's own fields (the safe word, the review date...), before and after."""

    name: str
    words: list[Segment]
    by: str


@dataclass
class SectionChanges:
    key: str  # a key for the section's heading (see SECTIONS)
    items: list[ItemChange] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.items or self.fields)


@dataclass
class VersionDiff:
    older: PlanVersion
    newer: PlanVersion
    sections: list[SectionChanges] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return all(section.is_empty for section in self.sections)


# Each row's words as a reader sees them ("Every day: I can ...", "Safe"), so a changed label
# shows as a changed word rather than a changed code.
def _statement_words(s: ChildStatement) -> str:
    return f"{label('moment', s.moment)}: {label('statement_kind', s.kind)} {s.text}"


def _day(day: date) -> str:
    # The reader's language within a request; English outside one (a command, a unit test).
    return format_date(day, "d MMMM yyyy", locale=get_locale() or "en")


def _by(day: date | None) -> str:
    """A due date as the plan reads it ("by 12 December 2026"), or nothing."""
    return gettext("by %(date)s", date=_day(day)) if day is not None else ""


def _done(day: date | None) -> str:
    return gettext("done %(date)s", date=_day(day)) if day is not None else ""


def _action_words(r: PlanAction) -> str:
    when = ", ".join(words for words in (_by(r.due_on), _done(r.done_on)) if words)
    return f"{r.who}: {r.action}. {r.aim}. {r.success}" + (f" ({when})" if when else "")


def _commitment_words(r: CarerCommitment) -> str:
    parts = (r.who, label("commitment_kind", r.kind), r.commitment, r.by_when, _by(r.due_on))
    return " ".join(part for part in parts if part)


def _agency_words(r: AgencyAction) -> str:
    return f"{label('agency', r.agency)}: {r.action} {_by(r.due_on)} {r.repeats}".strip()


def _network_words(r: NetworkPerson) -> str:
    return f"{r.name} ({r.relationship}) {label('safety', r.safety)} {r.involvement or ''}".strip()


def _place_words(r: Place) -> str:
    return f"{r.name} {r.address or ''} {label('safety', r.safety)} {r.notes or ''}".strip()


# Each list of the plan, in the order the template shows them, and the words that describe a row.
LISTS: tuple[tuple[str, type[PlanItem], Callable[[Any], str]], ...] = (
    ("actions", PlanAction, _action_words),
    ("statements", ChildStatement, _statement_words),
    ("contacts", EmergencyContact, lambda r: f"{r.name} ({r.relationship}) {r.phone} {r.notes}".strip()),
    ("parental_responsibility", ParentalResponsibility, lambda r: f"{r.name} ({r.relationship}) {r.notes}".strip()),
    ("carer_commitments", CarerCommitment, _commitment_words),
    ("agency_actions", AgencyAction, _agency_words),
    ("network", NetworkPerson, _network_words),
    ("places", Place, _place_words),
)

# The version's own fields, by the section that shows them.
FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("emergency", ("safe_word", "if_missing_take_to")),
    ("contingency", ("contingency_steps", "contingency_cover")),
    ("onward", ("onward_hub_context", "onward_complex_abuse")),
    ("review", ("review_date", "review_trigger", "review_meanwhile")),
)


def _lineages(rows: list[Any]) -> dict[tuple[datetime, str, int], Any]:
    """Rows by lineage: who created the first of them, and when (the nth such, should two share it)."""
    seen: dict[tuple[datetime, str], int] = {}
    keyed: dict[tuple[datetime, str, int], Any] = {}
    for row in rows:
        base = (row.created_at, row.created_by)
        seen[base] = seen.get(base, -1) + 1
        keyed[(*base, seen[base])] = row
    return keyed


def _list_changes(older: list[Any], newer: list[Any], words: Callable[[Any], str]) -> list[ItemChange]:
    old_by_lineage, new_by_lineage = _lineages(older), _lineages(newer)
    lineage_of_new = {id(row): key for key, row in new_by_lineage.items()}
    lineage_of_old = {id(row): key for key, row in old_by_lineage.items()}
    changes: list[ItemChange] = []
    for row in newer:
        before = old_by_lineage.get(lineage_of_new[id(row)])
        if before is None:
            changes.append(ItemChange("added", [Segment(words(row), "added")], row.created_by, row.created_at))
        elif words(before) != words(row):
            changes.append(ItemChange("changed", word_diff(words(before), words(row)), row.updated_by, row.updated_at))
    for row in older:
        if lineage_of_old[id(row)] not in new_by_lineage:
            changes.append(ItemChange("removed", [Segment(words(row), "removed")], "", None))
    return changes


def _text(value: object) -> str:
    return "" if value is None else str(value)


def compare(*, session: Session, older: PlanVersion, newer: PlanVersion) -> VersionDiff:
    """Every difference between two versions of one plan. Callers check access first."""
    diff = VersionDiff(older=older, newer=newer)
    for key, model, words in LISTS:
        section = SectionChanges(key)
        section.items = _list_changes(items_of(session, model, older.id), items_of(session, model, newer.id), words)
        diff.sections.append(section)
    for key, names in FIELDS:
        section = SectionChanges(key)
        for name in names:
            before, after = _text(getattr(older, name)), _text(getattr(newer, name))
            if before != after:
                section.fields.append(FieldChange(name, word_diff(before, after), newer.updated_by))
        diff.sections.append(section)
    return diff
