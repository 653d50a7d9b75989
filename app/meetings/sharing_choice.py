"""Who sees what, chosen at the agreement with the young person (issue 9, item 6).

The choice is the young person's own sharing choice (app.access.sharing), saved through the same
service as their privacy page: the same revision token, the same locks, the same conflict. Only
the way in differs: the meeting must be running, and either the young person chooses on their own
phone, or a plan editor running the meeting ticks the boxes as the young person says. A parent or
trusted adult never chooses, not even the trusted adult facilitating (the policy says so:
"sharing.choose_with_young_person"). The young person can change it later on their privacy page.

Parental responsibility: a parent or carer whose name is on the plan's parental responsibility
list (the draft being agreed) is offered "where to be taken if found when missing", which lives
in the emergency section (app.plans.sections has no finer part). The match is by name, as the
plan records names, not links: the smallest honest link, and the page says it is offered, so a
worker sees when a name on the list matches nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.access import sharing
from app.actors import Actor
from app.auth.models import AccountKind
from app.errors import NotFound
from app.meetings.inputs import WhoSeesWhatInput
from app.meetings.models import Meeting, MeetingPerson, MeetingStatus
from app.meetings.operations import runnable
from app.plans.models import ParentalResponsibility
from app.plans.read_model import items_of
from app.plans.sections import Section
from app.plans.versions import draft_of

# Where to take the young person if found when missing is part of this section.
MISSING_FROM_HOME = Section.EMERGENCY


@dataclass(frozen=True)
class Choosing:
    """One person the young person chooses for, and whether they are offered the missing-from-home part."""

    person: sharing.PersonSharing
    offered_missing: bool


@dataclass(frozen=True)
class WhoSeesWhat:
    """The "who sees what" form: everyone linked to the child, and the state it was made from."""

    people: list[Choosing]
    seen: str

    @property
    def names(self) -> dict[int, str]:
        return {c.person.member_id: c.person.name for c in self.people}


def _names_with_responsibility(session: Session, meeting: Meeting) -> list[str]:
    draft = draft_of(session=session, plan_id=meeting.plan_id)
    rows = items_of(session, ParentalResponsibility, draft.id)
    return [row.name for row in rows if row.has_parental_responsibility]


def who_sees_what(*, session: Session, actor: Actor, meeting: Meeting) -> WhoSeesWhat:
    """The form's people and sections, as chosen now (the caller has checked the meeting is theirs)."""
    people = sharing.sharing_overview(session=session, actor=actor, child_id=meeting.child_id)
    names = _names_with_responsibility(session, meeting)
    return WhoSeesWhat(
        people=[Choosing(person=p, offered_missing=sharing.holds_parental_responsibility(p, names)) for p in people],
        seen=sharing.page_token(people),
    )


def _check_meeting(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    """The running meeting, if the actor runs it (a plan editor) or is the young person invited to it."""
    if actor.kind != AccountKind.FAMILY:
        return runnable(session=session, actor=actor, meeting_id=meeting_id)
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.status != MeetingStatus.OPEN:
        raise NotFound()
    invited = session.exec(
        select(MeetingPerson.id).where(
            MeetingPerson.meeting_id == meeting_id, MeetingPerson.member_id == actor.account_id
        )
    ).first()
    if invited is None:
        raise NotFound()
    return meeting


def choose_with_young_person(*, session: Session, actor: Actor, meeting_id: int, choice: WhoSeesWhatInput) -> int:
    """Save who sees what, chosen with the young person at the agreement; how many choices changed.

    sharing.SharingChanged when the choices changed since the page was opened (nothing written).
    """
    meeting = _check_meeting(session, actor, meeting_id)
    if meeting.status != MeetingStatus.OPEN:
        raise NotFound()
    return sharing.choose_sharing(
        session=session,
        actor=actor,
        child_id=meeting.child_id,
        # By value: a Section hashes by its name, the service looks pairs up by the section's value.
        chosen={(member_id, section.value) for member_id, section in choice.chosen},
        seen=choice.seen,
        with_young_person=True,
    )
