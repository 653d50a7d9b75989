"""Parents and carers mark their own commitments done (or not done any more) and comment on them.

A commitment belongs to an agreed version, which never changes (app.plans.immutability), so
progress is a separate, append-only history (`CommitmentUpdate`): each change adds a row that
carries the whole status (done, comment), and the latest row is the status now. Undoing is one
more row, so what happened stays on record.
"""

from __future__ import annotations

from sqlmodel import Session

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_change
from app.commitments.inputs import CommentInput
from app.commitments.models import CommitmentUpdate
from app.commitments.queries import current_progress
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


def _append(
    session: Session, actor: Actor, child_id: int, commitment: CarerCommitment, *, done: bool, comment: str | None
) -> CommitmentUpdate:
    row = CommitmentUpdate(
        commitment_id=commitment.id or 0, member_id=actor.account_id, done=done, comment=comment, at=utcnow()
    )
    session.add(row)
    session.flush()
    record_change(
        session=session, actor=actor, child_id=child_id, entity="commitment_update", entity_id=row.id, action="created"
    )
    return row


def mark_done(
    *, session: Session, actor: Actor, child_id: int, commitment_id: int, done: bool
) -> CommitmentUpdate | None:
    """Mark one's own commitment done, or (undo) not done; the comment stays. None if nothing changed."""
    commitment = own_commitment(session=session, actor=actor, child_id=child_id, commitment_id=commitment_id)
    now = current_progress(session=session, commitment_id=commitment_id)
    if (now.done if now is not None else False) == done:
        return None  # already so: pressing twice (or on two phones) adds nothing
    return _append(session, actor, child_id, commitment, done=done, comment=now.comment if now else None)


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
        raise Conflict("the commitment changed since you opened it")
    if (now.comment if now is not None else None) == (clean or None):
        return None
    return _append(session, actor, child_id, commitment, done=now.done if now else False, comment=clean or None)
