"""Writes about context conferences: a mapping meeting weighed "conference to follow" opens one
(once); the convenor sets its date; the chair records the agenda step by step, the plan's actions in
the four domains and the time kept for the plan, closes it with a review date, and may move the
review with recorded consent.

Due within 15 working days of the weighting (app.workingdays): one weighed on Christmas Eve 2026 is
due on Tuesday 19 January 2027. Seed 004's rules are pure functions in app.conferences.rules.
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.conferences import rules
from app.conferences.agenda import STEPS
from app.conferences.inputs import ActionInput, CloseInput, MoveReviewInput, PlanTimesInput, ScheduleInput
from app.conferences.models import ConferenceAction, ConferenceKind, ConferenceNote, ContextConference
from app.db import record_once
from app.errors import NotFound, ValidationFailed
from app.inputs import Input
from app.mapping.models import MappingMeeting
from app.models_base import stamp
from app.timeutil import today, utcnow
from app.workingdays import add_working_days

READ = "conferences.read"
CHAIR = "conferences.chair"
CONVENE = "conferences.convene"

CLOSED = _l("This conference is closed: its record and plan can no longer change.")
ENDED_BEFORE_STARTED = _l("The discussion of the plan must end after it started.")
NO_PLAN_TIMES = _l("Record when the discussion of the plan started and ended before closing.")
NO_ACTIONS = _l("Finalise the action plan before closing: add at least one action with its owner and date.")
STEP_CONFLICT = _l(
    "Someone else saved this conference while you were writing. What they saved is shown; your words are "
    "kept in the form: check both, then save again."
)
ALREADY_CLOSED = _l("Someone else closed this conference while you were writing. Their review date is shown.")
NOT_CLOSED = _l("The review date is set when the conference closes.")
NO_CONSENT = _l("Moving a review needs the chair's express consent: tick the box to record it.")


def open_conference(
    *, session: Session, actor: Actor, mapping: MappingMeeting, kind: ConferenceKind
) -> ContextConference:
    """The conference a weighing opens, due within 15 working days of today (the caller weighed, once)."""
    opened = today()
    row = ContextConference(
        mapping_id=mapping.id or 0,
        concern_id=mapping.concern_id,
        kind=kind,
        opened_on=opened,
        due_on=add_working_days(opened, rules.CONFERENCE_WORKING_DAYS),
    )
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    record_change(
        session=session, actor=actor, child_id=None, entity="context_conference", entity_id=row.id, action="created"
    )
    return row


def conference_for(*, session: Session, actor: Actor, conference_id: int, permission: str = READ) -> ContextConference:
    """The conference, if the actor holds `permission` (audited); NotFound otherwise (R2)."""
    policy.require(permission, session=session, actor=actor)
    conference = session.get(ContextConference, conference_id)
    if conference is None:
        raise NotFound()
    return conference


def _open_for_chair(session: Session, actor: Actor, conference_id: int) -> ContextConference:
    conference = conference_for(session=session, actor=actor, conference_id=conference_id, permission=CHAIR)
    if conference.closed_at is not None:
        raise ValidationFailed({"__all__": CLOSED})
    return conference


def _changed(
    session: Session, actor: Actor, conference: ContextConference, entity: str, entity_id: int | None, action: str
) -> None:
    stamp(conference, actor.label, new=False)
    session.add(conference)
    session.flush()
    record_change(session=session, actor=actor, child_id=None, entity=entity, entity_id=entity_id, action=action)


def schedule(*, session: Session, actor: Actor, conference_id: int, when: ScheduleInput) -> ContextConference:
    """The date the convenor sets (shown beside the due date; a later one shows as late)."""
    conference = conference_for(session=session, actor=actor, conference_id=conference_id, permission=CONVENE)
    if conference.closed_at is not None:
        raise ValidationFailed({"__all__": CLOSED})
    conference.meets_on = when.meets_on
    _changed(session, actor, conference, "context_conference", conference.id, "scheduled")
    return conference


def notes_of(session: Session, conference_id: int) -> dict[str, str]:
    """Every agenda note of the conference by heading (the caller may read the conference)."""
    rows = session.exec(select(ConferenceNote).where(ConferenceNote.conference_id == conference_id)).all()
    return {row.field: row.text for row in rows}


def save_step(*, session: Session, actor: Actor, conference_id: int, step: int, notes: Input) -> ContextConference:
    """The notes of one step of the agenda (1 to 10): each heading written, an emptied one taken out."""
    conference = _open_for_chair(session, actor, conference_id)
    # The check and the claim are one UPDATE (R24): of two chairs saving from the same page, one
    # saves and the other is told, with their words kept, never overwriting the first.
    claimed = session.execute(
        update(ContextConference)
        .where(
            col(ContextConference.id) == conference_id,
            col(ContextConference.revision) == notes.revision,  # type: ignore[attr-defined]
            col(ContextConference.closed_at).is_(None),
        )
        .values(revision=ContextConference.revision + 1, updated_at=utcnow(), updated_by=actor.label)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise ValidationFailed({"__all__": STEP_CONFLICT})
    session.refresh(conference)
    headings = STEPS[step - 1].headings
    existing = {
        row.field: row
        for row in session.exec(
            select(ConferenceNote).where(
                ConferenceNote.conference_id == conference_id,
                col(ConferenceNote.field).in_([h.name for h in headings]),
            )
        ).all()
    }
    for heading in headings:
        text = str(getattr(notes, heading.name))
        row = existing.get(heading.name)
        if not text:
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = ConferenceNote(conference_id=conference_id, field=heading.name, text=text)
            stamp(row, actor.label, new=True)
        elif row.text != text:
            row.text = text
            stamp(row, actor.label, new=False)
        session.add(row)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=None,
        entity="conference_note",
        entity_id=conference.id,
        action=f"step {step}",
    )
    return conference


def add_action(*, session: Session, actor: Actor, conference_id: int, action: ActionInput) -> ConferenceAction:
    """An action of the plan with its owner, date and domain."""
    conference = _open_for_chair(session, actor, conference_id)
    row = ConferenceAction(
        conference_id=conference_id,
        domain=action.domain,
        action=action.action,
        owner=action.owner,
        due_on=action.due_on,
        added_by_id=actor.account_id,
    )
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    _changed(session, actor, conference, "conference_action", row.id, "created")
    return row


def record_plan_times(
    *, session: Session, actor: Actor, conference_id: int, times: PlanTimesInput
) -> ContextConference:
    """When the discussion of the plan started and ended (seed 004: no less than 30 minutes)."""
    conference = _open_for_chair(session, actor, conference_id)
    if times.plan_ended <= times.plan_started:
        raise ValidationFailed({"plan_ended": ENDED_BEFORE_STARTED})
    conference.plan_started, conference.plan_ended = times.plan_started, times.plan_ended
    _changed(session, actor, conference, "context_conference", conference.id, "plan times")
    return conference


def actions_of(session: Session, conference_id: int) -> list[ConferenceAction]:
    return list(
        session.exec(
            select(ConferenceAction)
            .where(ConferenceAction.conference_id == conference_id)
            .order_by(col(ConferenceAction.domain), col(ConferenceAction.due_on), col(ConferenceAction.id))
        ).all()
    )


def close(*, session: Session, actor: Actor, conference_id: int, closing: CloseInput) -> ContextConference:
    """Close the conference once: 30 minutes kept for the plan (or the chair's reasons), the action plan
    finalised, the review set no later than 3 months on (3 months unless the chair chose earlier)."""
    conference = _open_for_chair(session, actor, conference_id)
    errors: dict[str, object] = {}
    if conference.plan_started is None or conference.plan_ended is None:
        errors["plan_times"] = NO_PLAN_TIMES
    else:
        minutes = rules.plan_minutes(conference.plan_started, conference.plan_ended)
        if minutes < rules.PLAN_MINUTES and not closing.short_plan_reason:
            errors["short_plan_reason"] = _l(
                "Only %(n)s minutes were kept for the plan: keep at least 30, or record why here.", n=minutes
            )
    # Every action has its owner and date (ActionInput requires both): the plan needs at least one.
    if not actions_of(session, conference_id):
        errors["actions"] = NO_ACTIONS
    closed_on = today()
    review_on = closing.review_on or rules.default_review(closed_on)
    if not rules.review_in_range(review_on, closed_on):
        errors["review_on"] = _l(
            "The review must be after today and no later than %(latest)s (3 months).",
            latest=format_date(rules.latest_review(closed_on), "d MMMM yyyy"),
        )
    if errors:
        raise ValidationFailed(errors)
    now = utcnow()
    values = {
        "closed_at": now,
        "closed_by_id": actor.account_id,
        "review_on": review_on,
        "short_plan_reason": closing.short_plan_reason or None,
    }
    # Two chairs closing at once: one closes, the other is told (R24).
    if not record_once(
        session,
        ContextConference,
        conference_id,
        unset=ContextConference.closed_at,
        values=values,
        actor_label=actor.label,
        at=now,
    ):
        raise ValidationFailed({"__all__": ALREADY_CLOSED})
    session.refresh(conference)
    record_change(
        session=session,
        actor=actor,
        child_id=None,
        entity="context_conference",
        entity_id=conference.id,
        action="closed",
    )
    return conference


def move_review(*, session: Session, actor: Actor, conference_id: int, move: MoveReviewInput) -> ContextConference:
    """Move the review: with the chair's express consent recorded, within two weeks after the missed date."""
    conference = conference_for(session=session, actor=actor, conference_id=conference_id, permission=CHAIR)
    if conference.review_on is None:
        raise ValidationFailed({"__all__": NOT_CLOSED})
    errors: dict[str, object] = {}
    if not move.consent:
        errors["consent"] = NO_CONSENT
    missed = conference.review_on
    if not rules.move_in_range(move.review_on, missed):
        first, last = rules.move_range(missed)
        errors["review_on"] = _l(
            "The new review must be within two weeks after the missed date: between %(first)s and %(last)s.",
            first=format_date(first, "d MMMM yyyy"),
            last=format_date(last, "d MMMM yyyy"),
        )
    if errors:
        raise ValidationFailed(errors)
    conference.review_moved_from = missed
    conference.review_on = move.review_on
    conference.review_move_reason = move.reason
    conference.review_moved_by_id = actor.account_id
    _changed(session, actor, conference, "context_conference", conference.id, "review moved")
    return conference
