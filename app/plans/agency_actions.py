"""Agency partners (school, police, health...) see and update only their own agency's actions.

They are not given the rest of the plan: a partner's page lists the draft's actions for their
agency, and each update states the revision it started from (a stale one is a Conflict, R24).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from app.access import policy
from app.access.actors import Actor
from app.audit.operations import record_change
from app.errors import Conflict, NotFound, ValidationFailed
from app.people.models import Child
from app.plans.models import AgencyAction, PlanVersion
from app.plans.operations import draft_of, open_plan_for_child
from app.text import clean_text
from app.timeutil import utcnow

MAX_ACTION_LENGTH = 1000
MAX_BY_WHEN_LENGTH = 200


@dataclass(frozen=True)
class AgencyActionsView:
    child: Child
    agency: str
    draft: PlanVersion
    actions: list[AgencyAction]


def _partner_agency(session: Session, actor: Actor, child_id: int, permission: str) -> str:
    access = policy.require(permission, session=session, actor=actor, child_id=child_id)
    if access.practitioner is None:
        raise NotFound()
    return access.practitioner.agency


def actions_for_my_agency(*, session: Session, actor: Actor, child_id: int) -> AgencyActionsView:
    agency = _partner_agency(session, actor, child_id, "agency_actions.read_own")
    child = session.get(Child, child_id)
    plan = open_plan_for_child(session=session, child_id=child_id)
    if child is None or plan is None:
        raise NotFound()
    draft = draft_of(session=session, plan_id=plan.id or 0)
    actions = session.exec(
        select(AgencyAction)
        .where(AgencyAction.version_id == draft.id, AgencyAction.agency == agency)
        .order_by(col(AgencyAction.position))
    ).all()
    return AgencyActionsView(child=child, agency=agency, draft=draft, actions=list(actions))


def update_my_agency_action(
    *, session: Session, actor: Actor, child_id: int, action_id: int, expected_revision: int, action: str, by_when: str
) -> AgencyAction:
    """Change the wording or the by/at of one of my agency's actions in the draft."""
    agency = _partner_agency(session, actor, child_id, "agency_actions.edit_own")
    view = actions_for_my_agency(session=session, actor=actor, child_id=child_id)
    row = next((a for a in view.actions if a.id == action_id), None)
    if row is None or row.agency != agency:
        raise NotFound()
    errors = {}
    clean_action = clean_text(action)
    clean_when = clean_text(by_when, single_line=True)
    if not clean_action:
        errors["action"] = _l("Say what your agency will do.")
    elif len(clean_action) > MAX_ACTION_LENGTH:
        errors["action"] = _l("Keep it under %(n)s characters.", n=MAX_ACTION_LENGTH)
    if len(clean_when) > MAX_BY_WHEN_LENGTH:
        errors["by_when"] = _l("Keep it under %(n)s characters.", n=MAX_BY_WHEN_LENGTH)
    if errors:
        raise ValidationFailed(errors)
    if row.revision != expected_revision:
        raise Conflict("the action changed since you opened it")
    row.action, row.by_when = clean_action, clean_when
    row.revision += 1
    row.updated_at, row.updated_by = utcnow(), actor.label
    session.flush()
    record_change(
        session=session, actor=actor, child_id=child_id, entity="agency_action", entity_id=row.id, action="updated"
    )
    return row
