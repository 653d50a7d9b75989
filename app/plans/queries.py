"""Reading plans: one function per view, each asking the access policy first.

The family side gets a `PlanView` holding only the sections that person may see; withheld
sections are never loaded into it, so a template cannot leak them by mistake (SECURITY.md R4).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from sqlmodel import Session, col, select

from app.access import policy
from app.access.actors import Actor
from app.access.policy import Section
from app.auth.models import AccountKind
from app.errors import NotFound
from app.people.models import Child, FamilyLink, FamilyMember, FamilyRole
from app.plans.models import (
    AgencyAction,
    AgencyActionKind,
    CarerCommitment,
    ChildStatement,
    CommitmentUpdate,
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
from app.plans.operations import open_plan_for_child

Item = TypeVar("Item", bound=PlanItem)
Row = TypeVar("Row", Place, EmergencyContact)


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
    # How the viewer reaches the child (access.policy.Relation), and whether they may change the plan.
    relation: str = ""
    can_edit: bool = False
    # Carers' progress on the commitments shown, by the shown commitment's id (see commitment_progress).
    progress: dict[int, CommitmentProgress] = field(default_factory=dict)
    # Everyone in the family ever linked to the child, by member id, to name who added a row
    # (written_by_member_id). Filled for practitioners only: the family side says "whose words" itself.
    family_authors: dict[int, FamilyAuthor] = field(default_factory=dict)

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


def _items(session: Session, model: type[Item], version_id: int) -> list[Item]:
    return list(session.exec(select(model).where(model.version_id == version_id).order_by(col(model.position))).all())


def _group_statements(rows: list[ChildStatement]) -> dict[str, dict[str, list[ChildStatement]]]:
    grouped: dict[str, dict[str, list[ChildStatement]]] = {
        moment: {kind: [] for kind in StatementKind} for moment in Moment
    }
    for row in rows:
        grouped.setdefault(row.moment, {}).setdefault(row.kind, []).append(row)
    return grouped


def _build(
    session: Session,
    child: Child,
    plan: Plan,
    version: PlanVersion,
    sections: frozenset[Section],
    *,
    full: bool,
    carer_member_id: int | None = None,
) -> PlanView:
    view = PlanView(child=child, plan=plan, version=version, sections=sections)
    vid = version.id or 0
    if Section.ACTIONS in sections:
        view.actions = _items(session, PlanAction, vid)
    statements = _items(session, ChildStatement, vid)
    if Section.MY_STATEMENTS not in sections:
        statements = []
    elif Section.EMERGENCY not in sections:
        statements = [s for s in statements if s.moment != Moment.EMERGENCY]
    view.statements = _group_statements(statements)
    if Section.EMERGENCY in sections:
        view.contacts = _items(session, EmergencyContact, vid)
        view.if_missing_take_to = version.if_missing_take_to
    if Section.SAFE_WORD in sections:
        view.safe_word = version.safe_word
    if Section.PARENTAL_RESPONSIBILITY in sections:
        view.parental_responsibility = _items(session, ParentalResponsibility, vid)
    if Section.CARER_COMMITMENTS in sections:
        commitments = _items(session, CarerCommitment, vid)
        if carer_member_id is not None:
            commitments = [c for c in commitments if c.member_id == carer_member_id]
        view.carer_commitments = commitments
    agency = _items(session, AgencyAction, vid) if Section.AGENCY_SAFETY_ACTIONS in sections else []
    view.agency_safety_actions = [a for a in agency if a.kind == AgencyActionKind.INCREASE_SAFETY]
    if full:
        # Disruption work can include live investigations: practitioners only.
        view.agency_disrupt_actions = [a for a in agency if a.kind == AgencyActionKind.PREVENT_DISRUPT]
        view.network = _items(session, NetworkPerson, vid)
        view.places = _items(session, Place, vid)
    elif Section.SAFE_NETWORK in sections:
        # People of concern and unsafe places never leave the practitioner side (R4).
        view.network = [p for p in _items(session, NetworkPerson, vid) if p.safety != Safety.NOT_SAFE]
        view.places = [p for p in _items(session, Place, vid) if p.safety != Safety.NOT_SAFE]
    return view


def _child_and_plan(session: Session, child_id: int) -> tuple[Child, Plan]:
    child = session.get(Child, child_id)
    plan = open_plan_for_child(session=session, child_id=child_id)
    if child is None or plan is None:
        raise NotFound()
    return child, plan


def latest_agreed(*, session: Session, plan_id: int) -> PlanVersion | None:
    return session.exec(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan_id, col(PlanVersion.agreed_at).is_not(None))
        .order_by(col(PlanVersion.number).desc())
    ).first()


def draft_version(*, session: Session, plan_id: int) -> PlanVersion | None:
    return session.exec(
        select(PlanVersion).where(PlanVersion.plan_id == plan_id, col(PlanVersion.agreed_at).is_(None))
    ).first()


def family_plan(*, session: Session, actor: Actor, child_id: int) -> PlanView:
    """The plan a family member sees: the latest agreed version (or the draft before any is agreed)."""
    access = policy.require("plan.read", session=session, actor=actor, child_id=child_id)
    if access.family_link is None:
        raise NotFound()
    sections = policy.visible_sections(session=session, access=access)
    child, plan = _child_and_plan(session, child_id)
    version = latest_agreed(session=session, plan_id=plan.id or 0) or draft_version(
        session=session, plan_id=plan.id or 0
    )
    if version is None:
        raise NotFound()
    carer = actor.account_id if access.relation == policy.Relation.PARENT_CARER else None
    view = _build(session, child, plan, version, sections, full=False, carer_member_id=carer)
    view.progress = commitment_progress(session=session, view=view)
    return view


def practitioner_plan(*, session: Session, actor: Actor, child_id: int, version_number: int | None = None) -> PlanView:
    """The whole plan for a practitioner on the case: the draft, or a chosen version."""
    access = policy.require("plan.read_full", session=session, actor=actor, child_id=child_id)
    child, plan = _child_and_plan(session, child_id)
    if version_number is None:
        version = draft_version(session=session, plan_id=plan.id or 0)
    else:
        version = session.exec(
            select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == version_number)
        ).first()
    if version is None:
        raise NotFound()
    view = _build(session, child, plan, version, frozenset(Section), full=True)
    view.relation = access.relation
    view.can_edit = access.relation in policy.PLAN_EDITORS
    view.progress = commitment_progress(session=session, view=view)
    view.family_authors = {
        link.member_id: FamilyAuthor(name=_author_name(child, link, member), role=link.role)
        for link, member in _family_links(session, child)
    }
    return view


def version_history(*, session: Session, actor: Actor, child_id: int) -> list[PlanVersion]:
    """Every version of the child's open plan, newest first."""
    policy.require("plan.history", session=session, actor=actor, child_id=child_id)
    _child, plan = _child_and_plan(session, child_id)
    return list(
        session.exec(
            select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(col(PlanVersion.number).desc())
        ).all()
    )


def children_of_family_member(*, session: Session, actor: Actor) -> list[tuple[Child, FamilyLink]]:
    """The children this family member is linked to (usually one)."""
    rows = session.exec(
        select(Child, FamilyLink)
        .join(FamilyLink, col(FamilyLink.child_id) == col(Child.id))
        .where(FamilyLink.member_id == actor.account_id, col(FamilyLink.revoked_at).is_(None))
    ).all()
    return [(child, link) for child, link in rows]


# --- What the meeting agreed, and the new ideas since ---------------------------------------------


class Whose(StrEnum):
    """Whose words a statement is, from the reader's point of view."""

    MINE = "mine"
    YOUNG_PERSON = "young_person"  # the young person's, read by someone else
    FAMILY = "family"  # a trusted adult's (or other family member's)
    MEETING = "meeting"  # written up by a practitioner, from the meeting


@dataclass(frozen=True)
class Idea:
    """A statement in the draft (or taken out of it), and whose words it is."""

    statement: ChildStatement
    whose: Whose
    author: str = ""  # a name for YOUNG_PERSON and FAMILY ("Jordan", "Aunt Dee")
    can_change: bool = False


@dataclass(frozen=True)
class FamilyAddition:
    """A safe place or person to call that a family member added to the draft, and whose it is."""

    item: Place | EmergencyContact
    whose: Whose
    author: str = ""
    can_change: bool = False


@dataclass
class NewIdeas:
    """The draft compared with the latest agreed version, as one family member may see it."""

    child: Child
    draft: PlanVersion
    agreed: PlanVersion | None
    viewer_id: int
    can_write: bool
    ideas: list[Idea] = field(default_factory=list)  # in the draft, not in the agreed version
    taken_out: list[Idea] = field(default_factory=list)  # in the agreed version, not in the draft
    authors: dict[int, tuple[Whose, str]] = field(default_factory=dict)
    young_person_name: str = ""
    # Safe places and people to call added by family since the agreed version (never a not-safe place).
    places: list[FamilyAddition] = field(default_factory=list)
    contacts: list[FamilyAddition] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.ideas or self.places or self.contacts)

    def whose(self, statement: ChildStatement) -> tuple[str, str]:
        """(Whose, name) for any statement the page shows, agreed ones included."""
        return _whose(statement, self.viewer_id, self.authors, self.young_person_name)

    def grouped(self) -> list[tuple[str, str, list[Idea]]]:
        """Ideas by moment (emergency first, as the plan page is) and starter, in plan order."""
        groups: list[tuple[str, str, list[Idea]]] = []
        for moment in (Moment.EMERGENCY, Moment.EVERYDAY):
            for kind in StatementKind:
                items = [i for i in self.ideas if i.statement.moment == moment and i.statement.kind == kind]
                if items:
                    groups.append((moment.value, kind.value, items))
        return groups

    @property
    def idea_ids(self) -> frozenset[int]:
        return frozenset(i.statement.id for i in self.ideas if i.statement.id is not None)

    def find(self, statement_id: int) -> Idea | None:
        return next((i for i in self.ideas if i.statement.id == statement_id), None)


def _whose(
    statement: ChildStatement, viewer_id: int, authors: dict[int, tuple[Whose, str]], young_person_name: str
) -> tuple[str, str]:
    author_id = statement.written_by_member_id
    if author_id is not None and author_id == viewer_id:
        return Whose.MINE, ""
    if author_id is not None and author_id in authors:
        return authors[author_id]
    if statement.own_words:
        # The young person's words, written down for them at the meeting.
        is_young_person = authors.get(viewer_id, (None, ""))[0] == Whose.YOUNG_PERSON
        return (Whose.MINE, "") if is_young_person else (Whose.YOUNG_PERSON, young_person_name)
    return Whose.MEETING, ""


def _statement_key(statement: ChildStatement) -> tuple[str, str, str]:
    return (statement.moment, statement.kind, statement.text)


def _holds(permission: str, access: policy.Access, sections: frozenset[Section]) -> bool:
    """Whether `access` holds a permission, without auditing: for showing or hiding controls only.

    The writes themselves check again through `policy.require`.
    """
    if access.relation not in policy.PERMISSIONS.get(permission, frozenset()):
        return False
    gate = policy.SECTION_GATED_PERMISSIONS.get(permission)
    return gate is None or access.relation == policy.Relation.SELF or gate in sections


def _family_links(session: Session, child: Child) -> list[tuple[FamilyLink, FamilyMember]]:
    """Every family member linked to the child (past links too: their words stay theirs)."""
    rows = session.exec(
        select(FamilyLink, FamilyMember)
        .join(FamilyMember, col(FamilyMember.id) == col(FamilyLink.member_id))
        .where(FamilyLink.child_id == child.id)
        .order_by(col(FamilyLink.id))
    ).all()
    return [(link, member) for link, member in rows]


def _author_name(child: Child, link: FamilyLink, member: FamilyMember) -> str:
    """The young person by their preferred name; anyone else as the young person describes them."""
    if link.role == FamilyRole.YOUNG_PERSON:
        return child.preferred_name
    return link.relationship or member.display_name


def _family_authors(session: Session, child: Child) -> dict[int, tuple[Whose, str]]:
    """Whose words, by family member id, for everyone linked to the child."""
    return {
        link.member_id: (
            Whose.YOUNG_PERSON if link.role == FamilyRole.YOUNG_PERSON else Whose.FAMILY,
            _author_name(child, link, member),
        )
        for link, member in _family_links(session, child)
    }


def new_ideas_since_agreed(*, session: Session, actor: Actor, child_id: int) -> NewIdeas:
    """The statements added to the draft since the latest agreed version, and those taken out.

    A draft starts as a copy of the agreed version, so a draft statement whose words (moment,
    starter and text) match an agreed one is that one; anything left over is new, or was changed.
    Someone other than the young person sees only their own words and the sections shared with them.
    """
    access = policy.require("plan.read", session=session, actor=actor, child_id=child_id)
    if access.family_link is None:
        raise NotFound()
    sections = policy.visible_sections(session=session, access=access)
    child, plan = _child_and_plan(session, child_id)
    draft = draft_version(session=session, plan_id=plan.id or 0)
    if draft is None:
        raise NotFound()
    agreed = latest_agreed(session=session, plan_id=plan.id or 0)
    draft_rows = _items(session, ChildStatement, draft.id or 0)
    agreed_rows = _items(session, ChildStatement, agreed.id or 0) if agreed is not None else []

    remaining = Counter(_statement_key(s) for s in agreed_rows)
    new_rows: list[ChildStatement] = []
    for row in draft_rows:
        key = _statement_key(row)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new_rows.append(row)
    taken_out_rows: list[ChildStatement] = []
    for row in agreed_rows:
        key = _statement_key(row)
        if remaining[key] > 0:
            remaining[key] -= 1
            taken_out_rows.append(row)

    def visible(row: ChildStatement) -> bool:
        if row.written_by_member_id is not None and row.written_by_member_id == actor.account_id:
            return True
        if Section.MY_STATEMENTS not in sections:
            return False
        return row.moment != Moment.EMERGENCY or Section.EMERGENCY in sections

    authors = _family_authors(session, child)
    can_write = _holds("statements.cowrite", access, sections)
    result = NewIdeas(
        child=child,
        draft=draft,
        agreed=agreed,
        viewer_id=actor.account_id,
        can_write=can_write,
        authors=authors,
        young_person_name=child.preferred_name,
    )

    def idea(row: ChildStatement, *, changeable: bool) -> Idea:
        whose, author = result.whose(row)
        mine = row.written_by_member_id is not None and row.written_by_member_id == actor.account_id
        return Idea(statement=row, whose=Whose(whose), author=author, can_change=changeable and can_write and mine)

    result.ideas = [idea(row, changeable=True) for row in new_rows if visible(row)]
    result.taken_out = [idea(row, changeable=False) for row in taken_out_rows if visible(row)]
    self_view = access.relation == policy.Relation.SELF
    agreed_id = agreed.id or 0 if agreed is not None else None
    places = [
        p for p in _family_added(session, Place, draft.id or 0, agreed_id, _place_key) if p.safety != Safety.NOT_SAFE
    ]
    contacts = _family_added(session, EmergencyContact, draft.id or 0, agreed_id, _contact_key)

    def addition(row: Place | EmergencyContact) -> FamilyAddition:
        author_id = row.written_by_member_id
        mine = author_id is not None and author_id == actor.account_id
        whose, author = (Whose.MINE, "") if mine else authors.get(author_id or 0, (Whose.FAMILY, ""))
        return FamilyAddition(item=row, whose=whose, author=author, can_change=mine and can_write)

    def shown(row: Place | EmergencyContact, section: Section) -> bool:
        return row.written_by_member_id == actor.account_id or self_view or section in sections

    result.places = [addition(p) for p in places if shown(p, Section.SAFE_NETWORK)]
    result.contacts = [addition(c) for c in contacts if shown(c, Section.EMERGENCY)]
    return result


def _place_key(place: Place) -> tuple[str, ...]:
    return (place.name, place.notes or "", place.safety)


def _contact_key(contact: EmergencyContact) -> tuple[str, ...]:
    return (contact.name, contact.phone, contact.relationship)


def _family_added(
    session: Session,
    model: type[Row],
    draft_id: int,
    agreed_id: int | None,
    key: Callable[[Row], tuple[str, ...]],
) -> list[Row]:
    """Rows of the draft a family member added that the agreed version does not have (matched by content)."""
    agreed_rows = _items(session, model, agreed_id) if agreed_id is not None else []
    remaining = Counter(key(row) for row in agreed_rows)
    added: list[Row] = []
    for row in _items(session, model, draft_id):
        k = key(row)
        if remaining[k] > 0:
            remaining[k] -= 1
        elif row.written_by_member_id is not None:
            added.append(row)
    return added


# --- What's new: one agreed version compared with a later one, in the reader's sections ----------


@dataclass(frozen=True)
class ListChange:
    """How one list of statements ("Every day: I can…") changed: how many added and taken out."""

    moment: str
    kind: str
    added: int
    removed: int


@dataclass
class WhatsNew:
    """What changed between the agreed version someone last saw and the latest one.

    Only sections the reader may see are compared, so the summary cannot hint at anything else.
    The safe word is a yes/no ("it changed"): neither word is ever put in the summary.
    """

    since: PlanVersion
    now: PlanVersion
    lists: list[ListChange] = field(default_factory=list)
    # Statements of `now` that are new, so the page can mark them where they stand in the plan.
    new_statement_ids: frozenset[int] = frozenset()
    contacts_added: int = 0
    contacts_removed: int = 0
    contacts_new_number: int = 0
    review_date_moved: bool = False
    safe_word_changed: bool = False
    take_to_changed: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.lists
            or self.contacts_added
            or self.contacts_removed
            or self.contacts_new_number
            or self.review_date_moved
            or self.safe_word_changed
            or self.take_to_changed
        )


def _visible_statements(rows: list[ChildStatement], sections: frozenset[Section]) -> list[ChildStatement]:
    if Section.MY_STATEMENTS not in sections:
        return []
    return [s for s in rows if s.moment != Moment.EMERGENCY or Section.EMERGENCY in sections]


def changes_between(
    *, session: Session, since: PlanVersion, now: PlanVersion, sections: frozenset[Section]
) -> WhatsNew:
    """Compare two agreed versions of one plan, section by section, as `sections` allows.

    Statements are matched by their words (moment, starter and text), as in `new_ideas_since_agreed`:
    a changed sentence counts as one taken out and one added. Contacts are matched by name, so a
    new number for the same person reads as "a new number", not as someone new.
    Callers check access first; this only reads the two versions it is given.
    """
    result = WhatsNew(since=since, now=now)
    old_rows = _visible_statements(_items(session, ChildStatement, since.id or 0), sections)
    new_rows = _visible_statements(_items(session, ChildStatement, now.id or 0), sections)
    remaining = Counter(_statement_key(s) for s in old_rows)
    added: list[ChildStatement] = []
    for row in new_rows:
        key = _statement_key(row)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            added.append(row)
    result.new_statement_ids = frozenset(s.id for s in added if s.id is not None)
    for moment in (Moment.EMERGENCY, Moment.EVERYDAY):
        for kind in StatementKind:
            n_added = sum(1 for s in added if s.moment == moment and s.kind == kind)
            n_removed = sum(n for (m, k, _text), n in remaining.items() if m == moment and k == kind)
            if n_added or n_removed:
                result.lists.append(ListChange(moment=moment.value, kind=kind.value, added=n_added, removed=n_removed))
    if Section.EMERGENCY in sections:
        old_contacts = {c.name.strip().casefold(): c.phone for c in _items(session, EmergencyContact, since.id or 0)}
        new_contacts = {c.name.strip().casefold(): c.phone for c in _items(session, EmergencyContact, now.id or 0)}
        result.contacts_added = len(new_contacts.keys() - old_contacts.keys())
        result.contacts_removed = len(old_contacts.keys() - new_contacts.keys())
        result.contacts_new_number = sum(
            1 for name in new_contacts.keys() & old_contacts.keys() if new_contacts[name] != old_contacts[name]
        )
        result.take_to_changed = (since.if_missing_take_to or "") != (now.if_missing_take_to or "")
    if Section.SAFE_WORD in sections:
        result.safe_word_changed = (since.safe_word or "") != (now.safe_word or "")
    if Section.REVIEW in sections:
        result.review_date_moved = since.review_date != now.review_date and now.review_date is not None
    return result


# --- Carers' progress on their commitments (written by app.plans.commitments) ---------------------


@dataclass(frozen=True)
class CommitmentProgress:
    """Where one commitment stands now: the latest of its append-only updates."""

    done: bool
    # When it was marked done (the start of the latest run of "done" updates); None while not done.
    done_since: datetime | None
    comment: str | None
    # The latest update's id: a comment form states it, so two phones cannot silently overwrite (R24).
    latest_update_id: int


def commitment_histories(*, session: Session, commitment_ids: list[int]) -> dict[int, list[CommitmentUpdate]]:
    """Every update of each commitment, oldest first."""
    histories: dict[int, list[CommitmentUpdate]] = {cid: [] for cid in commitment_ids}
    if not commitment_ids:
        return histories
    rows = session.exec(
        select(CommitmentUpdate)
        .where(col(CommitmentUpdate.commitment_id).in_(commitment_ids))
        .order_by(col(CommitmentUpdate.id))
    ).all()
    for row in rows:
        histories[row.commitment_id].append(row)
    return histories


def progress_of(history: list[CommitmentUpdate]) -> CommitmentProgress | None:
    """The status a history adds up to (the latest row wins), or None with no updates."""
    if not history:
        return None
    latest = history[-1]
    done_since = None
    if latest.done:
        for row in reversed(history):
            if not row.done:
                break
            done_since = row.at
    return CommitmentProgress(
        done=latest.done, done_since=done_since, comment=latest.comment, latest_update_id=latest.id or 0
    )


def _commitment_key(c: CarerCommitment) -> tuple[int | None, str, str, str]:
    return (c.member_id, c.kind, c.commitment, c.by_when)


def commitment_progress(*, session: Session, view: PlanView) -> dict[int, CommitmentProgress]:
    """Progress for each commitment `view` shows, keyed by its id.

    Carers update the commitments of the version the family sees (the latest agreed one). A draft
    holds copies of them with new ids, so a draft's commitment takes the progress of its agreed
    twin (same carer, starter, words and date) when it has one.
    """
    shown = [c for c in view.carer_commitments if c.id is not None]
    source: dict[int, int] = {c.id or 0: c.id or 0 for c in shown}
    if not view.is_agreed:
        agreed = latest_agreed(session=session, plan_id=view.plan.id or 0)
        if agreed is not None:
            twins: dict[tuple[int | None, str, str, str], list[int]] = {}
            for c in _items(session, CarerCommitment, agreed.id or 0):
                twins.setdefault(_commitment_key(c), []).append(c.id or 0)
            for c in shown:
                matches = twins.get(_commitment_key(c))
                if matches:
                    source[c.id or 0] = matches.pop(0)
    histories = commitment_histories(session=session, commitment_ids=sorted(set(source.values())))
    result: dict[int, CommitmentProgress] = {}
    for shown_id, source_id in source.items():
        progress = progress_of(histories.get(source_id, []))
        if progress is not None:
            result[shown_id] = progress
    return result
