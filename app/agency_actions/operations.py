"""Agency partners (school, police, health...) update only their own agency's actions.

They are not given the rest of the plan: a partner's page lists the draft's actions for their
agency (app.agency_actions.queries), and each update states the revision it started from (a
stale one is a Conflict, R24).
"""

from __future__ import annotations

from typing import Annotated

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from app.actors import Actor
from app.agency_actions.queries import actions_for_my_agency, partner_agency
from app.audit.operations import record_change
from app.db import flush_or_conflict
from app.errors import Conflict, NotFound
from app.inputs import Words
from app.models_base import stamp
from app.plans.inputs import MAX_ACTION_LENGTH, AgencyActionWhen
from app.plans.models import AgencyAction

STALE = "the action changed since you opened it"


class AgencyActionEdit(AgencyActionWhen):
    """New words and due date for one of my agency's actions, with the revision the editor started from."""

    expected_revision: int
    action: Annotated[str, Words(MAX_ACTION_LENGTH)]

    messages = {**AgencyActionWhen.messages, "action": {"blank": _l("Say what your agency will do.")}}


def update_my_agency_action(
    *, session: Session, actor: Actor, child_id: int, action_id: int, edit: AgencyActionEdit
) -> AgencyAction:
    """Change the wording, the due date or the repeat words of one of my agency's actions in the draft."""
    agency = partner_agency(session, actor, child_id, "agency_actions.edit_own")
    view = actions_for_my_agency(session=session, actor=actor, child_id=child_id)
    row = next((a for a in view.actions if a.id == action_id), None)
    if row is None or row.agency != agency:
        raise NotFound()
    if row.revision != edit.expected_revision:
        raise Conflict(STALE)
    row.action, row.due_on, row.repeats = edit.action, edit.due_on, edit.repeats
    stamp(row, actor.label, new=False)
    # The write checks the loaded revision again in the same statement: a racing save loses here (R24).
    flush_or_conflict(session, STALE)
    record_change(
        session=session, actor=actor, child_id=child_id, entity="agency_action", entity_id=row.id, action="updated"
    )
    return row
