"""Parents and carers mark their own commitments done (or not done any more) and comment on them.

A commitment belongs to an agreed version, which never changes (app.plans.immutability), so
progress is a separate, append-only history (`CommitmentUpdate`): each change adds a row that
carries the whole status (done, comment), and the latest row is the status now. Undoing is one
more row, so what happened stays on record.

Each row takes the next place in its commitment's history, and the database lets only one row take
a place (`CommitmentUpdate.number`), so the check ("nothing changed since I looked") and the write
are one step on every database: of two phones writing at once, the second is refused (R24).
"""

from __future__ import annotations

from sqlmodel import Session

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.commitments.inputs import CommentInput
from app.commitments.models import CommitmentUpdate
from app.commitments.queries import CommitmentProgress, current_progress
from app.db import insert_or_conflict
from app.errors import Conflict, NotFound
from app.plans.models import CarerCommitment
from app.plans.versions import family_version, open_plan_for_child
from app.timeutil import utcnow


def _shown_version_id(session: Session, child_id: int) -> int | None:
    """The version the family side shows: the latest agreed one, or the draft before any is agreed."""
    plan = open_plan_for_child(session=session, child_id=child_id)
    return family_version(session=session, plan_id=plan.id or 0).id if plan is not None else None


def own_commitment(*, session: Session, actor: Actor, child_id: int, commitment_id: int) -> CarerCommitment:
    """One of the actor's own commitments in the plan the family sees; NotFound for anything else."""
    policy.require("commitments.update_own", session=session, actor=actor, child_id=child_id)
    commitment = session.get(CarerCommitment, commitment_id)
    if (
        commitment is None
        or commitment.member_id is None
        or commitment.member_id != actor.account_id
        or commitment.version_id != _shown_version_id(session, child_id)
    ):
        raise NotFound()
    return commitment


STALE = "the commitment changed since you opened it"
# "Done" states no starting point, so losing a race to another phone is no conflict: look again and,
# if it is not already so, write after what the other phone wrote. Twice is plenty for one person.
MARK_DONE_ATTEMPTS = 2


def _append(
    session: Session,
    actor: Actor,
    child_id: int,
    commitment: CarerCommitment,
    now: CommitmentProgress | None,
    *,
    done: bool,
    comment: str | None,
) -> CommitmentUpdate:
    """Add the update after `now` (the latest seen); Conflict if another was added after it first."""
    row = CommitmentUpdate(
        commitment_id=commitment.id or 0,
        number=(now.latest_number if now is not None else 0) + 1,
        member_id=actor.account_id,
        done=done,
        comment=comment,
        at=utcnow(),
    )
    insert_or_conflict(session, row, STALE)
    record_change(
        session=session, actor=actor, child_id=child_id, entity="commitment_update", entity_id=row.id, action="created"
    )
    return row


def mark_done(
    *, session: Session, actor: Actor, child_id: int, commitment_id: int, done: bool
) -> CommitmentUpdate | None:
    """Mark one's own commitment done, or (undo) not done; the comment stays. None if nothing changed."""
    commitment = own_commitment(session=session, actor=actor, child_id=child_id, commitment_id=commitment_id)
    attempts_left = MARK_DONE_ATTEMPTS
    while True:
        now = current_progress(session=session, commitment_id=commitment_id)
        if (now.done if now is not None else False) == done:
            return None  # already so: pressing twice (or on two phones) adds nothing
        try:
            return _append(session, actor, child_id, commitment, now, done=done, comment=now.comment if now else None)
        except Conflict:
            attempts_left -= 1
            if not attempts_left:
                raise


def comment_on(
    *, session: Session, actor: Actor, child_id: int, commitment_id: int, comment: CommentInput
) -> CommitmentUpdate | None:
    """Set (or, with empty text, remove) one's comment on one's own commitment.

    `comment.expected_latest` is the latest update id the person saw (0 for none): if the status
    changed since, nothing is written and Conflict says so, so no one's words are silently replaced (R24).
    """
    commitment = own_commitment(session=session, actor=actor, child_id=child_id, commitment_id=commitment_id)
    clean = comment.comment
    now = current_progress(session=session, commitment_id=commitment_id)
    if (now.latest_update_id if now is not None else 0) != comment.expected_latest:
        raise Conflict(STALE)
    if (now.comment if now is not None else None) == (clean or None):
        return None
    return _append(session, actor, child_id, commitment, now, done=now.done if now else False, comment=clean or None)
