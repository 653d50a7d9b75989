"""The access policy: every view and API call asks here, by name, before it reads or writes.

Relationship-based and deny by default:
- a person reaches a child only through a live link: a family link, a case assignment, a manager's
  team, or a break-glass grant;
- anything else is "not found", so an unauthorised answer looks exactly like a missing record (R2);
- every decision, allowed or denied, is written to the audit log (R21).

Family members see plan sections per person (R4): the young person sees their whole plan except
people of concern; parents and trusted adults see what the young person shares with them, within
any locks a practitioner sets for safety.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from app.access.actors import Actor
from app.access.models import BreakGlassGrant, SectionShare
from app.audit.operations import record_access
from app.auth.models import AccountKind
from app.errors import NotFound
from app.people.models import CaseAssignment, CaseRole, FamilyLink, FamilyRole, Practitioner, PractitionerRole
from app.timeutil import utcnow


class Section(StrEnum):
    """Parts of a plan that are shown or withheld as a whole."""

    MY_STATEMENTS = "my_statements"  # everyday "I will / I can / I might / I need"
    EMERGENCY = "emergency"  # emergency statements, contacts, where to take me if missing
    SAFE_WORD = "safe_word"
    ACTIONS = "actions"
    CARER_COMMITMENTS = "carer_commitments"
    AGENCY_SAFETY_ACTIONS = "agency_safety_actions"
    SAFE_NETWORK = "safe_network"  # safe and could-be-safe people and places; never people of concern
    PARENTAL_RESPONSIBILITY = "parental_responsibility"
    REVIEW = "review"
    # Not a part of the plan but a right: to add ideas to the draft alongside the young person.
    COWRITE = "cowrite"


# Sections a young person can share with the people in their life (everything they see).
SHAREABLE_SECTIONS: tuple[Section, ...] = tuple(Section)

# Before anyone chooses anything: high-privacy defaults (ICO Children's Code). A parent sees their
# own commitments and when the review is; a trusted adult sees nothing until the young person shares.
FAMILY_DEFAULT_SECTIONS: dict[str, frozenset[Section]] = {
    FamilyRole.YOUNG_PERSON: frozenset(Section) - {Section.COWRITE},
    FamilyRole.PARENT_CARER: frozenset({Section.CARER_COMMITMENTS, Section.REVIEW}),
    FamilyRole.TRUSTED_ADULT: frozenset(),
}


class Relation(StrEnum):
    """How the actor reaches the child."""

    SELF = "self"
    PARENT_CARER = "parent_carer"
    TRUSTED_ADULT = "trusted_adult"
    ALLOCATED_WORKER = "allocated_worker"
    CHAIR = "chair"
    TEAM_MEMBER = "team_member"
    AGENCY_PARTNER = "agency_partner"
    MANAGER = "manager"
    BREAK_GLASS = "break_glass"


FAMILY_RELATIONS = frozenset({Relation.SELF, Relation.PARENT_CARER, Relation.TRUSTED_ADULT})
# Practitioners who see the whole plan (agency partners see only their agency's actions).
WHOLE_PLAN_READERS = frozenset(
    {Relation.ALLOCATED_WORKER, Relation.CHAIR, Relation.TEAM_MEMBER, Relation.MANAGER, Relation.BREAK_GLASS}
)
# Practitioners who may change the plan and invite people. Managers, team members and
# break-glass readers are read-only.
PLAN_EDITORS = frozenset({Relation.ALLOCATED_WORKER, Relation.CHAIR})

# Each permission names the relations that hold it. A name missing here is denied (fails closed).
PERMISSIONS: dict[str, frozenset[Relation]] = {
    "plan.read": FAMILY_RELATIONS | WHOLE_PLAN_READERS,
    "plan.read_full": WHOLE_PLAN_READERS,
    "plan.history": WHOLE_PLAN_READERS,
    "plan.edit": PLAN_EDITORS,
    "plan.agree": PLAN_EDITORS,
    "agency_actions.read_own": frozenset({Relation.AGENCY_PARTNER}),
    "agency_actions.edit_own": frozenset({Relation.AGENCY_PARTNER}) | PLAN_EDITORS,
    "invitation.create": PLAN_EDITORS,
    "sharing.read": frozenset({Relation.SELF}) | WHOLE_PLAN_READERS,
    "sharing.choose": frozenset({Relation.SELF}),
    "sharing.lock": PLAN_EDITORS,
    # Trusted adults hold this only while the young person shares Section.COWRITE with them.
    "statements.cowrite": frozenset({Relation.SELF, Relation.TRUSTED_ADULT}),
    "devices.revoke": frozenset({Relation.SELF, Relation.TRUSTED_ADULT}) | PLAN_EDITORS,
    # Parents and carers mark their own commitments done or comment on them (not part of the plan).
    "commitments.update_own": frozenset({Relation.PARENT_CARER}),
    "devices.add_own": FAMILY_RELATIONS,
    "history.read": frozenset({Relation.SELF}) | WHOLE_PLAN_READERS,
}


# Permissions that a family member other than the young person holds only while a section is shared.
SECTION_GATED_PERMISSIONS: dict[str, Section] = {"statements.cowrite": Section.COWRITE}


@dataclass(frozen=True)
class Access:
    """The outcome of an allowed check: how the actor reaches the child."""

    relation: Relation
    child_id: int
    family_link: FamilyLink | None = None
    practitioner: Practitioner | None = None
    break_glass_grant_id: int | None = None

    @property
    def is_family(self) -> bool:
        return self.relation in FAMILY_RELATIONS


_FAMILY_ROLE_RELATION: dict[str, Relation] = {
    FamilyRole.YOUNG_PERSON: Relation.SELF,
    FamilyRole.PARENT_CARER: Relation.PARENT_CARER,
    FamilyRole.TRUSTED_ADULT: Relation.TRUSTED_ADULT,
}


def _family_relation(session: Session, actor: Actor, child_id: int) -> Access | None:
    link = session.exec(
        select(FamilyLink).where(
            FamilyLink.child_id == child_id,
            FamilyLink.member_id == actor.account_id,
            col(FamilyLink.revoked_at).is_(None),
        )
    ).first()
    if link is None:
        return None
    relation = _FAMILY_ROLE_RELATION.get(link.role)
    if relation is None:
        return None
    return Access(relation=relation, child_id=child_id, family_link=link)


_CASE_ROLE_RELATION: dict[str, Relation] = {
    CaseRole.ALLOCATED_WORKER: Relation.ALLOCATED_WORKER,
    CaseRole.CHAIR: Relation.CHAIR,
    CaseRole.TEAM_MEMBER: Relation.TEAM_MEMBER,
    CaseRole.AGENCY_PARTNER: Relation.AGENCY_PARTNER,
}


def _practitioner_relation(session: Session, actor: Actor, child_id: int) -> Access | None:
    practitioner = session.get(Practitioner, actor.account_id)
    if practitioner is None or not practitioner.active or practitioner.role == PractitionerRole.ADMIN:
        # Admins manage accounts but never read plans.
        return None
    assignment = session.exec(
        select(CaseAssignment).where(
            CaseAssignment.child_id == child_id,
            CaseAssignment.practitioner_id == practitioner.id,
            col(CaseAssignment.ended_on).is_(None),
        )
    ).first()
    if assignment is not None and assignment.case_role in _CASE_ROLE_RELATION:
        return Access(relation=_CASE_ROLE_RELATION[assignment.case_role], child_id=child_id, practitioner=practitioner)
    if (
        practitioner.role == PractitionerRole.MANAGER
        and practitioner.team
        and _team_holds_case(session, practitioner.team, child_id)
    ):
        return Access(relation=Relation.MANAGER, child_id=child_id, practitioner=practitioner)
    grant = session.exec(
        select(BreakGlassGrant).where(
            BreakGlassGrant.child_id == child_id,
            BreakGlassGrant.practitioner_id == practitioner.id,
            col(BreakGlassGrant.ended_at).is_(None),
            col(BreakGlassGrant.expires_at) > utcnow(),
        )
    ).first()
    if grant is not None:
        return Access(
            relation=Relation.BREAK_GLASS, child_id=child_id, practitioner=practitioner, break_glass_grant_id=grant.id
        )
    return None


def _team_holds_case(session: Session, team: str, child_id: int) -> bool:
    """True if someone in `team` is the child's allocated worker (a manager's read-only reach)."""
    row = session.exec(
        select(CaseAssignment.id)
        .join(Practitioner, col(Practitioner.id) == col(CaseAssignment.practitioner_id))
        .where(
            CaseAssignment.child_id == child_id,
            CaseAssignment.case_role == CaseRole.ALLOCATED_WORKER,
            col(CaseAssignment.ended_on).is_(None),
            Practitioner.team == team,
        )
    ).first()
    return row is not None


def relation_to_child(*, session: Session, actor: Actor, child_id: int) -> Access | None:
    """How the actor reaches this child, or None. Does not audit: use `require` in services."""
    if actor.kind == AccountKind.FAMILY:
        return _family_relation(session, actor, child_id)
    if actor.kind == AccountKind.PRACTITIONER:
        return _practitioner_relation(session, actor, child_id)
    return None


def require(permission: str, *, session: Session, actor: Actor, child_id: int) -> Access:
    """The actor's access to this child if it holds `permission`; NotFound otherwise. Audited."""
    access = relation_to_child(session=session, actor=actor, child_id=child_id)
    allowed = access is not None and access.relation in PERMISSIONS.get(permission, frozenset())
    gate = SECTION_GATED_PERMISSIONS.get(permission)
    if allowed and access is not None and gate is not None and access.relation != Relation.SELF:
        allowed = gate in visible_sections(session=session, access=access)
    detail = f"break-glass:{access.break_glass_grant_id}" if access and access.break_glass_grant_id else ""
    record_access(
        session=session, actor=actor, child_id=child_id, permission=permission, allowed=allowed, detail=detail
    )
    if not allowed or access is None:
        raise NotFound()
    return access


def visible_sections(*, session: Session, access: Access) -> frozenset[Section]:
    """The plan sections this person may see, given how they reach the child."""
    if access.relation in WHOLE_PLAN_READERS:
        return frozenset(Section)
    if access.family_link is None:
        return frozenset()
    link = access.family_link
    sections = set(FAMILY_DEFAULT_SECTIONS.get(link.role, frozenset()))
    if link.role == FamilyRole.YOUNG_PERSON:
        return frozenset(sections)
    # A parent always sees their own commitments (the view filters to theirs); sharing decides the rest.
    always = {Section.CARER_COMMITMENTS} if link.role == FamilyRole.PARENT_CARER else set()
    for share in session.exec(
        select(SectionShare).where(SectionShare.child_id == access.child_id, SectionShare.member_id == link.member_id)
    ):
        try:
            section = Section(share.section)
        except ValueError:
            continue
        if share.locked or not share.visible:
            sections.discard(section)
        else:
            sections.add(section)
    return frozenset(sections | always)
