"""Who sees what at the agreement, through the service layer (app.meetings.sharing_choice)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.access import policy
from app.access.sharing import SharingChanged
from app.audit.models import AuditEvent
from app.errors import NotFound, ValidationFailed
from app.meetings import operations, sharing_choice
from app.meetings.inputs import WhoSeesWhatInput
from app.meetings.models import Meeting
from app.people.models import FamilyLink, FamilyMember
from app.plans.inputs import ParentalResponsibilityInput
from app.plans.sections import Section
from tests.factories import meetings, people, plans
from tests.factories.people import Case


@pytest.fixture
def meeting(db: Session, case: Case) -> Meeting:
    """Jordan's plan names "lisa  ELLIS" (as typed) with parental responsibility, and Dee's
    name only as able to make some decisions; the meeting is running."""
    plan = plans.plan(db, case.child, by=case.worker)
    plans.add(
        db,
        plans.draft(db, plan),
        ParentalResponsibilityInput(name="lisa  ELLIS", relationship="Mum"),
        ParentalResponsibilityInput(name="Denise Carter", has_parental_responsibility=False),
        by=case.worker,
    )
    scheduled = meetings.meeting(db, case.child, by=case.worker)
    operations.open_meeting(
        session=db, actor=people.actor(case.worker), meeting_id=scheduled.id or 0, expected_revision=scheduled.revision
    )
    return scheduled


def _sees(db: Session, case: Case, member: FamilyMember) -> frozenset[Section]:
    link = db.exec(
        select(FamilyLink).where(FamilyLink.child_id == case.child_id, FamilyLink.member_id == member.id)
    ).one()
    return policy.sections_for(db, link)


def _choice(db: Session, case: Case, meeting: Meeting, *extra: tuple[FamilyMember, Section]) -> WhoSeesWhatInput:
    """Everything as shown now, plus `extra`."""
    form = sharing_choice.who_sees_what(session=db, actor=people.actor(case.worker), meeting=meeting)
    chosen = [(c.person.member_id, s) for c in form.people for s in c.person.shareable if s in c.person.visible]
    chosen += [(member.id or 0, section) for member, section in extra]
    return WhoSeesWhatInput.parse({"seen": form.seen, "chosen": chosen})


def test_only_the_parent_named_with_parental_responsibility_is_offered_the_missing_part(
    db: Session, case: Case, meeting: Meeting
) -> None:
    form = sharing_choice.who_sees_what(session=db, actor=people.actor(case.worker), meeting=meeting)
    offered = {c.person.name: c.offered_missing for c in form.people}
    assert offered == {"Lisa Ellis": True, "Denise Carter": False}  # Dee is no parent, and holds none
    assert sharing_choice.MISSING_FROM_HOME == Section.EMERGENCY


@pytest.mark.parametrize("who", ["worker", "young_person"])
def test_the_worker_or_the_young_person_saves_it_as_the_young_persons_choice(
    db: Session, case: Case, meeting: Meeting, who: str
) -> None:
    choice = _choice(db, case, meeting, (case.parent, Section.EMERGENCY))
    changed = sharing_choice.choose_with_young_person(
        session=db, actor=people.actor(getattr(case, who)), meeting_id=meeting.id or 0, choice=choice
    )
    assert changed == 1 and Section.EMERGENCY in _sees(db, case, case.parent)
    audit = db.exec(select(AuditEvent).where(AuditEvent.action == "chosen_with_young_person")).all()
    assert len(audit) == 1 and audit[0].entity == "section_share"


@pytest.mark.parametrize("who", ["parent", "trusted_adult"])
def test_nobody_else_in_the_family_chooses(db: Session, case: Case, meeting: Meeting, who: str) -> None:
    choice = _choice(db, case, meeting, (case.parent, Section.EMERGENCY))
    with pytest.raises(NotFound):
        sharing_choice.choose_with_young_person(
            session=db, actor=people.actor(getattr(case, who)), meeting_id=meeting.id or 0, choice=choice
        )
    assert Section.EMERGENCY not in _sees(db, case, case.parent)


def test_only_while_the_meeting_runs(db: Session, case: Case) -> None:
    plans.plan(db, case.child, by=case.worker)
    scheduled = meetings.meeting(db, case.child, by=case.worker)
    choice = WhoSeesWhatInput.parse({"seen": "", "chosen": []})
    for who in (case.worker, case.young_person):
        with pytest.raises(NotFound):
            sharing_choice.choose_with_young_person(
                session=db, actor=people.actor(who), meeting_id=scheduled.id or 0, choice=choice
            )


def test_a_stale_form_is_refused_with_what_changed(db: Session, case: Case, meeting: Meeting) -> None:
    stale = _choice(db, case, meeting, (case.parent, Section.SAFE_WORD))
    sharing_choice.choose_with_young_person(
        session=db,
        actor=people.actor(case.young_person),
        meeting_id=meeting.id or 0,
        choice=_choice(db, case, meeting, (case.trusted_adult, Section.REVIEW)),
    )
    with pytest.raises(SharingChanged) as refused:
        sharing_choice.choose_with_young_person(
            session=db, actor=people.actor(case.worker), meeting_id=meeting.id or 0, choice=stale
        )
    assert [c.kind for c in refused.value.changes] == ["shared"]
    assert Section.SAFE_WORD not in _sees(db, case, case.parent)


@pytest.mark.parametrize(
    "data",
    [
        {"seen": "", "chosen": [(1, "not_a_section")]},
        {"seen": "", "chosen": [(-1, "review")]},
        {"seen": "x" * 9000},
        {"chosen": []},
    ],
)
def test_the_input_is_typed_and_limited(data: dict[str, object]) -> None:
    with pytest.raises(ValidationFailed):
        WhoSeesWhatInput.parse(data)
