"""Cases through the service layer: opening a case, the age rule, duplicates, and the case team."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from app.actors import Actor
from app.auth.models import AccountKind
from app.cases import operations, queries
from app.cases.inputs import NewYoungPerson, age_on
from app.demo.seed import DemoPeople
from app.errors import NotFound, ValidationFailed
from app.people.inputs import AssignmentInput
from app.people.models import CaseAssignment, CaseRole, Practitioner
from app.plans.models import PlanVersion
from app.timeutil import today


def _actor(db: Session, email: str) -> Actor:
    practitioner = db.exec(select(Practitioner).where(Practitioner.email == email)).one()
    return Actor(kind=AccountKind.PRACTITIONER, account_id=practitioner.id or 0)


def _years_ago(years: int) -> date:
    now = today()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _person(**change: object) -> NewYoungPerson:
    fields: dict[str, object] = {
        "first_name": "Riley",
        "last_name": "Stone",
        "date_of_birth": _years_ago(15).isoformat(),
        "meeting_type": "safer_me",
        "open_to_csw": "no",
    }
    return NewYoungPerson.parse({**fields, **change})


def test_age_counts_whole_years_up_to_the_birthday() -> None:
    assert age_on(date(2012, 5, 9), date(2023, 5, 8)) == 10
    assert age_on(date(2012, 5, 9), date(2023, 5, 9)) == 11
    # Born on 29 February: a year older on 1 March in other years.
    assert age_on(date(2012, 2, 29), date(2023, 2, 28)) == 10
    assert age_on(date(2012, 2, 29), date(2023, 3, 1)) == 11


@pytest.mark.parametrize(
    ("born", "code"),
    [
        (lambda: today() + timedelta(days=1), "future"),
        (lambda: _years_ago(11) + timedelta(days=1), "too_young"),
        (lambda: _years_ago(19), "too_old"),
    ],
)
def test_the_date_of_birth_must_make_them_eleven_to_eighteen_today(born: object, code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _person(date_of_birth=born().isoformat())  # type: ignore[operator]
    assert "date_of_birth" in refused.value.errors
    message = str(refused.value.errors["date_of_birth"])
    assert ("future" in message) if code == "future" else ("A Safer Plan is for young people aged 11 to 18" in message)


def test_the_age_refusal_names_the_age_the_date_gives() -> None:
    with pytest.raises(ValidationFailed) as refused:
        _person(date_of_birth=_years_ago(25).isoformat())
    assert "they are 25 today" in str(refused.value.errors["date_of_birth"])


def test_eleven_today_and_eighteen_until_the_nineteenth_birthday_are_in_range() -> None:
    assert _person(date_of_birth=_years_ago(11).isoformat()).date_of_birth == _years_ago(11)
    last_day = _years_ago(19) + timedelta(days=1)
    assert _person(date_of_birth=last_day.isoformat()).date_of_birth == last_day


def test_opening_a_case_allocates_the_worker_and_starts_an_empty_draft(db: Session, demo: DemoPeople) -> None:
    alex = _actor(db, demo.other_worker_email)
    case = operations.add_young_person(
        session=db, actor=alex, person=_person(school="Oak Lane", open_to_csw="yes", meeting_type="safer_me_plus")
    )
    assert case.child.preferred_name == "Riley"  # their first name when none is given
    assert case.child.school == "Oak Lane" and case.child.open_to_csw is True
    assert (case.allocation.practitioner_id, case.allocation.case_role) == (alex.account_id, "allocated_worker")
    assert case.allocation.created_by == alex.label
    assert case.plan.meeting_type == "safer_me_plus" and case.plan.child_id == case.child.id
    versions = db.exec(select(PlanVersion).where(PlanVersion.plan_id == case.plan.id)).all()
    assert [(v.number, v.agreed_at) for v in versions] == [(1, None)]


def test_only_those_who_can_hold_a_case_may_open_one(db: Session, demo: DemoPeople) -> None:
    for email in (demo.manager_email, demo.chair_email, demo.agency_partner_email, demo.admin_email):
        with pytest.raises(NotFound):
            operations.add_young_person(session=db, actor=_actor(db, email), person=_person())
    family = Actor(kind=AccountKind.FAMILY, account_id=demo.young_person_id)
    with pytest.raises(NotFound):
        operations.add_young_person(session=db, actor=family, person=_person())


def test_a_possible_duplicate_is_refused_until_the_worker_says_it_is_someone_else(
    db: Session, demo: DemoPeople
) -> None:
    alex = _actor(db, demo.other_worker_email)
    kay = {"first_name": "KAYLA", "last_name": "brooks", "date_of_birth": "2011-02-17"}
    with pytest.raises(operations.PossibleDuplicate) as flagged:
        operations.add_young_person(session=db, actor=alex, person=_person(**kay))
    assert [c.id for c in flagged.value.matches] == [demo.kayla_id]
    assert "different_person" in flagged.value.errors
    case = operations.add_young_person(session=db, actor=alex, person=_person(**kay, different_person="on"))
    assert case.child.id != demo.kayla_id


def test_the_team_lists_everyone_by_case_role_and_partners_by_agency(db: Session, demo: DemoPeople) -> None:
    view = queries.case_team(session=db, actor=_actor(db, demo.other_worker_email), child_id=demo.kayla_id)
    assert [m.name for m in view.in_role(CaseRole.ALLOCATED_WORKER)] == ["Alex Morgan"]
    assert [m.name for m in view.in_role(CaseRole.CHAIR)] == ["Priya Shah"]
    assert [m.name for m in view.in_role(CaseRole.TEAM_MEMBER)] == ["Nadia Rahman"]
    partners = next(g for g in view.groups if g.case_role == CaseRole.AGENCY_PARTNER)
    assert [(agency, [m.name for m in people]) for agency, people in partners.by_agency] == [
        ("health", ["Ben Carter"]),
        ("school", ["Jo Whitaker"]),
    ]
    assert view.manages and not view.in_role(CaseRole.ALLOCATED_WORKER)[0].removable


def test_a_manager_reads_the_team_but_may_not_change_it(db: Session, demo: DemoPeople) -> None:
    morgan = _actor(db, demo.manager_email)
    view = queries.case_team(session=db, actor=morgan, child_id=demo.jordan_id)
    assert not view.manages
    alex = _actor(db, demo.other_worker_email)
    with pytest.raises(NotFound):
        operations.add_to_team(
            session=db,
            actor=morgan,
            child_id=demo.jordan_id,
            member=AssignmentInput(practitioner_id=alex.account_id, case_role=CaseRole.TEAM_MEMBER),
        )


def test_adding_someone_already_on_the_case_or_an_admin_is_refused(db: Session, demo: DemoPeople) -> None:
    sam = _actor(db, demo.social_worker_email)
    for email, message in ((demo.chair_email, "already on this case team"), (demo.admin_email, "from the list")):
        with pytest.raises(ValidationFailed) as refused:
            operations.add_to_team(
                session=db,
                actor=sam,
                child_id=demo.jordan_id,
                member=AssignmentInput(practitioner_id=_actor(db, email).account_id, case_role=CaseRole.TEAM_MEMBER),
            )
        assert message in str(refused.value.errors["practitioner_id"])


def test_the_last_allocated_worker_stays_and_a_handover_adds_the_next_one_first(db: Session, demo: DemoPeople) -> None:
    sam = _actor(db, demo.social_worker_email)
    sams = db.exec(
        select(CaseAssignment).where(
            CaseAssignment.child_id == demo.jordan_id, CaseAssignment.practitioner_id == sam.account_id
        )
    ).one()
    with pytest.raises(ValidationFailed) as refused:
        operations.remove_from_team(session=db, actor=sam, child_id=demo.jordan_id, assignment_id=sams.id or 0)
    assert "only allocated worker" in str(refused.value.errors["__all__"])
    assert sams.ended_on is None
    alex = _actor(db, demo.other_worker_email)
    operations.add_to_team(
        session=db,
        actor=sam,
        child_id=demo.jordan_id,
        member=AssignmentInput(practitioner_id=alex.account_id, case_role=CaseRole.ALLOCATED_WORKER),
    )
    ended = operations.remove_from_team(session=db, actor=sam, child_id=demo.jordan_id, assignment_id=sams.id or 0)
    assert ended.ended_on == today() and ended.updated_by == sam.label
    live = db.exec(
        select(CaseAssignment.practitioner_id).where(
            CaseAssignment.child_id == demo.jordan_id,
            CaseAssignment.case_role == CaseRole.ALLOCATED_WORKER,
            col(CaseAssignment.ended_on).is_(None),
        )
    ).all()
    assert live == [alex.account_id]
    # Sam is off the case: he can no longer change its team.
    with pytest.raises(NotFound):
        operations.remove_from_team(session=db, actor=sam, child_id=demo.jordan_id, assignment_id=sams.id or 0)


def test_an_assignment_is_removed_only_under_its_own_case(db: Session, demo: DemoPeople) -> None:
    alex = _actor(db, demo.other_worker_email)
    rhys = _actor(db, demo.agency_partner_email)
    rhys_on_jordan = db.exec(
        select(CaseAssignment.id).where(
            CaseAssignment.child_id == demo.jordan_id, CaseAssignment.practitioner_id == rhys.account_id
        )
    ).one()
    with pytest.raises(NotFound):
        operations.remove_from_team(session=db, actor=alex, child_id=demo.kayla_id, assignment_id=rhys_on_jordan or 0)


def test_only_a_social_worker_or_lead_professional_can_be_the_allocated_worker(db: Session, demo: DemoPeople) -> None:
    sam = _actor(db, demo.social_worker_email)
    jo = _actor(db, "jo.whitaker@example.org")  # a school's safeguarding lead (agency partner)
    with pytest.raises(ValidationFailed) as refused:
        operations.add_to_team(
            session=db,
            actor=sam,
            child_id=demo.jordan_id,
            member=AssignmentInput(practitioner_id=jo.account_id, case_role=CaseRole.ALLOCATED_WORKER),
        )
    assert "An allocated worker is a social worker or a lead professional" in str(refused.value.errors["case_role"])
    # In another role she joins.
    joined = operations.add_to_team(
        session=db,
        actor=sam,
        child_id=demo.jordan_id,
        member=AssignmentInput(practitioner_id=jo.account_id, case_role=CaseRole.AGENCY_PARTNER),
    )
    assert joined.case_role == CaseRole.AGENCY_PARTNER
