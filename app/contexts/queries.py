"""What the contexts map shows, for someone who may read it (audited):

- peer groups and places of concern (concerns with that subject), with the members their mapping
  meetings listed, their mapping meetings, MACE referrals and (once merged) context conferences;
- persons of concern (concerns with that subject), with their Hub enquiries and MACE referrals;
- places marked unsafe and people marked not safe in the plans (each open plan's draft), grouped
  by name, with the young people whose plans name them.

Young people appear only where the reader may read their whole plan (the policy answers, child by
child, and each one shown is an audited read); others linked to a peer group are only counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.concerns.models import Concern, Subject
from app.contexts.conferences import ConferenceLink, conferences_for
from app.hub.models import HubEnquiry
from app.mace.models import MaceReferral
from app.mapping.models import MappingMeeting, MappingMember
from app.people.models import Child
from app.plans.models import NetworkPerson, Place, Plan, PlanStatus, PlanVersion, Safety

READ = "contexts.read"
# The whole plan names the unsafe places and people: its readers, and only they, see them here.
CHILD_READ = "plan.read_full"


@dataclass
class ContextRow:
    """A peer group or place of concern and what it touches."""

    concern: Concern
    children: list[Child] = field(default_factory=list)
    unseen_children: int = 0  # linked young people the reader may not read: counted, never named
    described: list[str] = field(default_factory=list)  # members not known to the service
    mappings: list[MappingMeeting] = field(default_factory=list)
    referrals: list[MaceReferral] = field(default_factory=list)
    conferences: list[ConferenceLink] = field(default_factory=list)


@dataclass
class PersonRow:
    """A person or people of concern and what was done about them."""

    concern: Concern
    enquiries: list[HubEnquiry] = field(default_factory=list)
    referrals: list[MaceReferral] = field(default_factory=list)


@dataclass(frozen=True)
class Named:
    """A place or person named in plans, and the young people whose plans name them."""

    name: str
    children: list[Child]


@dataclass(frozen=True)
class ContextsMap:
    contexts: list[ContextRow]
    persons: list[PersonRow]
    unsafe_places: list[Named]
    unsafe_people: list[Named]
    may_open_mapping: bool
    may_open_referrals: bool
    may_open_enquiries: bool


def _by_name(children: dict[int, Child], rows: list[tuple[str, int]]) -> list[Named]:
    """Rows of (name, child id) grouped by the name as people write it (case and spaces aside)."""
    groups: dict[str, tuple[str, set[int]]] = {}
    for name, child_id in rows:
        key = " ".join(name.split()).casefold()
        # The first spelling met is the one shown.
        groups.setdefault(key, (" ".join(name.split()), set()))[1].add(child_id)
    named = [Named(name=shown, children=_sorted([children[i] for i in ids])) for shown, ids in groups.values()]
    return sorted(named, key=lambda n: (-len(n.children), n.name.casefold()))


def _sorted(children: list[Child]) -> list[Child]:
    return sorted(children, key=lambda c: (c.first_name.casefold(), c.last_name.casefold()))


def _unsafe_in_plans(
    session: Session, model: type[Place] | type[NetworkPerson], ids: frozenset[int]
) -> list[tuple[str, int]]:
    """(name, child id) of each unsafe place or not-safe person in the drafts of these children's open plans."""
    if not ids:
        return []
    statement = (
        select(model.name, Plan.child_id)
        .join(PlanVersion, col(PlanVersion.id) == col(model.version_id))
        .join(Plan, col(Plan.id) == col(PlanVersion.plan_id))
        .where(
            col(Plan.child_id).in_(ids),
            Plan.status == PlanStatus.OPEN,
            col(PlanVersion.agreed_at).is_(None),
            model.safety == Safety.NOT_SAFE,
        )
    )
    return [(name, child_id) for name, child_id in session.exec(statement).all()]


def _contexts(
    session: Session, readable: frozenset[int], children: dict[int, Child], *, may_open_conferences: bool
) -> list[ContextRow]:
    concerns = session.exec(
        select(Concern).where(Concern.subject == Subject.PEER_GROUP_OR_LOCATION).order_by(col(Concern.id).desc())
    ).all()
    rows = {concern.id or 0: ContextRow(concern=concern) for concern in concerns}
    if not rows:
        return []
    mappings = session.exec(
        select(MappingMeeting).where(col(MappingMeeting.concern_id).in_(rows)).order_by(col(MappingMeeting.id))
    ).all()
    concern_of = {m.id: m.concern_id for m in mappings}
    for mapping in mappings:
        rows[mapping.concern_id].mappings.append(mapping)
    members = (
        session.exec(
            select(MappingMember).where(col(MappingMember.mapping_id).in_(concern_of)).order_by(col(MappingMember.id))
        ).all()
        if concern_of
        else []
    )
    for member in members:
        row = rows[concern_of[member.mapping_id]]
        if member.child_id is None:
            row.described.append(member.description or "")
        elif member.child_id in readable:
            if children[member.child_id] not in row.children:
                row.children.append(children[member.child_id])
        else:
            row.unseen_children += 1
    for referral in session.exec(
        select(MaceReferral).where(col(MaceReferral.concern_id).in_(rows)).order_by(col(MaceReferral.id))
    ).all():
        rows[referral.concern_id].referrals.append(referral)
    for concern_id, links in conferences_for(session, list(rows), may_open=may_open_conferences).items():
        if concern_id in rows:
            rows[concern_id].conferences.extend(links)
    for row in rows.values():
        row.children = _sorted(row.children)
    return list(rows.values())


def _persons(session: Session) -> list[PersonRow]:
    concerns = session.exec(
        select(Concern).where(Concern.subject == Subject.PERSONS_OF_CONCERN).order_by(col(Concern.id).desc())
    ).all()
    rows = {concern.id or 0: PersonRow(concern=concern) for concern in concerns}
    if not rows:
        return []
    for enquiry in session.exec(
        select(HubEnquiry).where(col(HubEnquiry.concern_id).in_(rows)).order_by(col(HubEnquiry.id))
    ).all():
        rows[enquiry.concern_id].enquiries.append(enquiry)
    for referral in session.exec(
        select(MaceReferral).where(col(MaceReferral.concern_id).in_(rows)).order_by(col(MaceReferral.id))
    ).all():
        rows[referral.concern_id].referrals.append(referral)
    return list(rows.values())


def contexts_map(*, session: Session, actor: Actor) -> ContextsMap:
    """The map, for someone who holds contexts.read (audited); NotFound for anyone else."""
    policy.require(READ, session=session, actor=actor)
    readable = policy.children_holding(CHILD_READ, session=session, actor=actor)
    children = {c.id or 0: c for c in session.exec(select(Child).where(col(Child.id).in_(readable))).all()}
    may_open_conferences = policy.holds("conferences.read", session=session, actor=actor)
    contexts = _contexts(session, readable, children, may_open_conferences=may_open_conferences)
    places = _by_name(children, _unsafe_in_plans(session, Place, readable))
    people = _by_name(children, _unsafe_in_plans(session, NetworkPerson, readable))
    shown = {c.id or 0 for row in contexts for c in row.children}
    shown |= {c.id or 0 for named in (*places, *people) for c in named.children}
    for child_id in sorted(shown):
        # Each young person named on the map is a read of their record, audited as one (R21).
        policy.require(CHILD_READ, session=session, actor=actor, child_id=child_id)
    return ContextsMap(
        contexts=contexts,
        persons=_persons(session),
        unsafe_places=places,
        unsafe_people=people,
        may_open_mapping=policy.holds("mapping.convene", session=session, actor=actor),
        may_open_referrals=policy.holds("mace.run", session=session, actor=actor),
        may_open_enquiries=policy.holds("hub.work", session=session, actor=actor),
    )
