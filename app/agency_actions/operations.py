"""Agency partners (school, police, health...) update only their own agency's actions.

They are not given the rest of the plan: a partner's page lists the draft's actions for their
agency (app.agency_actions.queries), and each update states the revision it started from (a
stale one is a Conflict, R24).
"""

from __future__ import annotations

from typing import Annotated

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from app import timeutil
from app.access import policy
from app.actors import Actor
from app.agency_actions.models import AgencyActionUpdate
from app.agency_actions.queries import actions_for_my_agency, partner_agency
from app.audit.operations import record_change
from app.db import flush_or_conflict
from app.errors import Conflict, NotFound
from app.inputs import Input, Words
from app.models_base import stamp
from app.people.models import Practitioner
from app.plans.inputs import MAX_ACTION_LENGTH, AgencyActionWhen
from app.plans.models import AgencyAction
from app.plans.versions import open_draft

STALE = "the action changed since you opened it"
# An update is a few lines on how it is going, not a report.
MAX_UPDATE_LENGTH = 1000


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


class AgencyActionDone(Input):
    """Marking one of my agency's actions done: the revision the partner saw it at."""

    expected_revision: int


def _my_draft_action(
    session: Session, actor: Actor, child_id: int, action_id: int
) -> tuple[AgencyAction, Practitioner]:
    """One of my agency's actions in this child's working draft (an agreed version never changes),
    and me; NotFound for anything else."""
    # The partner's page is "agency_actions.read_own" (partners only); changing an action is as editing.
    policy.require("agency_actions.read_own", session=session, actor=actor, child_id=child_id)
    access = policy.require("agency_actions.edit_own", session=session, actor=actor, child_id=child_id)
    if access.practitioner is None:
        raise NotFound()
    draft = open_draft(session=session, child_id=child_id)
    row = session.get(AgencyAction, action_id)
    if row is None or row.version_id != draft.id or row.agency != access.practitioner.agency:
        raise NotFound()
    return row, access.practitioner


def mark_my_agency_action_done(
    *, session: Session, actor: Actor, child_id: int, action_id: int, done: AgencyActionDone
) -> AgencyAction:
    """Mark one of my agency's draft actions done today, with my name. An action changed (or marked
    done by someone else) since the partner saw it is a Conflict: nothing is overwritten (R24)."""
    row, me = _my_draft_action(session, actor, child_id, action_id)
    if row.revision != done.expected_revision or row.done_on is not None:
        raise Conflict(STALE)
    row.done_on = timeutil.today()
    row.done_by = me.display_name
    stamp(row, actor.label, new=False)
    flush_or_conflict(session, STALE)
    record_change(
        session=session, actor=actor, child_id=child_id, entity="agency_action", entity_id=row.id, action="done"
    )
    return row


class AgencyActionNote(Input):
    """An update on one of my agency's actions: how it is going, in a few lines."""

    note: Annotated[str, Words(MAX_UPDATE_LENGTH)]

    messages = {"note": {"blank": _l("Say how the action is going.")}}


def add_update(
    *, session: Session, actor: Actor, child_id: int, action_id: int, update: AgencyActionNote
) -> AgencyActionUpdate:
    """Add an update to one of my agency's draft actions. Updates only add rows: two partners writing
    at once both keep their words, so there is nothing to conflict over (R24)."""
    row, me = _my_draft_action(session, actor, child_id, action_id)
    note = AgencyActionUpdate(
        action_id=row.id or 0, practitioner_id=me.id, written_by=me.display_name, note=update.note, at=timeutil.utcnow()
    )
    session.add(note)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=child_id,
        entity="agency_action_update",
        entity_id=note.id,
        action="created",
    )
    return note
