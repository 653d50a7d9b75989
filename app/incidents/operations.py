"""Writes about incidents: record one, and with it bring the review forward or say why not.

Who may is the policy's ("incident.record": the plan's editors). The meeting agreed what counts as
a reason to review sooner (the plan's review trigger); the worker decides, on the incident's own
form, and the decision is kept with the incident. Bringing the review forward states the review
it started from (the plan's revision and the agreed version): if someone else moved the review,
or a new plan was agreed, meanwhile, that is a Conflict, never an overwrite (R24): the check and
the write are one UPDATE of the plan's revision. Nothing here commits: the door does.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col

from app import timeutil
from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.errors import Conflict, ValidationFailed
from app.incidents.inputs import IncidentInput, ReviewAnswer
from app.incidents.models import Incident, ReviewChoice
from app.incidents.queries import ReviewState, review_state
from app.models_base import stamp
from app.plans.models import Plan
from app.workingdays import is_working_day

# An incident older than this belongs in a concern's history, not in a review decision made now.
OLDEST_INCIDENT = timedelta(days=366)
REVIEW_MOVED = _l(
    "Someone changed this young person's review while you were writing (it was brought forward, or a new "
    "plan was agreed). Nothing was saved: check the review below, then choose again."
)


def _review_errors(incident: IncidentInput, state: ReviewState) -> dict[str, Any]:
    """What is wrong with the review decision, box by box (empty when nothing is)."""
    if incident.review is None:
        return {"review": _l("Choose whether to bring the review forward.")}
    if incident.review == ReviewAnswer.KEEP:
        return {} if incident.kept_because else {"kept_because": _l("Say why the review stays on its date.")}
    day = incident.new_review_date
    if day is None:
        return {"new_review_date": _l("Enter the new review date, like 2026-12-04.")}
    if state.allowed(day):
        return {}
    if day < state.today:
        why = _l("The new review date cannot be in the past.")
    elif state.review_on is not None and day >= state.review_on:
        why = _l("Choose a date sooner than the current review (%(day)s).", day=state.review_on.isoformat())
    elif day > state.latest_new_date:
        why = _l(
            "Choose a date within the next 5 working days: %(day)s at the latest.",
            day=state.latest_new_date.isoformat(),
        )
    elif not is_working_day(day):
        why = _l("Choose a working day (not a weekend or a bank holiday).")
    else:  # not reached: every refusal above names its reason
        why = _l("Choose another date.")
    return {"new_review_date": why}


def _bring_forward(session: Session, actor: Actor, state: ReviewState, day: date) -> None:
    """Move the plan's review to `day` and its revision on, if it is still the one the worker saw:
    the check and the write are one UPDATE. (`day` is sooner than the review as it stood: checked.)"""
    moved = session.execute(
        update(Plan)
        .where(col(Plan.id) == state.plan_id, col(Plan.revision) == state.revision)
        .values(review_on=day, revision=Plan.revision + 1, updated_at=timeutil.utcnow(), updated_by=actor.label)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(str(REVIEW_MOVED))


def record_incident(*, session: Session, actor: Actor, child_id: int, incident: IncidentInput) -> Incident:
    """Record an incident on the child's case with the worker's decision about the review."""
    policy.require("incident.record", session=session, actor=actor, child_id=child_id)
    # The clock through the module, so one frozen clock (tests) holds for the tray and this form alike.
    now, day = timeutil.utcnow(), timeutil.today()
    errors: dict[str, Any] = {}
    if incident.occurred_at > now:
        errors["occurred_at"] = _l("When it happened cannot be in the future.")
    elif incident.occurred_at < now - OLDEST_INCIDENT:
        errors["occurred_at"] = _l("Record incidents of the last 12 months; older events belong in a concern.")
    state = review_state(session, child_id, day)
    if state is not None:
        if (incident.review_revision, incident.review_version) != (state.revision, state.version_id):
            if incident.review_revision is None:
                errors["review_revision"] = _l(
                    "State the review you saw (its revision, as the incidents list gives it)."
                )
            else:
                raise Conflict(str(REVIEW_MOVED))
        errors |= _review_errors(incident, state)
    if errors:
        raise ValidationFailed(errors)
    choice = ReviewChoice.NO_REVIEW if state is None else ReviewChoice(incident.review or ReviewChoice.NO_REVIEW)
    moving = choice == ReviewChoice.BRING_FORWARD
    # Bringing forward always names its date (checked above, with the review errors).
    moved_to = incident.new_review_date if moving else None
    if moved_to is not None and state is not None:
        _bring_forward(session, actor, state, moved_to)
    row = Incident(
        child_id=child_id,
        kind=incident.kind,
        occurred_at=incident.occurred_at,
        what_happened=incident.what_happened,
        recorded_by_id=actor.account_id,
        recorded_at=now,
        review_choice=choice,
        review_version_id=state.version_id if state is not None else None,
        review_was=state.review_on if state is not None else None,
        review_moved_to=moved_to,
        review_kept_because=incident.kept_because or None if choice == ReviewChoice.KEEP else None,
    )
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    record_change(
        session=session, actor=actor, child_id=child_id, entity="incident", entity_id=row.id, action="created"
    )
    if moving and state is not None:
        record_change(
            session=session,
            actor=actor,
            child_id=child_id,
            entity="plan",
            entity_id=state.plan_id,
            action="review_brought_forward",
        )
    return row
