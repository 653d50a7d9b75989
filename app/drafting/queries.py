"""What the worker's "write the plan" page shows: the draft, section by section in seed 003's
order, the ideas the family added since the last agreed version, and the versions to compare."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit import names
from app.cowriting.queries import Whose, family_authors
from app.drafting.inputs import FIELD_GROUPS, IDEA_LISTS, LISTS, ListKey
from app.drafting.operations import meeting_day
from app.errors import NotFound
from app.people.models import Agency, Child
from app.plans.compare import contact_key, place_key, statement_key, unmatched
from app.plans.diff import VersionDiff, compare
from app.plans.models import (
    AgencyActionKind,
    CommitmentKind,
    Moment,
    Plan,
    PlanVersion,
    Safety,
    StatementKind,
)
from app.plans.versions import MAX_REVIEW_GAP_DAYS, draft_of, latest_agreed, open_plan_for_child


@dataclass(frozen=True)
class PageSection:
    """One section of the page: a list of the draft (statements: one moment of it) or a group of its fields."""

    key: str
    title: Any
    hint: Any = ""
    list_key: ListKey | None = None
    moment: str = ""
    group: str = ""


# Seed 003's "8. SAFER PLAN" order; network people and places (agenda items 5 and 6) come before
# "Other considerations".
SECTIONS: tuple[PageSection, ...] = (
    PageSection(
        "actions",
        _l("Actions in priority order"),
        _l("WHO will do ACTION to achieve AIM, which will be shown by SUCCESS. The first is the most important."),
        list_key=ListKey.ACTIONS,
    ),
    PageSection(
        "everyday",
        _l("The young person: every day"),
        _l("I will, I can, I might, I need."),
        list_key=ListKey.STATEMENTS,
        moment=Moment.EVERYDAY,
    ),
    PageSection(
        "emergency",
        _l("The young person: in an emergency"),
        _l("I will, I can, I might, I need, when something goes wrong."),
        list_key=ListKey.STATEMENTS,
        moment=Moment.EMERGENCY,
    ),
    PageSection("safe_word", _l("Safe word"), group="safe_word"),
    PageSection("contacts", _l("Emergency contacts"), list_key=ListKey.CONTACTS),
    PageSection("if_missing", _l("If found when missing"), group="if_missing"),
    PageSection(
        "parental_responsibility",
        _l("Parental responsibility"),
        _l("Who has parental responsibility, or can make decisions, for the young person."),
        list_key=ListKey.PARENTAL_RESPONSIBILITY,
    ),
    PageSection(
        "commitments",
        _l("Parent and carer commitments"),
        _l("WHO will ensure, make or do something, by or at a time."),
        list_key=ListKey.COMMITMENTS,
    ),
    PageSection(
        "agency_actions",
        _l("Agency actions"),
        _l(
            "To increase safety (including the Police Trigger Plan), and to prevent or disrupt harm. "
            "Each agency partner can also update their own agency's actions, on their own page."
        ),
        list_key=ListKey.AGENCY_ACTIONS,
    ),
    PageSection(
        "network",
        _l("Network: people"),
        _l("Safe, not safe, or could be safe. People who are not safe are never shown to the family."),
        list_key=ListKey.NETWORK,
    ),
    PageSection(
        "places",
        _l("Places"),
        _l("Safe, not safe, or could be safe. Places that are not safe are flagged."),
        list_key=ListKey.PLACES,
    ),
    PageSection("contingency", _l("Contingency plan"), group="contingency"),
    PageSection("onward", _l("Onward actions"), group="onward"),
    PageSection("review", _l("Review"), group="review"),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}


@dataclass(frozen=True)
class FamilyIdea:
    """Something a family member added to the draft since the last agreed version, and whose it is."""

    key: ListKey
    row: Any
    whose: str  # cowriting.queries.Whose
    author: str

    @property
    def is_young_persons(self) -> bool:
        """The young person's own idea (it stays their own words when brought in)."""
        return self.whose == Whose.YOUNG_PERSON


@dataclass
class DraftView:
    child: Child
    plan: Plan
    draft: PlanVersion
    items: dict[ListKey, list[Any]]
    ideas: list[FamilyIdea] = field(default_factory=list)
    versions: list[PlanVersion] = field(default_factory=list)
    review_from: date | None = None
    may_decide_ideas: bool = False

    @property
    def review_latest(self) -> date | None:
        return self.review_from + timedelta(days=MAX_REVIEW_GAP_DAYS) if self.review_from else None

    def values(self, key: ListKey, row: Any) -> dict[str, str]:
        """An item's fields as a form shows them (ticked boxes "on", dates like 2026-12-14)."""
        return {name: _as_text(getattr(row, name)) for name in LISTS[key].fields}

    def field_values(self, group: str) -> dict[str, str]:
        return {name: _as_text(getattr(self.draft, name)) for name in FIELD_GROUPS[group]}

    def rows(self, section: PageSection) -> list[Any]:
        if section.list_key is None:
            return []
        rows = self.items[section.list_key]
        return [r for r in rows if r.moment == section.moment] if section.moment else rows

    def idea_of(self, key: ListKey, row: Any) -> FamilyIdea | None:
        return next((i for i in self.ideas if i.key == key and i.row.id == row.id), None)


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


# The choices each select offers, with the label group (app.web.labels) that names them.
CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "statement_kind": ("statement_kind", tuple(StatementKind)),
    "commitment_kind": ("commitment_kind", tuple(CommitmentKind)),
    "agency_action_kind": ("agency_action_kind", tuple(AgencyActionKind)),
    "agency": ("agency", tuple(Agency)),
    "safety": ("safety", tuple(Safety)),
}


def rows_of(session: Session, model: Any, version_id: int | None) -> list[Any]:
    """A list of a version in plan order (rows sharing a position by when they were added)."""
    if version_id is None:
        return []
    return list(
        session.exec(
            select(model).where(model.version_id == version_id).order_by(col(model.position), col(model.id))
        ).all()
    )


_KEYS: dict[ListKey, Callable[[Any], Hashable]] = {
    ListKey.STATEMENTS: statement_key,
    ListKey.CONTACTS: contact_key,
    ListKey.PLACES: place_key,
}


def family_ideas(
    session: Session, child: Child, draft: PlanVersion, agreed: PlanVersion | None, items: dict[ListKey, list[Any]]
) -> list[FamilyIdea]:
    """The family's statements, contacts and places in the draft that the agreed version does not have."""
    authors = family_authors(session, child)
    ideas: list[FamilyIdea] = []
    for key in IDEA_LISTS:
        older = rows_of(session, LISTS[key].model, agreed.id if agreed is not None else None)
        added, _removed = unmatched(older, items[key], _KEYS[key])
        for row in added:
            if row.written_by_member_id is None:
                continue
            whose, author = authors.get(row.written_by_member_id, (Whose.FAMILY, ""))
            ideas.append(FamilyIdea(key=key, row=row, whose=whose, author=author))
    return ideas


def draft_view(*, session: Session, actor: Actor, child_id: int) -> DraftView:
    """The child's draft as the worker writes it. None of it without `draft.write` (not found)."""
    access = policy.require("draft.write", session=session, actor=actor, child_id=child_id)
    child = session.get(Child, child_id)
    plan = open_plan_for_child(session=session, child_id=child_id)
    if child is None or plan is None:
        raise NotFound()
    draft = draft_of(session=session, plan_id=plan.id or 0)
    items = {key: rows_of(session, spec.model, draft.id) for key, spec in LISTS.items()}
    agreed = latest_agreed(session=session, plan_id=plan.id or 0)
    versions = list(
        session.exec(
            select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(col(PlanVersion.number).desc())
        ).all()
    )
    return DraftView(
        child=child,
        plan=plan,
        draft=draft,
        items=items,
        ideas=family_ideas(session, child, draft, agreed, items),
        versions=versions,
        review_from=meeting_day(session, plan.id or 0),
        may_decide_ideas=access.holds("draft.decide_ideas"),
    )


def child_without_plan(*, session: Session, actor: Actor, child_id: int) -> Child | None:
    """The child, when the worker may write their plan but none is open yet (the page offers to start one)."""
    policy.require("draft.write", session=session, actor=actor, child_id=child_id)
    if open_plan_for_child(session=session, child_id=child_id) is not None:
        return None
    child = session.get(Child, child_id)
    if child is None:
        raise NotFound()
    return child


@dataclass
class Comparison:
    child: Child
    versions: list[PlanVersion]
    diff: VersionDiff
    may_write: bool
    # Who made each change, by name (the rows keep account labels such as "family:1").
    authors: dict[str, str]


def version_comparison(
    *, session: Session, actor: Actor, child_id: int, older: int | None, newer: int | None
) -> Comparison:
    """Two versions of the child's plan compared (by number); by default the latest agreed one and the draft."""
    access = policy.require("plan.compare", session=session, actor=actor, child_id=child_id)
    child = session.get(Child, child_id)
    plan = open_plan_for_child(session=session, child_id=child_id)
    if child is None or plan is None:
        raise NotFound()
    versions = list(
        session.exec(select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(col(PlanVersion.number))).all()
    )
    by_number = {v.number: v for v in versions}
    draft = versions[-1]
    agreed = latest_agreed(session=session, plan_id=plan.id or 0)
    # A number that names no version falls back to the default rather than failing the page.
    to = by_number.get(newer or 0, draft)
    start = by_number.get(older or 0, agreed if agreed is not None and agreed.id != to.id else versions[0])
    diff = compare(session=session, older=start, newer=to)
    labels = [item.by for section in diff.sections for item in section.items if item.by]
    labels += [f.by for section in diff.sections for f in section.fields if f.by]
    return Comparison(
        child=child,
        versions=versions,
        diff=diff,
        may_write=access.holds("draft.write"),
        authors={label: person.name for label, person in names.people(session, labels).items() if person.name},
    )
