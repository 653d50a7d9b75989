"""One plan as one person reads it in one request: worked out once, whatever parts the page shows.

A plan page is put together from several features (the plan, the new ideas since the meeting,
carers' progress, the version history, the people around the child). Each used to check access
(an audit row each), find the child, the plan and its versions, and read its own lists. A
`PlanReading` does that once: one audited decision naming every permission the page uses, one
statement for the child, the plan, its versions and its live count, and one more for every list
of the versions the page shows with the family and the workers around the child (app.db_reads).
Features build their parts from it; their old entry points read one for themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, func
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.commitments.models import CommitmentUpdate
from app.db_reads import AnySelect, AtOnce, SideBySide, at_once, rows_of, side_by_side, side_by_side_rows, table_of
from app.errors import NotFound
from app.incidents.queries import moved_review_to
from app.live.changes import plan_channel
from app.live.models import LiveChannel
from app.people.models import CaseAssignment, Child, FamilyLink, FamilyMember, Practitioner
from app.plans.models import (
    AgencyAction,
    CarerCommitment,
    ChildStatement,
    EmergencyContact,
    NetworkPerson,
    ParentalResponsibility,
    Place,
    Plan,
    PlanAction,
    PlanItem,
    PlanStatus,
    PlanVersion,
)

Item = TypeVar("Item", bound=PlanItem)

# The lists the new ideas since the meeting compare (app.cowriting.queries), and those a draft's
# carers' progress is matched against (app.commitments.queries).
IDEA_LISTS: tuple[type[PlanItem], ...] = (ChildStatement, EmergencyContact, Place)
PROGRESS_LISTS: tuple[type[PlanItem], ...] = (CarerCommitment,)

# Every list a version holds (app.plans.models), in the order a plan shows them.
LIST_MODELS: tuple[type[PlanItem], ...] = (
    PlanAction,
    ChildStatement,
    EmergencyContact,
    ParentalResponsibility,
    CarerCommitment,
    AgencyAction,
    NetworkPerson,
    Place,
)


@dataclass
class PlanReading:
    """The child's open plan, its versions and (once `load` has run) the lists of some of them."""

    session: Session
    access: policy.Access
    child: Child
    plan: Plan
    versions: list[PlanVersion]  # newest first
    # How many changes the plan's live channel has seen (app.live): the page's "as of" count.
    live_version: int
    lists: dict[tuple[type[PlanItem], int], list[Any]] = field(default_factory=dict)
    # Everyone ever linked to the child, and the practitioners on the case now (with `load`).
    links: list[tuple[FamilyLink, FamilyMember]] = field(default_factory=list)
    workers: list[tuple[CaseAssignment, Practitioner]] = field(default_factory=list)
    # Every update of each carer commitment `load` read (by the commitment's id, oldest first):
    # carers' progress (app.commitments.queries.with_progress) without a statement of its own.
    updates: dict[int, list[CommitmentUpdate]] = field(default_factory=dict)
    # By version id, for each version read: the earliest date an incident brought its review
    # forward to (None if none did), read with the plan (app.incidents.queries.review_on).
    moved_review: dict[int, date | None] = field(default_factory=dict)

    @property
    def draft(self) -> PlanVersion:
        """The plan's one editable draft; NotFound if there is none (as versions.draft_of)."""
        draft = next((v for v in self.versions if v.agreed_at is None), None)
        if draft is None:
            raise NotFound()
        return draft

    @property
    def agreed(self) -> PlanVersion | None:
        """The newest agreed version, or None before anything is agreed."""
        return next((v for v in self.versions if v.agreed_at is not None), None)

    @property
    def family_version(self) -> PlanVersion:
        """What the family side shows: the latest agreed version, or the draft before any is agreed."""
        return self.agreed or self.draft

    def numbered(self, number: int) -> PlanVersion:
        version = next((v for v in self.versions if v.number == number), None)
        if version is None:
            raise NotFound()
        return version

    def items(self, model: type[Item], version_id: int | None) -> list[Item]:
        """One list of a version in plan order: loaded with `load`, or read now if it was not."""
        if version_id is None:
            return []
        if (model, version_id) not in self.lists:
            self.lists[(model, version_id)] = list(
                self.session.exec(
                    select(model).where(model.version_id == version_id).order_by(col(model.position))
                ).all()
            )
        return list(self.lists[(model, version_id)])

    def load(
        self, lists: Iterable[tuple[int | None, Iterable[type[PlanItem]]]], *, workers: bool = False
    ) -> PlanReading:
        """Read, at once, these lists of these versions ((version id, models) pairs), everyone
        linked to the child, and (with `workers`) the practitioners on the case."""
        wanted_ids: dict[type[PlanItem], set[int]] = {}
        for version_id, kinds in lists:
            for model in kinds:
                if version_id is not None:
                    wanted_ids.setdefault(model, set()).add(version_id)
        models = tuple(model for model in LIST_MODELS if model in wanted_ids)
        # Each list's versions are bound one by one, in as many places as the most any list wants
        # (a page wants one or two); a list that wants fewer repeats its last one (`IN (1, 1)`).
        places = max((len(ids) for ids in wanted_ids.values()), default=1)
        params: dict[str, Any] = {"child_id": self.child.id or 0}
        for model in models:
            ids = sorted(wanted_ids[model])
            ids += ids[-1:] * (places - len(ids))
            params.update({_versions_param(model, n): version_id for n, version_id in enumerate(ids)})
        query = _lists_query(models, workers, places)
        # Each table is in the statement once: its rows by its model.
        found = dict(zip(query.models, rows_of(self.session, query, params), strict=True))
        for model in models:
            for version_id in wanted_ids[model]:
                mine = [r for r in found[model] if r.version_id == version_id]
                self.lists[(model, version_id)] = sorted(mine, key=lambda r: r.position)
        if CarerCommitment in found:
            for commitment in found[CarerCommitment]:
                self.updates[commitment.id] = []
            for update in sorted(found[CommitmentUpdate], key=lambda u: u.id or 0):
                self.updates[update.commitment_id].append(update)
        members = {m.id: m for m in found[FamilyMember]}
        links = sorted(found[FamilyLink], key=lambda link: link.id or 0)
        self.links = [(link, members[link.member_id]) for link in links if link.member_id in members]
        if workers:
            practitioners = {p.id: p for p in found[Practitioner]}
            on_case_now = sorted(found[CaseAssignment], key=lambda a: a.id or 0)
            self.workers = [
                (a, practitioners[a.practitioner_id]) for a in on_case_now if a.practitioner_id in practitioners
            ]
        return self


def _versions_param(model: type[PlanItem], place: int) -> str:
    return f"versions_{model.__name__}_{place}"


@cache
def _lists_query(models: tuple[type[PlanItem], ...], workers: bool, places: int) -> AtOnce:
    """The one statement of `PlanReading.load` for these lists (with or without the workers on
    the case), each list's versions bound in `places` places, built once: the version ids and
    the child are its parameters.

    The versions are not one "expanding" parameter (`IN (...)` of a list), which SQLAlchemy
    renders into the statement's text on every run, by a regular expression over all of it: about
    1% of a plan page for this statement, the longest the app runs."""
    child_id: BindParameter[int] = bindparam("child_id")

    def versions_of(model: type[PlanItem]) -> list[BindParameter[int]]:
        return [bindparam(_versions_param(model, n)) for n in range(places)]

    wanted: list[tuple[Any, ColumnElement[bool]]] = [
        (model, col(model.version_id).in_(versions_of(model))) for model in models
    ]
    linked = select(FamilyLink.member_id).where(FamilyLink.child_id == child_id)
    wanted += [(FamilyLink, col(FamilyLink.child_id) == child_id), (FamilyMember, col(FamilyMember.id).in_(linked))]
    if workers:
        live = and_(col(CaseAssignment.child_id) == child_id, col(CaseAssignment.ended_on).is_(None))
        on_case = select(CaseAssignment.practitioner_id).where(live)
        wanted += [(CaseAssignment, live), (Practitioner, col(Practitioner.id).in_(on_case))]
    if CarerCommitment in models:
        # Every update of the commitments read: the page shows each one's progress (a statement less).
        versions = versions_of(CarerCommitment)
        commitments = select(CarerCommitment.id).where(col(CarerCommitment.version_id).in_(versions))
        wanted += [(CommitmentUpdate, col(CommitmentUpdate.commitment_id).in_(commitments))]
    return at_once(wanted)


def read_plan(
    *,
    session: Session,
    actor: Actor,
    child_id: int,
    permission: str,
    also: tuple[str, ...] = (),
    every_version: bool = False,
) -> PlanReading:
    """The child's open plan as `actor` may read it: access decided and audited once (`also`
    names the page's other permissions, app.access.policy.require), then the child, the plan, its
    draft and latest agreed version (or `every_version`) and the live count in one statement."""
    access = policy.require(permission, session=session, actor=actor, child_id=child_id, also=also)
    params = {"child_id": child_id, "channel": plan_channel(child_id)}
    rows = side_by_side_rows(session, _plan_query(every_version), params)
    if not rows:
        raise NotFound()
    child, plan, _version, live, _moved = rows[0]
    mine = [(version, moved) for _child, row_plan, version, _live, moved in rows if row_plan.id == plan.id]
    return PlanReading(
        session=session,
        access=access,
        child=child,
        plan=plan,
        versions=[version for version, _moved in mine],
        live_version=int(live or 0),
        moved_review={version.id or 0: moved for version, moved in mine},
    )


@cache
def _plan_query(every_version: bool) -> SideBySide:
    """`read_plan`'s one statement, built once (its cache key kept): the child and the plan's
    live channel are its parameters. Its rows are read by hand (app.db_reads.side_by_side):
    the ORM's loading of three objects a row, which also decrypted the child's names again on
    every version's row, cost a plan page about 0.8 M instructions more (of some 49 M)."""
    child, plan, version, live = (table_of(model).c for model in (Child, Plan, PlanVersion, LiveChannel))

    def finish(statement: AnySelect) -> AnySelect:
        statement = (
            statement.select_from(table_of(Child))
            .join(table_of(Plan), and_(plan.child_id == child.id, plan.status == PlanStatus.OPEN))
            .join(table_of(PlanVersion), version.plan_id == plan.id)
            .outerjoin(table_of(LiveChannel), live.name == bindparam("channel"))
            .where(child.id == bindparam("child_id"))
            .order_by(plan.id.desc(), version.number.desc())
        )
        if not every_version:
            agreed = table_of(PlanVersion).alias()
            newest_agreed = (
                select(func.max(agreed.c.number))
                .where(agreed.c.plan_id == plan.id, agreed.c.agreed_at.is_not(None))
                .scalar_subquery()
            )
            statement = statement.where(version.agreed_at.is_(None) | (version.number == newest_agreed))
        return statement

    # The family's plan and the practitioner's show the review date as incidents moved it: read
    # here, a statement less for each (a correlated subquery per version row; few versions a plan).
    moved = moved_review_to(version.id).scalar_subquery()
    return side_by_side((Child, Plan, PlanVersion, live.version, moved), finish)
