"""Issue 10 item 6: a worker records an incident on a young person's case and, on the same form,
brings the review forward (to a working day within the next 5, sooner than the review now, with
the meeting's trigger words beside the choice) or says why not. The case page lists incidents
newest first; the work tray flags recent ones and orders by the review as it stands. A review moved
meanwhile is a conflict (R24); refusals keep what was typed; the family never sees an incident."""

from __future__ import annotations

import html
import re
from datetime import date, time

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from app import SaferPlan
from app.audit.models import AuditEvent
from app.incidents.models import Incident, ReviewChoice
from app.live.changes import current_version, plan_channel
from app.people.models import CaseRole, Child, PractitionerRole
from app.plans.models import Plan
from tests.factories import people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.functional.practitioner.test_caseload import _counting
from tests.support.clients import CsrfClient
from tests.support.incidents import freeze, incident

TRIGGER = "Or sooner if Jordan goes missing or is arrested."
WORDS = "Missing from 9pm; found by police at the bus station at 2am"
# Friday 18 December 2026: five working days on skip Christmas Day and the substitute Boxing Day
# (Monday 28 December), so the latest new review date is Tuesday 29 December.
FRIDAY = date(2026, 12, 18)
LATEST = date(2026, 12, 29)


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def jordan(db: Session, case: Case, monkeypatch: pytest.MonkeyPatch) -> Case:
    """Jordan's plan, agreed on 27 November 2026 with the review on 15 January 2027 and the meeting's trigger."""
    freeze(monkeypatch, FRIDAY)
    plans.agreed_plan(
        db,
        case.child,
        by=case.worker,
        agreed_on=date(2026, 11, 27),
        review_date=date(2027, 1, 15),
        review_trigger=TRIGGER,
    )
    db.commit()
    return case


def _form(page: str) -> dict[str, str]:
    hidden = dict(re.findall(r'name="(review_revision|review_version)" value="([^"]*)"', page))
    return {"review_revision": hidden["review_revision"], "review_version": hidden["review_version"]}


def _missing(page: str, **fields: str) -> dict[str, str]:
    return {
        "kind": "missing_episode",
        "occurred_at": "2026-12-17T21:00",
        "what_happened": WORDS,
        "review": "bring_forward",
        "new_review_date": LATEST.isoformat(),
        **_form(page),
        **fields,
    }


def _plan(db: Session, child: Child) -> Plan:
    db.expire_all()
    return db.exec(select(Plan).where(Plan.child_id == child.id)).one()


def test_sam_records_a_missing_episode_and_brings_the_review_forward(
    application: SaferPlan, db: Session, jordan: Case, as_worker: CsrfClient
) -> None:
    form = as_worker.get(f"/children/{jordan.child_id}/incidents/new")
    page = form.get_data(as_text=True)
    assert form.status_code == 200
    # The meeting's words beside the choice, the review as it stands, and the date proposed.
    assert TRIGGER in page and "Friday 15 January 2027" in _text(page)
    assert f'value="{LATEST.isoformat()}"' in page and "Tuesday 29 December" in _text(page)
    before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
    done = as_worker.post(f"/children/{jordan.child_id}/incidents/new", data=_missing(page))
    assert done.status_code == 303 and done.headers["Location"].endswith(
        f"/children/{jordan.child_id}/team?done=incident#incidents"
    )
    row = db.exec(select(Incident)).one()
    assert (row.kind, row.review_choice, row.review_was, row.review_moved_to) == (
        "missing_episode",
        ReviewChoice.BRING_FORWARD,
        date(2027, 1, 15),
        LATEST,
    )
    assert row.what_happened == WORDS and row.recorded_by_id == jordan.worker.id
    # Audited: the incident and the review brought forward.
    writes = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.kind == "write")).all()
    assert {(w.entity, w.action) for w in writes} >= {("incident", "created"), ("plan", "review_brought_forward")}
    # The case page lists it; the work tray shows the new review date and the incident.
    case_page = _text(as_worker.get(f"/children/{jordan.child_id}/team?done=incident").get_data(as_text=True))
    assert "The incident is recorded." in case_page and WORDS in case_page
    assert "brought forward from 15 Jan 2027 to 29 Dec 2026" in case_page
    tray = _text(as_worker.get("/").get_data(as_text=True))
    assert "29 Dec 2026" in tray and "Incident 1 day ago" in tray and "15 Jan 2027" not in tray
    # What happened is encrypted at rest (R27).
    raw = db.execute(text("SELECT what_happened FROM incident")).scalar_one()
    assert "bus station" not in str(raw)


@pytest.mark.parametrize(
    ("fields", "box", "message"),
    [
        ({"occurred_at": "2026-12-18T13:00"}, "occurred_at", "cannot be in the future"),
        ({"occurred_at": "yesterday"}, "occurred_at", "Enter when it happened"),
        ({"what_happened": "   "}, "what_happened", "Describe what happened."),
        ({"kind": "party"}, "kind", "Choose what happened."),
        ({"review": ""}, "review", "Choose whether to bring the review forward."),
        ({"new_review_date": "2026-12-17"}, "new_review_date", "cannot be in the past"),
        ({"new_review_date": "2026-12-30"}, "new_review_date", "within the next 5 working days: 2026-12-29"),
        ({"new_review_date": "2026-12-26"}, "new_review_date", "Choose a working day"),
        ({"new_review_date": ""}, "new_review_date", "Enter the new review date"),
        ({"review": "keep"}, "kept_because", "Say why the review stays on its date."),
    ],
)
def test_a_refusal_names_the_box_and_keeps_what_was_typed(
    db: Session, jordan: Case, as_worker: CsrfClient, fields: dict[str, str], box: str, message: str
) -> None:
    page = as_worker.get(f"/children/{jordan.child_id}/incidents/new").get_data(as_text=True)
    answer = as_worker.post(f"/children/{jordan.child_id}/incidents/new", data=_missing(page, **fields))
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert f'href="#{box}"' in body and message in html.unescape(body)
    assert WORDS in body or fields.get("what_happened") == "   "
    assert db.exec(select(Incident)).first() is None


def test_a_new_date_must_be_sooner_than_the_review(
    db: Session, case: Case, as_worker: CsrfClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, FRIDAY)
    plans.agreed_plan(db, case.child, by=case.worker, agreed_on=date(2026, 11, 27), review_date=date(2026, 12, 22))
    db.commit()
    page = as_worker.get(f"/children/{case.child_id}/incidents/new").get_data(as_text=True)
    # The latest date sooner than Tuesday's review is Monday 21 December.
    assert 'value="2026-12-21"' in page
    answer = as_worker.post(
        f"/children/{case.child_id}/incidents/new", data=_missing(page, new_review_date="2026-12-23")
    )
    assert answer.status_code == 422 and "sooner than the current review (2026-12-22)" in answer.get_data(as_text=True)


def test_keeping_the_review_records_why(db: Session, jordan: Case, as_worker: CsrfClient) -> None:
    page = as_worker.get(f"/children/{jordan.child_id}/incidents/new").get_data(as_text=True)
    data = _missing(page, review="keep", kept_because="Strategy meeting already on Monday", kind="exclusion")
    assert as_worker.post(f"/children/{jordan.child_id}/incidents/new", data=data).status_code == 303
    row = db.exec(select(Incident)).one()
    assert (row.review_choice, row.review_moved_to, row.review_kept_because) == (
        ReviewChoice.KEEP,
        None,
        "Strategy meeting already on Monday",
    )
    case_page = _text(as_worker.get(f"/children/{jordan.child_id}/team").get_data(as_text=True))
    assert "The review stayed on 15 Jan 2027: Strategy meeting already on Monday" in case_page


def test_a_review_moved_meanwhile_is_a_conflict_not_an_overwrite(
    db: Session, jordan: Case, as_worker: CsrfClient, sign_in: SignIn
) -> None:
    chair = sign_in(people.chair(db, jordan.child))
    db.commit()
    sams = as_worker.get(f"/children/{jordan.child_id}/incidents/new").get_data(as_text=True)
    priyas = chair.get(f"/children/{jordan.child_id}/incidents/new").get_data(as_text=True)
    first = chair.post(
        f"/children/{jordan.child_id}/incidents/new", data=_missing(priyas, new_review_date="2026-12-22")
    )
    assert first.status_code == 303
    second = as_worker.post(f"/children/{jordan.child_id}/incidents/new", data=_missing(sams))
    body = second.get_data(as_text=True)
    assert second.status_code == 409 and "Someone changed this young person's review" in html.unescape(body)
    # Nothing overwritten, nothing lost: Sam's words are on the page again, with the review as it is now.
    assert WORDS in body and "Tuesday 22 December 2026" in _text(body)
    rows = db.exec(select(Incident)).all()
    assert [r.review_moved_to for r in rows] == [date(2026, 12, 22)]
    # Sending again from the refreshed page is now a decision about the review as it stands.
    again = as_worker.post(
        f"/children/{jordan.child_id}/incidents/new", data=_missing(body, new_review_date="2026-12-21")
    )
    assert again.status_code == 303
    assert "21 Dec 2026" in _text(as_worker.get("/").get_data(as_text=True))


def test_the_case_page_lists_incidents_newest_first(db: Session, jordan: Case, as_worker: CsrfClient) -> None:
    incident(db, jordan.child, by=jordan.worker, when="2026-12-10T10:00", what="FIRST-ONE", kind="arrest")
    incident(db, jordan.child, by=jordan.worker, when="2026-12-16T18:30", what="NEWEST-ONE", kind="exclusion")
    incident(db, jordan.child, by=jordan.worker, when="2026-12-12T09:00", what="MIDDLE-ONE", kind="other")
    db.commit()
    page = as_worker.get(f"/children/{jordan.child_id}/team").get_data(as_text=True)
    assert page.index("NEWEST-ONE") < page.index("MIDDLE-ONE") < page.index("FIRST-ONE")
    assert "Exclusion from school · Wednesday 16 December 2026, 18:30" in _text(page)


def test_a_case_with_no_agreed_plan_records_an_incident_with_no_review_to_move(
    db: Session, case: Case, as_worker: CsrfClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, FRIDAY)
    page = as_worker.get(f"/children/{case.child_id}/incidents/new").get_data(as_text=True)
    assert "no agreed plan with a review date" in html.unescape(page)
    data = {"kind": "new_concern", "occurred_at": "2026-12-18T09:15", "what_happened": WORDS}
    assert as_worker.post(f"/children/{case.child_id}/incidents/new", data=data).status_code == 303
    assert db.exec(select(Incident.review_choice)).one() == ReviewChoice.NO_REVIEW


def test_whole_plan_readers_see_incidents_and_only_the_plans_editors_record_them(
    db: Session, jordan: Case, sign_in: SignIn
) -> None:
    incident(db, jordan.child, by=jordan.worker, when="2026-12-16T18:30", what="SEEN-BY-READERS")
    team_member = people.practitioner(db, name="Tom Reid", role=PractitionerRole.SOCIAL_WORKER)
    people.assign(db, team_member, jordan.child, CaseRole.TEAM_MEMBER)
    rhys = people.police_partner(db, jordan.child)
    other = people.other_case(db).worker
    priya = people.chair(db, jordan.child)
    db.commit()
    new = f"/children/{jordan.child_id}/incidents/new"
    # The chair records (a plan editor); a team member reads the list but may not record.
    assert sign_in(priya).get(new).status_code == 200
    tom = sign_in(team_member)
    assert "SEEN-BY-READERS" in tom.get(f"/children/{jordan.child_id}/team").get_data(as_text=True)
    assert "Record an incident" not in tom.get(f"/children/{jordan.child_id}/team").get_data(as_text=True)
    assert tom.get(new).status_code == 404
    tray = tom.get("/").get_data(as_text=True)
    assert "Incident 2 days ago" in tray
    # An agency partner and a worker with no link are "not found", and see no incident flag.
    for outsider in (sign_in(rhys), sign_in(other)):
        assert outsider.get(new).status_code == 404
        assert (
            outsider.post(
                new, data={"kind": "other", "occurred_at": "2026-12-18T09:00", "what_happened": "x"}
            ).status_code
            == 404
        )
        assert "Incident" not in outsider.get("/").get_data(as_text=True)
    assert db.exec(select(Incident)).all()[0].what_happened == "SEEN-BY-READERS"


def test_the_tray_flags_recent_incidents_and_orders_by_the_review_as_it_stands(
    db: Session, jordan: Case, as_worker: CsrfClient
) -> None:
    bea = people.child(db, first_name="Bea", last_name="Test", date_of_birth=date(2011, 1, 1))
    people.assign(db, jordan.worker, bea)
    plans.agreed_plan(db, bea, by=jordan.worker, agreed_on=date(2026, 12, 1), review_date=date(2027, 1, 5))
    db.commit()
    rows = [r for r in _text(as_worker.get("/").get_data(as_text=True)).split("Jordan")]
    page = _text(as_worker.get("/").get_data(as_text=True))
    assert page.index("Bea Test") < page.index("Jordan Ellis") and rows
    # An incident 20 days ago is not flagged; one last night brings Jordan's review to 23 December.
    incident(db, jordan.child, by=jordan.worker, when="2026-11-28T10:00", what="OLD")
    incident(
        db,
        jordan.child,
        by=jordan.worker,
        when="2026-12-17T23:30",
        review="bring_forward",
        new_review_date=date(2026, 12, 23),
    )
    db.commit()
    page = _text(as_worker.get("/").get_data(as_text=True))
    assert page.index("Jordan Ellis") < page.index("Bea Test")
    assert "Incident 1 day ago" in page and "Review due in 5 days" in page
    assert page.count("Incident") == 1


def test_the_tray_says_incident_today(
    db: Session, jordan: Case, as_worker: CsrfClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, FRIDAY, time(16, 0))
    incident(db, jordan.child, by=jordan.worker, when="2026-12-18T08:00")
    db.commit()
    assert "Incident today" in _text(as_worker.get("/").get_data(as_text=True))


def test_the_family_sees_the_new_review_date_and_nothing_of_the_incident(
    db: Session, jordan: Case, sign_in: SignIn
) -> None:
    incident(
        db,
        jordan.child,
        by=jordan.worker,
        when="2026-12-17T21:00",
        what="CANARY-INCIDENT-WORDS",
        review="bring_forward",
        new_review_date=date(2026, 12, 23),
    )
    incident(db, jordan.child, by=jordan.worker, when="2026-12-17T22:00", what="CANARY-KEPT", kept_because="CANARY-WHY")
    db.commit()
    for person in (jordan.young_person, jordan.parent):
        page = sign_in(person).get(f"/c/{jordan.child_id}").get_data(as_text=True)
        assert "23 December" in page and "15 January" not in page
        for canary in ("CANARY-INCIDENT-WORDS", "CANARY-KEPT", "CANARY-WHY", "ncident", "missing episode"):
            assert canary not in page


def test_the_plan_page_says_the_review_was_brought_forward(db: Session, jordan: Case, as_worker: CsrfClient) -> None:
    plan = _text(as_worker.get(f"/children/{jordan.child_id}").get_data(as_text=True))
    assert "Record an incident for Jordan" in plan and "Brought forward" not in plan
    incident(
        db, jordan.child, by=jordan.worker, when="2026-12-17T21:00", review="bring_forward", new_review_date=LATEST
    )
    db.commit()
    plan = _text(as_worker.get(f"/children/{jordan.child_id}").get_data(as_text=True))
    assert "Brought forward to 29 Dec 2026 after an incident" in plan


def test_open_family_pages_hear_of_a_review_brought_forward_only(db: Session, jordan: Case) -> None:
    channel = plan_channel(jordan.child_id)
    before = current_version(db, channel)
    incident(db, jordan.child, by=jordan.worker, when="2026-12-17T21:00")  # kept: nothing the family sees changed
    db.commit()
    assert current_version(db, channel) == before
    incident(
        db, jordan.child, by=jordan.worker, when="2026-12-17T22:00", review="bring_forward", new_review_date=LATEST
    )
    db.commit()
    assert current_version(db, channel) == before + 1


def test_the_tray_costs_the_same_statements_for_2_and_for_30_cases_with_incidents(
    application: SaferPlan, db: Session, jordan: Case, as_worker: CsrfClient
) -> None:
    counts = []
    made = 1  # Jordan
    for total in (2, 30):
        for n in range(made, total):
            child = people.child(db, first_name=f"Case{n:03d}", last_name="Test", date_of_birth=date(2011, 1, 1))
            people.assign(db, jordan.worker, child)
            plans.agreed_plan(db, child, by=jordan.worker, agreed_on=date(2026, 12, 1), review_date=date(2027, 1, 20))
            incident(db, child, by=jordan.worker, when="2026-12-16T20:00")
        db.commit()
        made = total
        with _counting(application) as statements:
            page = as_worker.get("/")
        assert page.status_code == 200 and _text(page.get_data(as_text=True)).count("Incident 2 days ago") == total - 1
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
