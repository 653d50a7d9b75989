"""Issue 9 item 1: a worker adds a young person (and holds their case), and the case team is kept
on its own page: who holds which case role, add someone, remove someone after a confirmation."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from app import SaferPlan
from app.audit.models import AuditEvent
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.people.models import CaseAssignment, CaseRole, Child
from app.plans.versions import draft_of, open_plan_for_child
from app.timeutil import today
from tests.support.clients import CsrfClient, make_client
from tests.support.roles import practitioner_id
from tests.support.signin import sign_in_as


def born(years: int, days: int = 0) -> str:
    """The date of birth of someone `years` old today, moved `days` later (ISO, as a date box sends)."""
    now = today()
    try:
        birthday = now.replace(year=now.year - years)
    except ValueError:  # 29 February in a year without one
        birthday = now.replace(year=now.year - years, day=28)
    return (birthday + timedelta(days=days)).isoformat()


GOOD = {
    "first_name": "Riley",
    "last_name": "Stone",
    "preferred_name": "Ri",
    "date_of_birth": born(14),
    "school": "Westfield High School",
    "meeting_type": "safer_me_plus",
    "open_to_csw": "yes",
}


def _as(application: SaferPlan, db: Session, email: str) -> CsrfClient:
    client = make_client(application.practitioner)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=practitioner_id(db, email))
    return client


@pytest.fixture
def alex(unallocated_worker: CsrfClient) -> CsrfClient:
    """Alex Morgan, lead professional (Early Help West): Kay's allocated worker."""
    return unallocated_worker


@pytest.fixture
def chair(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    return _as(application, db, demo.chair_email)


@pytest.fixture
def agency_partner(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    return _as(application, db, demo.agency_partner_email)


def _children_named(db: Session, first: str, last: str) -> list[Child]:
    return [c for c in db.exec(select(Child)).all() if (c.first_name, c.last_name) == (first, last)]


def _live(db: Session, child_id: int) -> list[tuple[int, str]]:
    rows = db.exec(
        select(CaseAssignment).where(CaseAssignment.child_id == child_id, col(CaseAssignment.ended_on).is_(None))
    ).all()
    return sorted((a.practitioner_id, a.case_role) for a in rows)


# --- Adding a young person -------------------------------------------------------------------------


def test_the_caseload_offers_adding_a_young_person_only_to_those_who_may(
    application: SaferPlan, db: Session, demo: DemoPeople, alex: CsrfClient, allocated_worker: CsrfClient
) -> None:
    for client in (alex, allocated_worker):
        assert "/children/new" in client.get("/").get_data(as_text=True)
    for email in (demo.manager_email, demo.chair_email, demo.agency_partner_email, demo.admin_email):
        assert "/children/new" not in _as(application, db, email).get("/").get_data(as_text=True), email


def test_a_worker_adds_a_young_person_holds_the_case_and_the_empty_plan_opens(
    db: Session, demo: DemoPeople, alex: CsrfClient
) -> None:
    form = alex.get("/children/new")
    assert form.status_code == 200
    response = alex.post("/children/new", data=GOOD)
    assert response.status_code == 303
    (riley,) = _children_named(db, "Riley", "Stone")
    assert response.headers["Location"].endswith(f"/children/{riley.id}/team?done=opened")
    assert (riley.preferred_name, riley.school, riley.open_to_csw) == ("Ri", "Westfield High School", True)
    assert riley.date_of_birth == date.fromisoformat(GOOD["date_of_birth"])
    alex_id = practitioner_id(db, demo.other_worker_email)
    assert _live(db, riley.id or 0) == [(alex_id, CaseRole.ALLOCATED_WORKER)]
    plan = open_plan_for_child(session=db, child_id=riley.id or 0)
    assert plan is not None and plan.meeting_type == "safer_me_plus"
    assert draft_of(session=db, plan_id=plan.id or 0).number == 1
    team = alex.get(f"/children/{riley.id}/team?done=opened").get_data(as_text=True)
    assert "Ri is added. You are their allocated worker, and their draft plan is ready." in team
    facts = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", team))
    assert "School Westfield High School" in facts and "Meeting Safer Me Plus" in facts
    assert "Open to Children's Social Work Yes" in facts
    assert alex.get(f"/children/{riley.id}").status_code == 200
    caseload = alex.get("/").get_data(as_text=True)
    assert "Riley Stone" in caseload and "Safer Me Plus" in caseload
    audited = db.exec(select(AuditEvent.entity, AuditEvent.action).where(AuditEvent.child_id == riley.id)).all()
    assert ("child", "created") in audited and ("case_assignment", "created") in audited


def test_with_htmx_the_browser_is_sent_to_the_new_case(db: Session, alex: CsrfClient) -> None:
    response = alex.post("/children/new", data=GOOD, headers={"HX-Request": "true"})
    assert response.status_code == 200
    (riley,) = _children_named(db, "Riley", "Stone")
    assert response.headers["HX-Redirect"].endswith(f"/children/{riley.id}/team?done=opened")


def test_the_preferred_name_is_their_first_name_when_left_empty_and_school_is_optional(
    db: Session, alex: CsrfClient
) -> None:
    assert alex.post("/children/new", data={**GOOD, "preferred_name": "", "school": ""}).status_code == 303
    (riley,) = _children_named(db, "Riley", "Stone")
    assert riley.preferred_name == "Riley" and riley.school is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Enter the young person's first name."),
        ({"last_name": "  "}, "last_name", "Enter the young person's last name."),
        ({"first_name": "x" * 121}, "first_name", "Keep it under 120 characters."),
        ({"first_name": "\u200b"}, "first_name", "This looks blank"),
        ({"preferred_name": "a\x00b"}, "preferred_name", "hidden control characters"),
        ({"school": "s" * 121}, "school", "Keep it under 120 characters."),
        ({"date_of_birth": ""}, "date_of_birth", "Enter their date of birth."),
        ({"date_of_birth": "27/03/2012"}, "date_of_birth", "Enter a date, like 2026-12-14."),
        ({"date_of_birth": "2012-02-30"}, "date_of_birth", "Enter a date, like 2026-12-14."),
        ({"date_of_birth": born(0, days=1)}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": born(11, days=1)}, "date_of_birth", "they are 10 today. A Safer Plan is for young"),
        ({"date_of_birth": born(19)}, "date_of_birth", "they are 19 today. A Safer Plan is for young"),
        ({"meeting_type": ""}, "meeting_type", "Choose Safer Me or Safer Me Plus."),
        ({"meeting_type": "context_conference"}, "meeting_type", "Choose Safer Me or Safer Me Plus."),
        ({"open_to_csw": ""}, "open_to_csw", "Say whether they are open to Children's Social Work."),
        ({"open_to_csw": "maybe"}, "open_to_csw", "Say whether they are open to Children's Social Work."),
    ],
)
def test_every_field_says_what_is_wrong_and_keeps_everything_typed(
    db: Session, alex: CsrfClient, change: dict[str, str], field: str, message: str
) -> None:
    typed = {**GOOD, **change}
    response = alex.post("/children/new", data=typed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    # The summary links to the box, and the box is marked invalid.
    assert f'href="#{field}"' in html and f'id="{field}"' in html
    assert f'id="{field}-error"' in html
    for name in ("first_name", "last_name", "preferred_name", "school"):
        if "\x00" not in typed[name] and typed[name].strip():
            assert f'value="{typed[name]}"' in html, name
    assert f'value="{typed["date_of_birth"]}"' in html
    if typed["meeting_type"] == "safer_me_plus":
        assert 'value="safer_me_plus" checked' in html
    if typed["open_to_csw"] == "yes":
        assert 'value="yes" checked' in html
    assert _children_named(db, "Riley", "Stone") == []


def test_the_age_range_includes_eleven_and_eighteen_year_olds(db: Session, alex: CsrfClient) -> None:
    eleven_today = {**GOOD, "date_of_birth": born(11)}
    nineteen_tomorrow = {**GOOD, "first_name": "Sky", "date_of_birth": born(19, days=1)}
    assert alex.post("/children/new", data=eleven_today).status_code == 303
    assert alex.post("/children/new", data=nineteen_tomorrow).status_code == 303


def test_several_refusals_at_once_are_all_listed(alex: CsrfClient) -> None:
    html = alex.post("/children/new", data={"school": "Oak Lane"}).get_data(as_text=True)
    for name in ("first_name", "last_name", "date_of_birth", "meeting_type", "open_to_csw"):
        assert f'href="#{name}"' in html
    assert 'value="Oak Lane"' in html


def test_with_htmx_a_refusal_comes_back_as_the_form_alone(alex: CsrfClient) -> None:
    response = alex.post("/children/new", data={**GOOD, "first_name": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<div id="new-young-person">')
    assert 'value="Stone"' in html and "HX-Request" in response.headers["Vary"]


def test_a_young_person_already_on_the_caseload_is_flagged_before_a_second_record(
    db: Session, demo: DemoPeople, alex: CsrfClient
) -> None:
    kay_again = {**GOOD, "first_name": "kayla", "last_name": "BROOKS", "date_of_birth": "2011-02-17"}
    response = alex.post("/children/new", data=kay_again)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "already on your caseload" in html
    assert f'href="/children/{demo.kayla_id}"' in html
    assert 'id="different_person"' in html and 'value="kayla"' in html
    assert len([c for c in db.exec(select(Child)).all() if c.last_name.lower() == "brooks"]) == 1
    # The worker says it is someone else: then they are added.
    assert alex.post("/children/new", data={**kay_again, "different_person": "yes"}).status_code == 303
    assert len([c for c in db.exec(select(Child)).all() if c.last_name.lower() == "brooks"]) == 2


def test_the_duplicate_check_looks_only_at_the_workers_own_caseload(db: Session, allocated_worker: CsrfClient) -> None:
    """Sam has no link to Kayla: he is not told she exists, and his new young person is added."""
    kay_again = {**GOOD, "first_name": "Kayla", "last_name": "Brooks", "date_of_birth": "2011-02-17"}
    response = allocated_worker.post("/children/new", data=kay_again)
    assert response.status_code == 303


def test_a_different_date_of_birth_is_not_a_duplicate(alex: CsrfClient) -> None:
    other = {**GOOD, "first_name": "Kayla", "last_name": "Brooks", "date_of_birth": "2011-02-18"}
    assert alex.post("/children/new", data=other).status_code == 303


@pytest.mark.parametrize("who", ["manager", "chair", "agency_partner", "admin"])
def test_only_workers_who_can_hold_a_case_may_add_a_young_person(
    application: SaferPlan, db: Session, demo: DemoPeople, who: str
) -> None:
    email = {
        "manager": demo.manager_email,
        "chair": demo.chair_email,
        "agency_partner": demo.agency_partner_email,
        "admin": demo.admin_email,
    }[who]
    client = _as(application, db, email)
    assert client.get("/children/new").status_code == 404
    assert client.post("/children/new", data=GOOD).status_code == 404
    # A refused form says nothing about what it would accept.
    assert client.post("/children/new", data={}).status_code == 404
    assert _children_named(db, "Riley", "Stone") == []


# --- The case team ---------------------------------------------------------------------------------


def test_the_team_page_shows_who_holds_which_case_role_and_partners_by_agency(
    allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    html = allocated_worker.get(f"/children/{demo.jordan_id}/team").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Allocated worker Sam Okafor" in text
    assert "Independent chair Priya Shah" in text
    assert "Agency partner Police PC Rhys Hughes" in text
    assert "Team member No one yet." in text
    assert "Add someone to the case" in html
    assert "Stays until another allocated worker is added." in html  # Sam is the only one


def test_a_manager_reads_the_team_without_any_control(manager: CsrfClient, demo: DemoPeople) -> None:
    response = manager.get(f"/children/{demo.jordan_id}/team")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Sam Okafor" in html and '<form method="post" action="/children' not in html and "/remove" not in html
    assert manager.post(f"/children/{demo.jordan_id}/team", data={"case_role": "chair"}).status_code == 404


@pytest.mark.parametrize("who", ["unallocated", "agency_partner", "admin"])
def test_people_off_the_case_cannot_see_its_team(
    application: SaferPlan, db: Session, demo: DemoPeople, who: str
) -> None:
    email = {"unallocated": demo.other_worker_email, "agency_partner": demo.agency_partner_email}.get(
        who, demo.admin_email
    )
    client = _as(application, db, email)
    assert client.get(f"/children/{demo.jordan_id}/team").status_code == 404
    assert client.post(f"/children/{demo.jordan_id}/team", data={}).status_code == 404


def test_the_allocated_worker_adds_someone_from_the_directory(
    db: Session, demo: DemoPeople, allocated_worker: CsrfClient
) -> None:
    alex_id = practitioner_id(db, demo.other_worker_email)
    page = allocated_worker.get(f"/children/{demo.jordan_id}/team").get_data(as_text=True)
    assert f'<option value="{alex_id}">Alex Morgan' in page
    assert f'value="{practitioner_id(db, demo.admin_email)}"' not in page  # admins never read plans
    assert f'<option value="{practitioner_id(db, demo.chair_email)}"' not in page  # already on the case
    response = allocated_worker.post(
        f"/children/{demo.jordan_id}/team", data={"practitioner_id": str(alex_id), "case_role": "team_member"}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/team?done=added")
    assert (alex_id, CaseRole.TEAM_MEMBER) in _live(db, demo.jordan_id)


def test_the_chair_may_change_the_team_too_and_with_htmx_the_team_comes_back_in_place(
    db: Session, demo: DemoPeople, chair: CsrfClient
) -> None:
    alex_id = practitioner_id(db, demo.other_worker_email)
    response = chair.post(
        f"/children/{demo.jordan_id}/team",
        data={"practitioner_id": str(alex_id), "case_role": "agency_partner"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="case-team">') and "Added to the case team." in html
    assert "Alex Morgan" in html


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({}, "practitioner_id", "Choose a practitioner."),
        ({"practitioner_id": "12x"}, "practitioner_id", "Choose a practitioner."),
        ({"practitioner_id": "99999", "case_role": "team_member"}, "practitioner_id", "Choose someone from the list."),
        ({"practitioner_id": "ADMIN", "case_role": "team_member"}, "practitioner_id", "Choose someone from the list."),
        (
            {"practitioner_id": "SAM", "case_role": "team_member"},
            "practitioner_id",
            "Sam Okafor is already on this case team.",
        ),
        ({"practitioner_id": "SCHOOL_PARTNER", "case_role": "allocated_worker"}, "case_role", "An allocated worker is"),
        ({"practitioner_id": "ALEX"}, "case_role", "Choose a case role."),
        ({"practitioner_id": "ALEX", "case_role": "boss"}, "case_role", "Choose a case role."),
    ],
)
def test_adding_someone_says_what_is_wrong_and_keeps_the_choice(
    db: Session, demo: DemoPeople, allocated_worker: CsrfClient, form: dict[str, str], field: str, message: str
) -> None:
    ids = {
        "ADMIN": practitioner_id(db, demo.admin_email),
        "SAM": practitioner_id(db, demo.social_worker_email),
        "ALEX": practitioner_id(db, demo.other_worker_email),
        # Jo Whitaker (a school's safeguarding lead, on Kay's case) cannot hold a case.
        "SCHOOL_PARTNER": practitioner_id(db, "jo.whitaker@example.org"),
    }
    data = {name: str(ids.get(value, value)) for name, value in form.items()}
    before = _live(db, demo.jordan_id)
    response = allocated_worker.post(f"/children/{demo.jordan_id}/team", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and f'href="#{field}"' in html and f'id="{field}-error"' in html
    if form.get("practitioner_id") == "ALEX":
        assert f'<option value="{ids["ALEX"]}" selected>' in html
    assert _live(db, demo.jordan_id) == before


def test_removing_someone_asks_first_then_ends_their_access(
    application: SaferPlan, db: Session, demo: DemoPeople, allocated_worker: CsrfClient, agency_partner: CsrfClient
) -> None:
    rhys_id = practitioner_id(db, demo.agency_partner_email)
    rhys = db.exec(
        select(CaseAssignment).where(
            CaseAssignment.child_id == demo.jordan_id, CaseAssignment.practitioner_id == rhys_id
        )
    ).one()
    assert agency_partner.get(f"/children/{demo.jordan_id}/agency-actions").status_code == 200
    url = f"/children/{demo.jordan_id}/team/{rhys.id}/remove"
    team = allocated_worker.get(f"/children/{demo.jordan_id}/team").get_data(as_text=True)
    assert f'href="{url}"' in team
    confirm = allocated_worker.get(url)
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "Remove PC Rhys Hughes from Jordan's case?" in html and "Yes, remove them" in html
    assert (rhys_id, CaseRole.AGENCY_PARTNER) in _live(db, demo.jordan_id)  # asking changed nothing
    done = allocated_worker.post(url)
    assert done.status_code == 303 and done.headers["Location"].endswith("/team?done=removed")
    assert (rhys_id, CaseRole.AGENCY_PARTNER) not in _live(db, demo.jordan_id)
    db.expire_all()
    assert db.get(CaseAssignment, rhys.id).ended_on == today()  # type: ignore[union-attr]
    assert agency_partner.get(f"/children/{demo.jordan_id}/agency-actions").status_code == 404
    # Removed once: the same removal again is about no one.
    assert allocated_worker.post(url).status_code == 404
    assert db.exec(
        select(AuditEvent).where(AuditEvent.entity == "case_assignment", AuditEvent.action == "ended")
    ).first()


def test_the_last_allocated_worker_cannot_be_removed_and_the_page_says_why(
    db: Session, demo: DemoPeople, allocated_worker: CsrfClient
) -> None:
    sam_id = practitioner_id(db, demo.social_worker_email)
    sams = db.exec(
        select(CaseAssignment).where(
            CaseAssignment.child_id == demo.jordan_id, CaseAssignment.practitioner_id == sam_id
        )
    ).one()
    url = f"/children/{demo.jordan_id}/team/{sams.id}/remove"
    page = allocated_worker.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "only allocated worker" in html and "Yes, remove them" not in html and f'action="{url}"' not in html
    refused = allocated_worker.post(url)
    assert refused.status_code == 422 and "only allocated worker" in refused.get_data(as_text=True)
    assert (sam_id, CaseRole.ALLOCATED_WORKER) in _live(db, demo.jordan_id)


def test_a_case_is_handed_over_by_adding_the_new_allocated_worker_first(
    db: Session, demo: DemoPeople, allocated_worker: CsrfClient, alex: CsrfClient
) -> None:
    alex_id = practitioner_id(db, demo.other_worker_email)
    sam_id = practitioner_id(db, demo.social_worker_email)
    added = allocated_worker.post(
        f"/children/{demo.jordan_id}/team", data={"practitioner_id": str(alex_id), "case_role": "allocated_worker"}
    )
    assert added.status_code == 303
    sams = db.exec(
        select(CaseAssignment).where(
            CaseAssignment.child_id == demo.jordan_id, CaseAssignment.practitioner_id == sam_id
        )
    ).one()
    # Sam hands over and takes himself off: he goes back to his caseload, which no longer lists Jordan.
    done = allocated_worker.post(f"/children/{demo.jordan_id}/team/{sams.id}/remove")
    assert done.status_code == 303 and done.headers["Location"].endswith("/")
    assert allocated_worker.get(f"/children/{demo.jordan_id}").status_code == 404
    assert (alex_id, CaseRole.ALLOCATED_WORKER) in _live(db, demo.jordan_id)
    assert alex.get(f"/children/{demo.jordan_id}").status_code == 200


def test_a_read_only_reader_cannot_open_the_removal_page(manager: CsrfClient, db: Session, demo: DemoPeople) -> None:
    rhys_id = practitioner_id(db, demo.agency_partner_email)
    rhys = db.exec(
        select(CaseAssignment).where(
            CaseAssignment.child_id == demo.jordan_id, CaseAssignment.practitioner_id == rhys_id
        )
    ).one()
    url = f"/children/{demo.jordan_id}/team/{rhys.id}/remove"
    assert manager.get(url).status_code == 404
    assert manager.post(url).status_code == 404
    assert (rhys_id, CaseRole.AGENCY_PARTNER) in _live(db, demo.jordan_id)


def test_an_assignment_of_another_case_is_not_found_under_this_one(
    db: Session, demo: DemoPeople, alex: CsrfClient
) -> None:
    rhys_id = practitioner_id(db, demo.agency_partner_email)
    rhys = db.exec(
        select(CaseAssignment).where(
            CaseAssignment.child_id == demo.jordan_id, CaseAssignment.practitioner_id == rhys_id
        )
    ).one()
    url = f"/children/{demo.kayla_id}/team/{rhys.id}/remove"
    assert alex.get(url).status_code == 404
    assert alex.post(url).status_code == 404
    assert (rhys_id, CaseRole.AGENCY_PARTNER) in _live(db, demo.jordan_id)


def test_kays_demo_case_has_a_complete_team(alex: CsrfClient, demo: DemoPeople) -> None:
    """The demo's Kay (Alex's caseload, empty plan) has everyone her meeting needs."""
    html = alex.get(f"/children/{demo.kayla_id}/team").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Allocated worker Alex Morgan" in text
    assert "Independent chair Priya Shah" in text
    assert "Team member Nadia Rahman" in text
    assert "School Jo Whitaker" in text and "Health Ben Carter" in text


def test_the_plan_page_links_to_the_case_team_for_whole_plan_readers(
    allocated_worker: CsrfClient, manager: CsrfClient, demo: DemoPeople
) -> None:
    team = f'href="/children/{demo.jordan_id}/team"'
    assert team in allocated_worker.get(f"/children/{demo.jordan_id}").get_data(as_text=True)
    assert team in manager.get(f"/children/{demo.jordan_id}").get_data(as_text=True)


def test_a_chair_added_to_a_new_case_opens_its_plan(
    application: SaferPlan, db: Session, demo: DemoPeople, alex: CsrfClient, chair: CsrfClient
) -> None:
    assert alex.post("/children/new", data=GOOD).status_code == 303
    (riley,) = _children_named(db, "Riley", "Stone")
    assert chair.get(f"/children/{riley.id}").status_code == 404  # not on the case yet
    priya = practitioner_id(db, demo.chair_email)
    added = alex.post(f"/children/{riley.id}/team", data={"practitioner_id": str(priya), "case_role": "chair"})
    assert added.status_code == 303
    assert chair.get(f"/children/{riley.id}").status_code == 200
    assert "Riley Stone" in chair.get("/").get_data(as_text=True)


def test_someone_taking_themselves_off_a_case_is_told_so_and_goes_back_to_their_caseload(
    db: Session, demo: DemoPeople, chair: CsrfClient
) -> None:
    priya = practitioner_id(db, demo.chair_email)
    hers = db.exec(
        select(CaseAssignment.id).where(
            CaseAssignment.child_id == demo.jordan_id, CaseAssignment.practitioner_id == priya
        )
    ).one()
    url = f"/children/{demo.jordan_id}/team/{hers}/remove"
    assert "This is you. You will no longer be able to open this case." in chair.get(url).get_data(as_text=True)
    done = chair.post(url)
    assert done.status_code == 303 and done.headers["Location"].endswith("/")
    assert chair.get(f"/children/{demo.jordan_id}/team").status_code == 404
