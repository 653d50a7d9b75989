"""An agency partner's view of a plan: only their own agency's actions in the draft."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.agency_actions.models import AgencyActionUpdate
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


def _lineage(action: AgencyAction) -> tuple[datetime, str]:
    """Copies of an action in later drafts keep who created it and when (app.plans.versions)."""
    return (action.created_at, action.created_by)


@cache
def _histories_query() -> Any:
    """The updates on the actions created at some moments in the plan of a version, newest first:
    built once (each practitioner's plan page asks it: its SQL compiled once)."""
    plan_of_shown = select(PlanVersion.plan_id).where(PlanVersion.id == bindparam("version_id")).scalar_subquery()
    return (
        select(AgencyActionUpdate, AgencyAction.created_at, AgencyAction.created_by)
        .join(AgencyAction, col(AgencyAction.id) == AgencyActionUpdate.action_id)
        .join(PlanVersion, col(PlanVersion.id) == AgencyAction.version_id)
        .where(
            PlanVersion.plan_id == plan_of_shown,
            col(AgencyAction.created_at).in_(bindparam("created_at", expanding=True)),
        )
        .order_by(col(AgencyActionUpdate.at).desc(), col(AgencyActionUpdate.id).desc())
    )


def update_histories(*, session: Session, actions: Sequence[AgencyAction]) -> dict[int, list[AgencyActionUpdate]]:
    """Each action's updates, newest first, keyed by the shown action's id: the updates on it and on
    its earlier copies in the same plan. One statement for the whole list. Callers check access first."""
    shown = [a for a in actions if a.id is not None]
    histories: dict[int, list[AgencyActionUpdate]] = {a.id or 0: [] for a in shown}
    if not shown:
        return histories
    params = {"version_id": shown[0].version_id, "created_at": sorted({a.created_at for a in shown})}
    rows = session.exec(_histories_query(), params=params).all()
    by_lineage: dict[tuple[datetime, str], list[int]] = {}
    for action in shown:
        by_lineage.setdefault(_lineage(action), []).append(action.id or 0)
    for update, created_at, created_by in rows:
        for action_id in by_lineage.get((created_at, created_by), []):
            histories[action_id].append(update)
    return histories
