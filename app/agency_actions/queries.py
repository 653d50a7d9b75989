"""An agency partner's view of a plan: only their own agency's actions in the draft."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.errors import NotFound
from app.people.models import Child
from app.plans.models import AgencyAction, PlanVersion
from app.plans.versions import open_draft


@dataclass(frozen=True)
class AgencyActionsView:
    child: Child
    agency: str
    draft: PlanVersion
    actions: list[AgencyAction]


def partner_agency(session: Session, actor: Actor, child_id: int, permission: str) -> str:
    access = policy.require(permission, session=session, actor=actor, child_id=child_id)
    if access.practitioner is None:
        raise NotFound()
    return access.practitioner.agency


def actions_for_my_agency(*, session: Session, actor: Actor, child_id: int) -> AgencyActionsView:
    agency = partner_agency(session, actor, child_id, "agency_actions.read_own")
    child = session.get(Child, child_id)
    if child is None:
        raise NotFound()
    draft = open_draft(session=session, child_id=child_id)
    actions = session.exec(
        select(AgencyAction)
        .where(AgencyAction.version_id == draft.id, AgencyAction.agency == agency)
        .order_by(col(AgencyAction.position))
    ).all()
    return AgencyActionsView(child=child, agency=agency, draft=draft, actions=list(actions))
