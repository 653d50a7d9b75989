"""A plan with many items of every kind, agreed, and family work in its draft since (for cost tests)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.access.policy import shareable_sections
from app.people.models import Agency, FamilyRole
from app.plans.inputs import (
    ActionInput,
    AgencyActionInput,
    ContactInput,
    ItemInput,
    NetworkPersonInput,
    ParentalResponsibilityInput,
    PlaceInput,
)
from app.plans.models import AgencyActionKind, CarerCommitment, Moment, Safety, StatementKind
from tests.factories import access, commitments, cowriting, meetings, plans
from tests.factories.people import Case
from tests.factories.plans import AgreedPlan, statement


def _item(case: Case, n: int) -> ItemInput:
    """The n-th item of a busy plan: every kind of list in turn, some of them not safe."""
    kinds = (
        lambda: statement(f"I will text my aunt {n}", moment=Moment.EVERYDAY, kind=StatementKind.WILL),
        lambda: statement(f"I can go to the library {n}", moment=Moment.EMERGENCY, kind=StatementKind.CAN),
        lambda: ActionInput(who="Sam Okafor", action=f"Visit weekly {n}", aim="Keep in touch", success="Seen"),
        lambda: ContactInput(name=f"Aunt Dee {n}", relationship="Aunt", phone="07700 900123"),
        lambda: PlaceInput(name=f"Library {n}", safety=Safety.SAFE if n % 2 else Safety.NOT_SAFE),
        lambda: NetworkPersonInput(name=f"Person {n}", safety=Safety.SAFE if n % 2 else Safety.NOT_SAFE),
        lambda: commitments.commitment_input(case.parent, f"Report Jordan missing {n}"),
        lambda: AgencyActionInput(
            agency=Agency.POLICE,
            kind=AgencyActionKind.INCREASE_SAFETY if n % 2 else AgencyActionKind.PREVENT_DISRUPT,
            action=f"Patrol the park {n}",
            due_on=date(2026, 12, 14),
        ),
        lambda: ParentalResponsibilityInput(name=f"Lisa Ellis {n}", relationship="Mum"),
    )
    return kinds[n % len(kinds)]()


def busy_plan(db: Session, case: Case, *, items: int) -> AgreedPlan:
    """Jordan's plan with `items` items agreed, everything shared with his mum and his aunt, carers'
    progress, the family's ideas, places and people to call in the draft since, and a meeting."""
    agreed = plans.agreed_plan(db, case.child, *(_item(case, n) for n in range(items)), by=case.worker)
    chosen = [
        (who, section)
        for who, role in ((case.parent, FamilyRole.PARENT_CARER), (case.trusted_adult, FamilyRole.TRUSTED_ADULT))
        for section in shareable_sections(role)
    ]
    access.share(db, case.child, *chosen, by=case.young_person)
    for row in agreed.items:
        if isinstance(row, CarerCommitment):
            commitments.done(db, case.child, row, by=case.parent)
    for n in range(max(1, items // 20)):
        cowriting.idea(db, case.child, f"I can call Dee {n}", by=case.young_person)
        cowriting.idea(db, case.child, f"I might go to the gym {n}", by=case.trusted_adult)
    cowriting.safe_place(db, case.child, "Grandma's", by=case.young_person)
    cowriting.person_to_call(db, case.child, "Coach", "07700 900456", by=case.trusted_adult)
    meetings.meeting(db, case.child, by=case.worker)
    return agreed
