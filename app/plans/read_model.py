"""Reading a plan: a `PlanView` holds one version as one person may see it.

The family side gets only the sections that person may see; withheld sections are never loaded
into the view, so a template cannot leak them by mistake (SECURITY.md R4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.auth.models import AccountKind
from app.errors import NotFound
from app.people.models import Child, FamilyLink, FamilyMember, FamilyRole
from app.plans.models import (
    AgencyAction,
    AgencyActionKind,
    CarerCommitment,
    ChildStatement,
    EmergencyContact,
    Moment,
    NetworkPerson,
    ParentalResponsibility,
    Place,
    Plan,
    PlanAction,
    PlanItem,
    PlanVersion,
    Safety,
    StatementKind,
)
from app.plans.reading import LIST_MODELS, PROGRESS_LISTS, PlanReading, read_plan
from app.plans.sections import ALL_SECTIONS, Section

Item = TypeVar("Item", bound=PlanItem)


@dataclass(frozen=True)
class FamilyAuthor:
    """A family member as the practitioner's plan names them beside what they added."""

    name: str  # the young person's preferred name, or how they describe the adult ("Aunt Dee")
    role: str  # FamilyRole; "" for a writer the child's family links do not name


@dataclass
class PlanView:
    """A plan version as one person may see it. Lists for withheld sections stay empty."""

    child: Child
    plan: Plan
    version: PlanVersion
    sections: frozenset[Section]
    access: policy.Access
    actions: list[PlanAction] = field(default_factory=list)
    statements: dict[str, dict[str, list[ChildStatement]]] = field(default_factory=dict)
    contacts: list[EmergencyContact] = field(default_factory=list)
    safe_word: str | None = None
    if_missing_take_to: str | None = None
    parental_responsibility: list[ParentalResponsibility] = field(default_factory=list)
    carer_commitments: list[CarerCommitment] = field(default_factory=list)
    agency_safety_actions: list[AgencyAction] = field(default_factory=list)
    agency_disrupt_actions: list[AgencyAction] = field(default_factory=list)
    network: list[NetworkPerson] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    # Carers' progress on the commitments shown, by the shown commitment's id (app.commitments.queries).
    progress: dict[int, object] = field(default_factory=dict)
    # Everyone in the family ever linked to the child, by member id, to name who added a row
    # (written_by_member_id). Filled for practitioners only: the family side says "whose words" itself.
    family_authors: dict[int, FamilyAuthor] = field(default_factory=dict)
    # The review date as it stands: the version's own, or the sooner date an incident brought an
    # agreed version's review forward to (set by the family's plan page: app.incidents.queries.review_on).
    review_date: date | None = None

    @property
    def relation(self) -> str:
        """How the viewer reaches the child (access.policy.Relation)."""
        return self.access.relation

    @property
    def can_edit(self) -> bool:
        return self.access.holds("plan.edit")

    @property
    def is_agreed(self) -> bool:
        return self.version.agreed_at is not None

    def shows(self, section: Section) -> bool:
        return section in self.sections

    def added_by(self, item: ChildStatement | EmergencyContact | Place) -> FamilyAuthor | None:
        """The family member who added this statement, place or contact; None for the meeting's."""
        member_id = item.written_by_member_id
        # A worker may write the young person's own words into the plan at the meeting, naming him
        # as their writer (the demo does): those say "their own words", not that he added them.
        # Only a row the writer put in the plan themselves (co-writing) counts; copies into later
        # versions keep `created_by`, so the badge stays on agreed versions too.
        if member_id is None or item.created_by != Actor(kind=AccountKind.FAMILY, account_id=member_id).label:
            return None
        # A writer the child's family links do not name still reads as family, never as the meeting's.
        return self.family_authors.get(member_id, FamilyAuthor(name="", role=""))


def items_of(session: Session, model: type[Item], version_id: int | None) -> list[Item]:
    """The rows of one list of a version, in plan order (none for no version)."""
    if version_id is None:
        return []
    return list(session.exec(select(model).where(model.version_id == version_id).order_by(col(model.position))).all())


def _group_statements(rows: list[ChildStatement]) -> dict[str, dict[str, list[ChildStatement]]]:
    grouped: dict[str, dict[str, list[ChildStatement]]] = {
        moment: {kind: [] for kind in StatementKind} for moment in Moment
    }
    for row in rows:
        grouped.setdefault(row.moment, {}).setdefault(row.kind, []).append(row)
    return grouped


def visible_statements(rows: list[ChildStatement], sections: frozenset[Section]) -> list[ChildStatement]:
    """The statements `sections` allow: everyday ones with MY_STATEMENTS, emergency ones with EMERGENCY too."""
    if Section.MY_STATEMENTS not in sections:
        return []
    return [s for s in rows if s.moment != Moment.EMERGENCY or Section.EMERGENCY in sections]


def _build(reading: PlanReading, version: PlanVersion, sections: frozenset[Section]) -> PlanView:
    access = reading.access
    view = PlanView(
        child=reading.child,
        plan=reading.plan,
        version=version,
        sections=sections,
        access=access,
        review_date=version.review_date,
    )
    vid = version.id

    def items(model: type[Item]) -> list[Item]:
        return reading.items(model, vid)

    full = access.holds("plan.read_full")
    if Section.ACTIONS in sections:
        view.actions = items(PlanAction)
    view.statements = _group_statements(visible_statements(items(ChildStatement), sections))
    if Section.EMERGENCY in sections:
        view.contacts = items(EmergencyContact)
        view.if_missing_take_to = version.if_missing_take_to
    if Section.SAFE_WORD in sections:
        view.safe_word = version.safe_word
    if Section.PARENTAL_RESPONSIBILITY in sections:
        view.parental_responsibility = items(ParentalResponsibility)
    if Section.CARER_COMMITMENTS in sections:
        commitments = items(CarerCommitment)
        if not full and access.holds("commitments.update_own"):
            # A parent or carer sees their own commitments, not anyone else's.
            commitments = [c for c in commitments if c.member_id == access.account_id]
        view.carer_commitments = commitments
    agency = items(AgencyAction) if Section.AGENCY_SAFETY_ACTIONS in sections else []
    view.agency_safety_actions = [a for a in agency if a.kind == AgencyActionKind.INCREASE_SAFETY]
    if full:
        # Disruption work can include live investigations: practitioners only.
        view.agency_disrupt_actions = [a for a in agency if a.kind == AgencyActionKind.PREVENT_DISRUPT]
        view.network = items(NetworkPerson)
        view.places = items(Place)
    elif Section.SAFE_NETWORK in sections:
        # People of concern and unsafe places never leave the practitioner side (R4).
        view.network = [p for p in items(NetworkPerson) if p.safety != Safety.NOT_SAFE]
        view.places = [p for p in items(Place) if p.safety != Safety.NOT_SAFE]
    return view


def family_plan(*, session: Session, actor: Actor, child_id: int) -> PlanView:
    """The plan a family member sees: the latest agreed version (or the draft before any is agreed)."""
    reading = read_plan(session=session, actor=actor, child_id=child_id, permission="plan.read")
    return family_view(reading.load([(reading.family_version.id, family_lists(reading.access))]))


# The lists each section shows (what `_build` reads for it).
SECTION_LISTS: dict[Section, tuple[type[PlanItem], ...]] = {
    Section.ACTIONS: (PlanAction,),
    Section.MY_STATEMENTS: (ChildStatement,),
    Section.EMERGENCY: (EmergencyContact,),
    Section.PARENTAL_RESPONSIBILITY: (ParentalResponsibility,),
    Section.CARER_COMMITMENTS: (CarerCommitment,),
    Section.AGENCY_SAFETY_ACTIONS: (AgencyAction,),
    Section.SAFE_NETWORK: (NetworkPerson, Place),
}


def family_lists(access: policy.Access) -> tuple[type[PlanItem], ...]:
    """The lists a family member's view of a version reads: those of the sections they may see."""
    return tuple({model for section in access.sections for model in SECTION_LISTS.get(section, ())})


def family_view(reading: PlanReading) -> PlanView:
    """The family's view of a plan read in this request (`read_plan` with "plan.read")."""
    if not reading.access.is_family:
        raise NotFound()
    return _build(reading, reading.family_version, reading.access.sections)


def practitioner_plan(*, session: Session, actor: Actor, child_id: int, version_number: int | None = None) -> PlanView:
    """The whole plan for a practitioner on the case: the draft, or a chosen version."""
    reading = read_plan(
        session=session, actor=actor, child_id=child_id, permission="plan.read_full", every_version=True
    )
    version = shown_version(reading, version_number)
    # The agreed version's commitments too: a draft's commitment shows its agreed twin's progress.
    reading.load([(version.id, LIST_MODELS), (reading.agreed.id if reading.agreed else None, PROGRESS_LISTS)])
    return practitioner_view(reading, version_number)


def shown_version(reading: PlanReading, version_number: int | None) -> PlanVersion:
    """The version a practitioner's page shows: the draft, or the one numbered."""
    return reading.draft if version_number is None else reading.numbered(version_number)


def practitioner_view(reading: PlanReading, version_number: int | None = None) -> PlanView:
    """The whole plan (the draft, or version `version_number`) from a reading with "plan.read_full"."""
    version = shown_version(reading, version_number)
    child = reading.child
    view = _build(reading, version, ALL_SECTIONS)
    view.family_authors = {
        link.member_id: FamilyAuthor(name=author_name(child, link, member), role=link.role)
        for link, member in reading.links
    }
    return view


def family_links(session: Session, child: Child) -> list[tuple[FamilyLink, FamilyMember]]:
    """Every family member linked to the child (past links too: their words stay theirs)."""
    rows = session.exec(
        select(FamilyLink, FamilyMember)
        .join(FamilyMember, col(FamilyMember.id) == col(FamilyLink.member_id))
        .where(FamilyLink.child_id == child.id)
        .order_by(col(FamilyLink.id))
    ).all()
    return [(link, member) for link, member in rows]


def author_name(child: Child, link: FamilyLink, member: FamilyMember) -> str:
    """The young person by their preferred name; anyone else as the young person describes them."""
    if link.role == FamilyRole.YOUNG_PERSON:
        return child.preferred_name
    return link.relationship or member.display_name
