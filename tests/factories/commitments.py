"""Carers' commitments in a plan ("Lisa will report Jordan missing...") and their progress."""

from __future__ import annotations

from sqlmodel import Session

from app.commitments.inputs import CommentInput
from app.commitments.models import CommitmentUpdate
from app.commitments.operations import comment_on, mark_done
from app.people.models import Child, FamilyMember, Practitioner
from app.plans.inputs import CommitmentInput
from app.plans.models import CarerCommitment, CommitmentKind, PlanVersion
from tests.factories.people import actor
from tests.factories.plans import add


def commitment_input(
    carer: FamilyMember,
    commitment: str,
    *,
    kind: CommitmentKind = CommitmentKind.DO,
    by_when: str = "",
    who: str | None = None,
) -> CommitmentInput:
    """What a practitioner writes at the meeting for one carer; `who` defaults to the carer's name."""
    return CommitmentInput(
        who=who or carer.display_name, member_id=carer.id, kind=kind, commitment=commitment, by_when=by_when
    )


def commitment(
    db: Session,
    version: PlanVersion,
    carer: FamilyMember,
    text: str,
    *,
    by: Practitioner,
    kind: CommitmentKind = CommitmentKind.DO,
    by_when: str = "",
    who: str | None = None,
) -> CarerCommitment:
    """One carer's commitment added to a draft (agree the plan to show it to the family)."""
    (row,) = add(db, version, commitment_input(carer, text, kind=kind, by_when=by_when, who=who), by=by)
    assert isinstance(row, CarerCommitment)
    return row


def done(db: Session, of: Child, row: CarerCommitment, *, by: FamilyMember) -> CommitmentUpdate | None:
    """The carer marks their own commitment done."""
    return mark_done(session=db, actor=actor(by), child_id=of.id or 0, commitment_id=row.id or 0, done=True)


def comment(
    db: Session, of: Child, row: CarerCommitment, words: str, *, by: FamilyMember, expected_latest: int = 0
) -> CommitmentUpdate | None:
    return comment_on(
        session=db,
        actor=actor(by),
        child_id=of.id or 0,
        commitment_id=row.id or 0,
        comment=CommentInput.parse({"comment": words, "expected_latest": expected_latest}),
    )
