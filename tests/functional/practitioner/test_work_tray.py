"""Issue 10 items 4, 5 (agency partners) and 7: the caseload is a work tray.

Overdue reviews first, then reviews due within the week, then the rest; each row flags what needs
attention; filters and sorting are plain GET parameters; a page costs the same statements however
many cases; managers, chairs and agency partners each see theirs; partners mark their actions done.
Dates are relative to the app's today (app.timeutil.today, England) so the tests hold on any day.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from app import SaferPlan
from app.agency_actions.operations import AgencyActionDone, mark_my_agency_action_done
from app.people.models import Agency, CaseAssignment, CaseRole, Child, Practitioner, PractitionerRole
from app.plans.inputs import AgencyActionInput
from app.plans.models import AgencyAction, AgencyActionKind, MeetingType, Plan, PlanVersion, Safety
from app.timeutil import today
from app.worktray.inputs import TrayFilters
from app.worktray.queries import work_tray
from tests.factories import cowriting, meetings, people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.functional.practitioner.test_caseload import _counting
from tests.support.clients import CsrfClient


def _rows(page: str) -> list[str]:
    """The work tray's rows as plain text, one line each."""
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _days(n: int) -> date:
    return today() + timedelta(days=n)


def _action(agency: Agency, what: str, due_in: int, repeats: str = "") -> AgencyActionInput:
    return AgencyActionInput(
        agency=agency, kind=AgencyActionKind.INCREASE_SAFETY, action=what, due_on=_days(due_in), repeats=repeats
    )


def _young_person(db: Session, first: str, worker: Practitioner) -> Child:
    child = people.child(db, first_name=first, last_name="Test", date_of_birth=date(2011, 1, 1))
    people.assign(db, worker, child)
    return child


def _child(db: Session, first: str) -> Child:
    return next(c for c in db.exec(select(Child)).all() if c.first_name == first)


def _agreed(db: Session, child: Child, worker: Practitioner, review_in: int, *items: AgencyActionInput) -> None:
    plans.agreed_plan(db, child, *items, by=worker, agreed_on=_days(review_in - 30), review_date=_days(review_in))


@pytest.fixture
def tray(db: Session, case: Case) -> Case:
    """Sam's caseload: Jordan (review 5 days late, two overdue actions, a family idea, a meeting next
    week), Bea (review in 3 days), Cal (review in 30 days, a health action a day late) and Dan (no plan yet)."""
    _agreed(
        db,
        case.child,
        case.worker,
        -5,
        _action(Agency.POLICE, "set up the Police Trigger Plan", -28),
        _action(Agency.SCHOOL, "check in at morning break", -3),
        _action(Agency.SCHOOL, "walk to the bus", -40, repeats="every school day"),
        _action(Agency.HEALTH, "book the school nurse", 4),
    )
    cowriting.idea(db, case.child, "go to boxing on Thursdays", by=case.young_person)
    meetings.meeting(db, case.child, by=case.worker, days=7)
    _agreed(db, _young_person(db, "Bea", case.worker), case.worker, 3)
    _agreed(db, _young_person(db, "Cal", case.worker), case.worker, 30, _action(Agency.HEALTH, "see the nurse", -1))
    _young_person(db, "Dan", case.worker)
    db.commit()
    return case


def test_overdue_reviews_come_first_then_due_soon_then_the_rest(as_worker: CsrfClient, tray: Case) -> None:
    rows = _rows(as_worker.get("/").get_data(as_text=True))
    assert [row.split()[0] for row in rows] == ["Jordan", "Bea", "Cal", "Dan"]
    assert "Review overdue by 5 days" in rows[0]
    assert "Review due in 3 days" in rows[1]
    assert "Review" not in rows[2].replace("Next review", "") and "1 action overdue (Health), by 1 day" in rows[2]
    assert "No plan yet" in rows[3] and "Nothing overdue" in rows[3]


def test_each_flag_says_what_is_late_whose_and_by_how_long(as_worker: CsrfClient, tray: Case) -> None:
    jordan = _rows(as_worker.get("/").get_data(as_text=True))[0]
    # The repeating action and the one not due yet are not late; the oldest of the two is the police's.
    assert "2 actions overdue, the oldest (Police) by 28 days" in jordan
    assert "1 new family idea waiting" in jordan
    assert _days(7).strftime("%-d %b %Y") in jordan  # the next meeting


def test_places_and_people_to_call_the_family_added_count_as_ideas_but_not_a_place_found_unsafe(
    db: Session, as_worker: CsrfClient, tray: Case
) -> None:
    """The flag counts every kind of family idea (matched by their words, read without the rest of
    the row), except a place the meeting marked not safe."""
    cowriting.safe_place(db, tray.child, "Nan's flat", by=tray.young_person, notes="after school")
    cowriting.person_to_call(db, tray.child, "Aunty Mel", "07700 900123", by=tray.young_person, relationship="aunt")
    unsafe = cowriting.safe_place(db, tray.child, "the park by the station", by=tray.young_person)
    unsafe.safety = Safety.NOT_SAFE
    db.add(unsafe)
    db.commit()
    jordan = _rows(as_worker.get("/").get_data(as_text=True))[0]
    assert "3 new family ideas waiting" in jordan  # the boxing idea, Nan's flat and Aunty Mel


def test_a_done_action_is_not_overdue(db: Session, as_worker: CsrfClient, tray: Case) -> None:
    police = _draft_police_action(db, tray)
    mark_my_agency_action_done(
        session=db,
        actor=people.actor(people.police_partner(db, tray.child)),
        child_id=tray.child.id or 0,
        action_id=police.id or 0,
        done=AgencyActionDone(expected_revision=police.revision),
    )
    db.commit()
    jordan = _rows(as_worker.get("/").get_data(as_text=True))[0]
    assert "1 action overdue (School), by 3 days" in jordan


def test_filters_overdue_only_meeting_type_and_sorting(db: Session, as_worker: CsrfClient, tray: Case) -> None:
    overdue = _rows(as_worker.get("/?overdue=1").get_data(as_text=True))
    # A late review or a late action: Jordan has both, Cal only an action.
    assert [row.split()[0] for row in overdue] == ["Jordan", "Cal"]
    assert "No young people match these filters" in as_worker.get("/?meeting_type=safer_me_plus").get_data(as_text=True)
    # Soonest meeting first: Bea's in 2 days, then Jordan's in 7, then those with none (by review).
    meetings.meeting(db, _child(db, "Bea"), by=tray.worker, days=2)
    db.commit()
    by_meeting = as_worker.get("/?sort=meeting").get_data(as_text=True)
    assert [row.split()[0] for row in _rows(by_meeting)] == ["Bea", "Jordan", "Cal", "Dan"]
    assert "Sort by next review" in by_meeting
    chair_only = as_worker.get("/?role=chair").get_data(as_text=True)
    assert "No young people match these filters" in chair_only


def test_unknown_filter_values_are_ignored_with_a_message(as_worker: CsrfClient, tray: Case) -> None:
    page = as_worker.get("/?role=king&meeting_type=%00&overdue=maybe&sort=name&page=-1")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    for message in (
        "The role asked for is not one we know",
        "The meeting type asked for is not one we know",
        "The overdue filter was not understood",
        "The sort order asked for is not one we know",
        "The page asked for is not a page number",
    ):
        assert message in text
    assert len(_rows(page.get_data(as_text=True))) == 4


def test_htmx_gets_only_the_tray(as_worker: CsrfClient, tray: Case) -> None:
    part = as_worker.get("/?overdue=1", headers={"HX-Request": "true"})
    body = part.get_data(as_text=True)
    assert part.status_code == 200 and body.lstrip().startswith('<div id="work-tray">')
    assert "<html" not in body and len(_rows(body)) == 2
    assert "HX-Request" in part.headers.get("Vary", "")


def _many(db: Session, worker: Practitioner, how_many: int, start: int = 0) -> None:
    """Cases with an agreed plan, an overdue police action and a meeting coming up."""
    for n in range(start, start + how_many):
        child = _young_person(db, f"Case{n:03d}", worker)
        _agreed(db, child, worker, 10 + n % 20, _action(Agency.POLICE, "patrol", -2))
        meetings.meeting(db, child, by=worker, days=3)
    db.commit()


def test_pages_of_fifty(db: Session, as_worker: CsrfClient, tray: Case) -> None:
    _many(db, tray.worker, 52)
    first = as_worker.get("/").get_data(as_text=True)
    assert len(_rows(first)) == 50 and "page 1 of 2" in _text(first) and "56 young people" in _text(first)
    assert 'href="/?page=2"' in first
    second = as_worker.get("/?page=2").get_data(as_text=True)
    assert len(_rows(second)) == 6 and "Previous page" in second
    # A page past the end is the last page.
    assert len(_rows(as_worker.get("/?page=99").get_data(as_text=True))) == 6


def test_a_page_costs_the_same_statements_for_2_and_for_30_cases(
    application: SaferPlan, db: Session, as_worker: CsrfClient, tray: Case
) -> None:
    counts = []
    done = 0
    for total in (2, 30):
        _many(db, tray.worker, total - done, start=done)
        done = total
        with _counting(application) as statements:
            page = as_worker.get("/")
        assert page.status_code == 200
        assert len(_rows(page.get_data(as_text=True))) == total + 4
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_a_manager_sees_the_teams_cases_with_flags_and_who_holds_each(db: Session, sign_in: SignIn, tray: Case) -> None:
    morgan = people.practitioner(db, name="Morgan Lee", role=PractitionerRole.MANAGER, team=tray.worker.team)
    people.other_case(db)  # Alex's, in another team
    db.commit()
    manager = sign_in(morgan)
    rows = _rows(manager.get("/").get_data(as_text=True))
    assert [row.split()[0] for row in rows] == ["Jordan", "Bea", "Cal", "Dan"]
    assert "Sam Okafor" in rows[0] and "Your team's case" in rows[0] and "Review overdue by 5 days" in rows[0]
    assert len(_rows(manager.get("/?role=team").get_data(as_text=True))) == 4
    assert "No young people match" in manager.get("/?role=allocated_worker").get_data(as_text=True)


def test_a_managers_tray_is_their_own_cases_and_those_allocated_in_their_team_only(
    db: Session, sign_in: SignIn, tray: Case
) -> None:
    """The tray finds a manager's cases from their own and their team's live allocations first
    (issue 13: it once worked out every child's allocated worker); the rule is unchanged."""
    morgan = people.practitioner(db, name="Morgan Lee", role=PractitionerRole.MANAGER, team=tray.worker.team)
    kay = people.other_case(db)  # Alex's, in another team
    eve = _young_person(db, "Eve", kay.worker)
    people.assign(db, morgan, eve, CaseRole.TEAM_MEMBER)  # another team's case Morgan is on herself
    gil = _young_person(db, "Gil", tray.worker)
    people.assign(db, kay.worker, gil)  # handed over to Alex: Sam, of Morgan's team, still holds it
    ended = _young_person(db, "Hal", tray.worker)
    db.commit()
    db.exec(select(CaseAssignment).where(CaseAssignment.child_id == ended.id)).one().ended_on = _days(-1)
    db.commit()
    rows = _rows(sign_in(morgan).get("/").get_data(as_text=True))
    assert sorted(row.split()[0] for row in rows) == ["Bea", "Cal", "Dan", "Eve", "Gil", "Jordan"]
    assert "Kay" not in " ".join(rows) and "Hal" not in " ".join(rows)


def test_readers_one_after_another_each_get_their_own_tray_from_the_same_statements(
    db: Session, sign_in: SignIn, tray: Case
) -> None:
    """The tray's statements are built once per shape of filters and shared (issue 13): the reader,
    their team, the filters and the day are parameters, so nothing of one reader's tray reaches the next."""
    kay = people.other_case(db)  # Alex's, in another team
    db.commit()
    sam, alex = sign_in(tray.worker), sign_in(kay.worker)
    for _ in range(2):
        assert [row.split()[0] for row in _rows(sam.get("/").get_data(as_text=True))] == ["Jordan", "Bea", "Cal", "Dan"]
        assert [row.split()[0] for row in _rows(alex.get("/").get_data(as_text=True))] == ["Kayla"]
        # The same shape with other values: the filter's meeting type is a parameter too.
        assert len(_rows(sam.get("/?meeting_type=safer_me").get_data(as_text=True))) == 3
        assert "No young people match" in sam.get("/?meeting_type=safer_me_plus").get_data(as_text=True)


def test_the_tray_decrypts_the_names_it_shows_and_not_the_school(db: Session, tray: Case) -> None:
    """Issue 13: decrypting only what is shown (the school is an encrypted field the tray never shows)."""
    db.expunge_all()  # rows the fixtures loaded in full would hide what the tray itself reads
    rows = work_tray(session=db, actor=people.actor(tray.worker), filters=TrayFilters()).rows
    assert [row.child.first_name for row in rows] == ["Jordan", "Bea", "Cal", "Dan"]
    assert all("school" in sa.inspect(row.child).unloaded for row in rows)


def test_a_chair_sees_the_meetings_they_chair_above_the_list(db: Session, sign_in: SignIn, case: Case) -> None:
    priya = people.chair(db, case.child)
    plans.plan(db, case.child, by=case.worker, meeting_type=MeetingType.SAFER_ME_PLUS)
    meetings.meeting(db, case.child, by=case.worker, facilitator=priya, meeting_type="safer_me_plus", days=5)
    db.commit()
    page = sign_in(priya).get("/").get_data(as_text=True)
    text = _text(page)
    assert "Meetings you chair" in text and "Safer Me Plus for Jordan Ellis" in text
    assert text.index("Meetings you chair") < text.index("Young people")
    assert "Meetings you chair" not in _text(sign_in(case.worker).get("/").get_data(as_text=True))


@pytest.fixture
def rhys(db: Session, tray: Case, sign_in: SignIn) -> CsrfClient:
    people.police_partner(db, tray.child)
    db.commit()
    return sign_in(db.exec(select(Practitioner).where(Practitioner.agency == Agency.POLICE)).one())


def _police_actions(db: Session, case: Case) -> list[AgencyAction]:
    """The police action of the case's plan: in the agreed version, then its copy in the draft."""
    return list(
        db.exec(
            select(AgencyAction)
            .join(PlanVersion, col(PlanVersion.id) == col(AgencyAction.version_id))
            .join(Plan, col(Plan.id) == col(PlanVersion.plan_id))
            .where(Plan.child_id == case.child.id, AgencyAction.agency == Agency.POLICE)
            .order_by(col(PlanVersion.number))
        ).all()
    )


def _draft_police_action(db: Session, case: Case) -> AgencyAction:
    return _police_actions(db, case)[-1]


def test_an_agency_partner_sees_their_agencys_actions_overdue_first(rhys: CsrfClient, tray: Case) -> None:
    page = rhys.get("/").get_data(as_text=True)
    text = _text(page)
    assert "Police actions across your cases" in text and "Overdue by 28 days" in text
    assert f"/children/{tray.child.id}/agency-actions#action-" in page
    assert "check in at morning break" not in text  # the school's, not theirs


def test_an_agency_partner_marks_an_action_done_and_the_plan_shows_it(
    db: Session, rhys: CsrfClient, as_worker: CsrfClient, tray: Case
) -> None:
    action = _draft_police_action(db, tray)
    path = f"/children/{tray.child.id}/agency-actions/{action.id}/done"
    answer = rhys.post(path, data={"revision": str(action.revision)})
    assert answer.status_code == 303
    page = _text(rhys.get(f"/children/{tray.child.id}/agency-actions?marked=1").get_data(as_text=True))
    assert "Marked done." in page and "Marked done on" in page and "by PC Rhys Hughes" in page
    plan = _text(as_worker.get(f"/children/{tray.child.id}").get_data(as_text=True))
    assert "by PC Rhys Hughes" in plan
    assert "1 action overdue (School), by 3 days" in _rows(as_worker.get("/").get_data(as_text=True))[0]
    # Again from the same revision: a conflict, nothing changed, what is saved now is shown.
    again = rhys.post(path, data={"revision": str(action.revision)})
    assert again.status_code == 409 and "Someone else changed this action" in again.get_data(as_text=True)


def test_marking_done_from_a_stale_revision_is_a_conflict(db: Session, rhys: CsrfClient, tray: Case) -> None:
    action = _draft_police_action(db, tray)
    path = f"/children/{tray.child.id}/agency-actions/{action.id}/done"
    for revision in (str(action.revision + 5), "", "x"):
        answer = rhys.post(path, data={"revision": revision})
        assert answer.status_code == 409, revision
    db.expire_all()
    assert db.get(AgencyAction, action.id).done_on is None


def test_only_the_agencys_partner_may_mark_it_done(
    db: Session, sign_in: SignIn, rhys: CsrfClient, as_worker: CsrfClient, tray: Case
) -> None:
    action = _draft_police_action(db, tray)
    school = people.practitioner(
        db, name="Ms Patel", role=PractitionerRole.AGENCY_PARTNER, agency=Agency.SCHOOL, team="Millbrook"
    )
    people.assign(db, school, tray.child, CaseRole.AGENCY_PARTNER)
    outsider = people.practitioner(
        db, name="PC Amy Lowe", role=PractitionerRole.AGENCY_PARTNER, agency=Agency.POLICE, team="Response"
    )
    people.assign(db, outsider, people.other_case(db).child, CaseRole.AGENCY_PARTNER)
    db.commit()
    path = f"/children/{tray.child.id}/agency-actions/{action.id}/done"
    for client in (as_worker, sign_in(school), sign_in(outsider)):
        assert client.post(path, data={"revision": str(action.revision)}).status_code == 404
    # An action of an agreed version never changes, even for its own agency.
    agreed = _police_actions(db, tray)[0]
    assert (
        rhys.post(
            f"/children/{tray.child.id}/agency-actions/{agreed.id}/done", data={"revision": str(agreed.revision)}
        ).status_code
        == 404
    )
    db.expire_all()
    assert db.get(AgencyAction, action.id).done_on is None


def test_htmx_marks_done_in_place_and_shows_a_conflict_in_place(db: Session, rhys: CsrfClient, tray: Case) -> None:
    action = _draft_police_action(db, tray)
    path = f"/children/{tray.child.id}/agency-actions/{action.id}/done"
    htmx = {"HX-Request": "true"}
    answer = rhys.post(path, data={"revision": str(action.revision)}, headers=htmx)
    part = answer.get_data(as_text=True)
    assert answer.status_code == 200 and part.lstrip().startswith(
        f'<div class="card action-status" id="action-status-{action.id}">'
    )
    assert "Marked done." in part and "by PC Rhys Hughes" in part and "<html" not in part
    again = rhys.post(path, data={"revision": str(action.revision)}, headers=htmx)
    assert again.status_code == 409 and "It was not marked done" in again.get_data(as_text=True)


def test_a_partners_row_flags_only_what_they_may_read(
    db: Session, sign_in: SignIn, rhys: CsrfClient, tray: Case
) -> None:
    """PC Hughes reads his agency's actions, not the plan: his row on Jordan's case counts the
    police's late action only, and says nothing of the family's ideas or the meetings."""
    jordan = _rows(rhys.get("/").get_data(as_text=True))[0]
    assert "1 action overdue (Police), by 28 days" in jordan
    assert "School" not in jordan and "idea" not in jordan and _days(7).strftime("%-d %b %Y") not in jordan
    # A school partner on Cal's case (whose only late action is health's): nothing late of theirs.
    school = people.practitioner(
        db, name="Ms Patel", role=PractitionerRole.AGENCY_PARTNER, agency=Agency.SCHOOL, team="Millbrook"
    )
    people.assign(db, school, _child(db, "Cal"), CaseRole.AGENCY_PARTNER)
    db.commit()
    patel = sign_in(school)
    assert "Nothing overdue" in _rows(patel.get("/").get_data(as_text=True))[0]
    assert "No young people match these filters" in patel.get("/?overdue=1").get_data(as_text=True)
