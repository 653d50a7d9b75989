"""The access policy: every view and API call asks here, by name, before it reads or writes.

Relationship-based and deny by default:
- a person reaches a child only through a live link: a family link, a case assignment, a manager's
  team, or a break-glass grant;
- anything else is "not found", so an unauthorised answer looks exactly like a missing record (R2);
- every decision, allowed or denied, is written to the audit log (R21).

Family members see plan sections per person (R4): the young person sees their whole plan except
people of concern; parents and trusted adults see what the young person shares with them, within
any locks a practitioner sets for safety.

A permission is asked about a resource: one child's record, or a context (a peer group, school
or place, for context conferences), or, for account-wide permissions such as managing accounts,
about nothing but the person. `require` answers with the person's `Access` or "not found", and is
audited; `holds` is the same question without the audit, for showing or hiding controls. Nothing
outside this package compares role or relation names. Which relation holds which permission is
the table in permissions.py; how a person relates to a child, and the decision, are here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.access.models import BreakGlassGrant, SectionShare
from app.access.permissions import (
    ACCOUNT_PERMISSIONS,
    AGENCY_PERMISSIONS,
    FACILITATING_ROLES,
    FAMILY_DEFAULT_SECTIONS,
    FAMILY_RELATIONS,
    PERMISSIONS,
    SECTION_GATED_PERMISSIONS,
    SHAREABLE_SECTIONS,
    TRUSTED_ADULT_MAY_FACILITATE,
    WHOLE_PLAN_READERS,
    Relation,
)
from app.actors import Actor
from app.audit.operations import record_access
from app.auth.models import AccountKind
from app.db_reads import SideBySide, side_by_side, side_by_side_first, table_of
from app.errors import NotFound
from app.people.models import CaseAssignment, CaseRole, FamilyLink, FamilyRole, Practitioner, PractitionerRole
from app.plans.sections import Section
from app.timeutil import utcnow


class ResourceKind(StrEnum):
    CHILD = "child"
    CONTEXT = "context"  # a peer group, school or place (context conferences)


@dataclass(frozen=True)
class Resource:
    """What a permission is asked about: one child's record or one context; None for the account."""

    kind: ResourceKind
    id: int


def _resource(child_id: int | None, context_id: int | None) -> Resource | None:
    if child_id is not None and context_id is not None:
        raise TypeError("ask about a child or a context, not both")
    if child_id is not None:
        return Resource(ResourceKind.CHILD, child_id)
    if context_id is not None:
        return Resource(ResourceKind.CONTEXT, context_id)
    return None


@dataclass(frozen=True)
class Access:
    """The outcome of an allowed check: how the actor reaches the child, and what they may see."""

    relation: Relation
    child_id: int
    family_link: FamilyLink | None = None
    practitioner: Practitioner | None = None
    break_glass_grant_id: int | None = None
    # The sections this person may see (family members: per their sharing; practitioners: all).
    sections: frozenset[Section] = frozenset()

    @property
    def is_family(self) -> bool:
        return self.relation in FAMILY_RELATIONS

    @property
    def is_young_person(self) -> bool:
        return self.relation == Relation.SELF

    @property
    def account_id(self) -> int:
        """The family member's or practitioner's id."""
        if self.family_link is not None:
            return self.family_link.member_id
        return self.practitioner.id or 0 if self.practitioner is not None else 0

    def holds(self, permission: str) -> bool:
        """Whether this access holds `permission` (no audit: for showing or hiding controls)."""
        if self.relation not in PERMISSIONS.get(permission, frozenset()):
            return False
        gate = SECTION_GATED_PERMISSIONS.get(permission)
        return gate is None or self.relation == Relation.SELF or gate in self.sections


_FAMILY_ROLE_RELATION: dict[str, Relation] = {
    FamilyRole.YOUNG_PERSON: Relation.SELF,
    FamilyRole.PARENT_CARER: Relation.PARENT_CARER,
    FamilyRole.TRUSTED_ADULT: Relation.TRUSTED_ADULT,
}


@cache
def _live_link() -> SideBySide:
    """The family member's live link to the child, built once (its SQL compiled once) and read by
    hand (app.db_reads.side_by_side: cheaper than the ORM's loading; every child page asks)."""
    link = table_of(FamilyLink).c
    return side_by_side(
        (FamilyLink,),
        lambda statement: statement.where(
            link.child_id == bindparam("child_id"), link.member_id == bindparam("member_id"), link.revoked_at.is_(None)
        ),
    )


def _family_relation(session: Session, actor: Actor, child_id: int) -> Access | None:
    found = side_by_side_first(session, _live_link(), {"child_id": child_id, "member_id": actor.account_id})
    if found is None:
        return None
    (link,) = found
    relation = _FAMILY_ROLE_RELATION.get(link.role)
    if relation is None:
        return None
    return Access(relation=relation, child_id=child_id, family_link=link, sections=sections_for(session, link))


_CASE_ROLE_RELATION: dict[str, Relation] = {
    CaseRole.ALLOCATED_WORKER: Relation.ALLOCATED_WORKER,
    CaseRole.CHAIR: Relation.CHAIR,
    CaseRole.TEAM_MEMBER: Relation.TEAM_MEMBER,
    CaseRole.AGENCY_PARTNER: Relation.AGENCY_PARTNER,
}


def _active_practitioner(session: Session, actor: Actor) -> Practitioner | None:
    if actor.kind != AccountKind.PRACTITIONER:
        return None
    practitioner = session.get(Practitioner, actor.account_id)
    return practitioner if practitioner is not None and practitioner.active else None


@cache
def _live_assignment() -> SideBySide:
    """The practitioner's live assignment to the child, built once (its SQL compiled once) and
    read by hand (as `_live_link`)."""
    assignment = table_of(CaseAssignment).c
    return side_by_side(
        (CaseAssignment,),
        lambda statement: statement.where(
            assignment.child_id == bindparam("child_id"),
            assignment.practitioner_id == bindparam("practitioner_id"),
            assignment.ended_on.is_(None),
        ),
    )


def _practitioner_relation(session: Session, actor: Actor, child_id: int) -> Access | None:
    practitioner = _active_practitioner(session, actor)
    if practitioner is None or practitioner.role == PractitionerRole.ADMIN:
        # Admins manage accounts but never read plans.
        return None
    every_section = frozenset(Section)
    params = {"child_id": child_id, "practitioner_id": practitioner.id}
    found = side_by_side_first(session, _live_assignment(), params)
    assignment = found[0] if found else None
    if assignment is not None and assignment.case_role in _CASE_ROLE_RELATION:
        relation = _CASE_ROLE_RELATION[assignment.case_role]
        sections = every_section if relation in WHOLE_PLAN_READERS else frozenset()
        return Access(relation=relation, child_id=child_id, practitioner=practitioner, sections=sections)
    if (
        practitioner.role == PractitionerRole.MANAGER
        and practitioner.team
        and _team_holds_case(session, practitioner.team, child_id)
    ):
        return Access(relation=Relation.MANAGER, child_id=child_id, practitioner=practitioner, sections=every_section)
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
            relation=Relation.BREAK_GLASS,
            child_id=child_id,
            practitioner=practitioner,
            break_glass_grant_id=grant.id,
            sections=every_section,
        )
    return None


def team_cases(team: str) -> SelectOfScalar[int]:
    """The children whose allocated worker is in `team` (a manager's read-only reach)."""
    return (
        select(CaseAssignment.child_id)
        .join(Practitioner, col(Practitioner.id) == col(CaseAssignment.practitioner_id))
        .where(
            CaseAssignment.case_role == CaseRole.ALLOCATED_WORKER,
            col(CaseAssignment.ended_on).is_(None),
            Practitioner.team == team,
        )
    )


def _team_holds_case(session: Session, team: str, child_id: int) -> bool:
    """True if someone in `team` is the child's allocated worker (a manager's read-only reach)."""
    return session.exec(team_cases(team).where(CaseAssignment.child_id == child_id)).first() is not None


def relation_to_child(*, session: Session, actor: Actor, child_id: int) -> Access | None:
    """How the actor reaches this child, or None. Does not audit: use `require` in services."""
    if actor.kind == AccountKind.FAMILY:
        return _family_relation(session, actor, child_id)
    if actor.kind == AccountKind.PRACTITIONER:
        return _practitioner_relation(session, actor, child_id)
    return None


def _decide(permission: str, session: Session, actor: Actor, resource: Resource | None) -> tuple[bool, Access | None]:
    if resource is None:
        practitioner = _active_practitioner(session, actor)
        if practitioner is None:
            return False, None
        roles = ACCOUNT_PERMISSIONS.get(permission, frozenset())
        # Some work is an agency's, whatever the job title (the Hub's queue); never an admin's.
        agencies = AGENCY_PERMISSIONS.get(permission, frozenset())
        by_agency = practitioner.role != PractitionerRole.ADMIN and practitioner.agency in agencies
        return practitioner.role in roles or by_agency, None
    if resource.kind != ResourceKind.CHILD:
        # Contexts (peer groups, schools, places) arrive with context conferences; until a
        # relation to one exists in this policy, every permission on a context is denied.
        return False, None
    access = relation_to_child(session=session, actor=actor, child_id=resource.id)
    return access is not None and access.holds(permission), access


def holds(
    permission: str, *, session: Session, actor: Actor, child_id: int | None = None, context_id: int | None = None
) -> bool:
    """Whether the actor holds `permission` on the child or context (or account-wide, given neither).

    Not audited: for showing or hiding controls only. The write itself asks `require`.
    """
    allowed, _access = _decide(permission, session, actor, _resource(child_id, context_id))
    return allowed


def require(
    permission: str,
    *,
    session: Session,
    actor: Actor,
    child_id: int | None = None,
    context_id: int | None = None,
    also: tuple[str, ...] = (),
) -> Access:
    """The actor's access if it holds `permission`; NotFound otherwise. Audited either way (R21).

    A page that reads several parts of a record at once names the other permissions it uses in
    `also`: one decision, one audit row whose detail lists them ("also:plan.history"), so fewer
    rows never mean fewer facts. All must be held; a refusal names the first one refused.
    Account-wide permissions (neither a child nor a context) answer an Access with no relation.
    """
    resource = _resource(child_id, context_id)
    if also and (resource is None or resource.kind != ResourceKind.CHILD):
        raise TypeError("several permissions in one decision are asked about a child's record only")
    allowed, access = _decide(permission, session, actor, resource)
    refused = permission if not allowed else next((p for p in also if access is None or not access.holds(p)), None)
    details = [f"break-glass:{access.break_glass_grant_id}"] if access and access.break_glass_grant_id else []
    if resource is not None and resource.kind == ResourceKind.CONTEXT:
        details = [f"context:{resource.id}"]
    others = [p for p in (permission, *also) if p != (refused or permission)]
    if others:
        details.append("also:" + ",".join(others))
    record_access(
        session=session,
        actor=actor,
        child_id=child_id,
        permission=refused or permission,
        allowed=refused is None,
        detail=" ".join(details),
    )
    if refused is not None:
        raise NotFound()
    if access is None:
        return Access(relation=Relation.ACCOUNT, child_id=0, practitioner=_active_practitioner(session, actor))
    return access


def _linked_children(session: Session, actor: Actor) -> set[int]:
    """Every child the actor has a live link of any kind to; which of them hold what is `_decide`'s."""
    if actor.kind == AccountKind.FAMILY:
        links = select(FamilyLink.child_id).where(FamilyLink.member_id == actor.account_id)
        return set(session.exec(links.where(col(FamilyLink.revoked_at).is_(None))).all())
    practitioner = _active_practitioner(session, actor)
    if practitioner is None:
        return set()
    cases = select(CaseAssignment.child_id).where(CaseAssignment.practitioner_id == practitioner.id)
    grants = select(BreakGlassGrant.child_id).where(BreakGlassGrant.practitioner_id == practitioner.id)
    linked = set(session.exec(cases.where(col(CaseAssignment.ended_on).is_(None))).all())
    linked |= set(session.exec(grants.where(col(BreakGlassGrant.ended_at).is_(None))).all())  # expiry: _decide
    if practitioner.team:
        linked |= set(session.exec(team_cases(practitioner.team)).all())
    return linked


def children_holding(permission: str, *, session: Session, actor: Actor) -> frozenset[int]:
    """The ids of every child on whom the actor holds `permission` (not audited: for narrowing a
    list, such as the audit search, to what the person may see).

    Each linked child is asked the same question `holds` asks, so the answer cannot drift from
    the record's own check; a person reaches few children, so asking each is cheap enough.
    """
    return frozenset(
        child_id
        for child_id in _linked_children(session, actor)
        if _decide(permission, session, actor, Resource(ResourceKind.CHILD, child_id))[0]
    )


def sections_for(session: Session, link: FamilyLink) -> frozenset[Section]:
    """The plan sections a family member may see: the defaults for their role, then the young
    person's choices, within any practitioner's locks."""
    sections = set(FAMILY_DEFAULT_SECTIONS.get(link.role, frozenset()))
    if link.role == FamilyRole.YOUNG_PERSON:
        return frozenset(sections)
    # A parent always sees their own commitments (the view filters to theirs); sharing decides the rest.
    always = {Section.CARER_COMMITMENTS} if link.role == FamilyRole.PARENT_CARER else set()
    for share in session.exec(
        select(SectionShare).where(SectionShare.child_id == link.child_id, SectionShare.member_id == link.member_id)
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


def shareable_sections(role: str) -> tuple[Section, ...]:
    """The sections the young person can choose to share with someone in this role."""
    if role == FamilyRole.TRUSTED_ADULT:
        return SHAREABLE_SECTIONS
    # Only a trusted adult may be asked to add ideas with the young person.
    return tuple(s for s in SHAREABLE_SECTIONS if s != Section.COWRITE)


def case_role_holds(case_role: str, permission: str) -> bool:
    """Whether an assignment in `case_role` holds `permission` (for listing cases without asking each)."""
    relation = _CASE_ROLE_RELATION.get(case_role)
    return relation is not None and relation in PERMISSIONS.get(permission, frozenset())


def may_facilitate(
    meeting_type: str, *, practitioner: Practitioner | None = None, link: FamilyLink | None = None
) -> bool:
    """Whether this practitioner (by their job) or family member (by their link) may facilitate."""
    if practitioner is not None:
        return practitioner.active and practitioner.role in FACILITATING_ROLES.get(meeting_type, frozenset())
    if link is not None:
        return (
            link.revoked_at is None
            and link.role == FamilyRole.TRUSTED_ADULT
            and meeting_type in TRUSTED_ADULT_MAY_FACILITATE
        )
    return False
