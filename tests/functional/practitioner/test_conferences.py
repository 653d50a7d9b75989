"""Issue 12 part 6, the context conference: a mapping meeting weighed "conference to follow" opens
one (once), due within 15 working days (across Christmas with the clock frozen); the chair runs seed
000's agenda step by step, builds the plan in the four domains, keeps at least 30 minutes for it
(fewer only with reasons), closes it with a finalised plan and a review no later than 3 months on,
and moves a missed review only with recorded consent and within two weeks. Conference pages never
show a child's plan (a canary); nobody outside the chairs, managers, QAS and the Hub reaches them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from app import SaferPlan
from app.auth.models import AccountKind
from app.conferences.models import ConferenceAction, ConferenceNote, ContextConference
from app.demo.seed import DemoPeople
from app.mapping.inputs import MemberInput
from app.mapping.models import MappingMeeting
from app.mapping.operations import add_member
from app.people.inputs import AssignmentInput
from app.people.models import CaseRole, Practitioner
from app.people.operations import assign_practitioner
from app.plans.models import ChildStatement, Plan
from app.plans.versions import draft_of
from tests.factories import plans
from tests.support.clients import CsrfClient, make_client
from tests.support.concerns import actor_for
from tests.support.conferences import conference_opened, plan_ready
from tests.support.hub import add_hub_worker
from tests.support.mace import peer_group_mapped
from tests.support.roles import practitioner_id
from tests.support.signin import sign_in_as

NOV_30 = date(2026, 11, 30)
WEIGHING = {"held_on": "2027-01-08", "weighting": "high", "reasons": "Daily recruiting", "conference": "yes"}
ACTION = {"domain": "partnerships", "action": "share the map with the school", "owner": "QAS", "due_on": "2027-02-01"}


@pytest.fixture
def hub_id(db: Session, demo: DemoPeople) -> int:
    worker = add_hub_worker(db, demo)
    db.commit()
    return worker.id or 0


@pytest.fixture
def hana(application: SaferPlan, db: Session, hub_id: int) -> CsrfClient:
    client = make_client(application.practitioner)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=hub_id)
    return client


@pytest.fixture
def chair(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    """Priya Shah, independent chair (ISRO)."""
    client = make_client(application.practitioner)
    sign_in_as(
        client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=practitioner_id(db, demo.chair_email)
    )
    return client


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is Monday 30 November 2026 for the conference's rules and pages."""
    for where in ("app.conferences.operations", "app.conferences.queries", "app.conferences.views"):
        monkeypatch.setattr(f"{where}.today", lambda: NOV_30)


def _opened(db: Session, demo: DemoPeople, hub_id: int, **kw: str) -> ContextConference:
    conference = conference_opened(db, practitioner_id(db, demo.social_worker_email), hub_id, **kw)
    db.commit()
    return conference


def _now(db: Session, conference_id: int | None) -> str:
    """The conference's revision as a page shown now would state it."""
    db.expire_all()
    row = db.get(ContextConference, conference_id)
    assert row is not None
    return str(row.revision)


def _priya(db: Session, demo: DemoPeople) -> int:
    return practitioner_id(db, demo.chair_email)


def test_weighing_conference_to_follow_opens_one_conference_due_in_15_working_days(
    hana: CsrfClient, chair: CsrfClient, db: Session, demo: DemoPeople, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.conferences.operations.today", lambda: NOV_30)
    mapping = peer_group_mapped(db, practitioner_id(db, demo.social_worker_email), name="the Eastgate lot")
    quiet = peer_group_mapped(db, practitioner_id(db, demo.social_worker_email), name="the quiet park")
    db.commit()
    answer = hana.post(f"/mapping/{mapping.id}", data={**WEIGHING, "conference_kind": "neighbourhood"})
    assert answer.status_code == 303
    assert hana.post(f"/mapping/{quiet.id}", data={**WEIGHING, "conference": "no"}).status_code == 303
    # A second weighing is refused, and opens nothing more.
    assert hana.post(f"/mapping/{mapping.id}", data=WEIGHING).status_code == 422
    conferences = db.exec(select(ContextConference)).all()
    assert len(conferences) == 1
    conference = conferences[0]
    assert (conference.mapping_id, conference.kind) == (mapping.id, "neighbourhood")
    # 15 working days from Monday 30 November 2026: Monday 21 December.
    assert (conference.opened_on, conference.due_on) == (NOV_30, date(2026, 12, 21))
    # The mapping meeting's page links to its conference; the list shows it.
    page = hana.get(f"/mapping/{mapping.id}").get_data(as_text=True)
    assert f'href="/conferences/{conference.id}"' in page
    listing = chair.get("/conferences").get_data(as_text=True)
    assert "the Eastgate lot" in listing and "Neighbourhood context conference" in listing
    assert "the quiet park" not in listing
    assert 'href="/conferences"' in listing  # in the practitioner navigation


def test_a_conference_weighed_on_christmas_eve_2026_is_due_on_tuesday_19_january_2027(
    monkeypatch: pytest.MonkeyPatch, chair: CsrfClient, db: Session, demo: DemoPeople, hub_id: int
) -> None:
    monkeypatch.setattr("app.conferences.operations.today", lambda: date(2026, 12, 24))
    first = _opened(db, demo, hub_id, name="the Christmas lot")
    monkeypatch.setattr("app.conferences.operations.today", lambda: date(2027, 1, 4))
    later = _opened(db, demo, hub_id, name="the January lot")
    assert (first.due_on, later.due_on) == (date(2027, 1, 19), date(2027, 1, 25))
    monkeypatch.setattr("app.conferences.queries.today", lambda: date(2027, 1, 18))
    assert "Due Tuesday 19 January 2027" in chair.get(f"/conferences/{first.id}").get_data(as_text=True)
    monkeypatch.setattr("app.conferences.queries.today", lambda: date(2027, 1, 19))
    assert "Due today" in chair.get(f"/conferences/{first.id}").get_data(as_text=True)
    monkeypatch.setattr("app.conferences.queries.today", lambda: date(2027, 1, 21))
    listing = chair.get("/conferences").get_data(as_text=True)
    assert "Late by 2 working days" in listing
    # Late first, then by due date.
    assert listing.index("the Christmas lot") < listing.index("the January lot")


def test_the_agenda_is_a_guided_flow_one_step_at_a_time(
    chair: CsrfClient, db: Session, demo: DemoPeople, hub_id: int
) -> None:
    conference = _opened(db, demo, hub_id)
    base = f"/conferences/{conference.id}/steps"
    first = chair.get(f"{base}/1").get_data(as_text=True)
    assert "Step 1 of 10" in first and "consent and confidentiality" in first
    assert "Step 3 of 10" in chair.get(f"{base}/3").get_data(as_text=True)
    assert chair.get(f"{base}/0").status_code == 404 and chair.get(f"{base}/11").status_code == 404
    saved = chair.post(
        f"{base}/1",
        data={"revision": _now(db, conference.id), "consent": "yes", "attendance": "QAS, police, school DSL"},
    )
    assert saved.status_code == 303 and saved.headers["Location"].endswith(f"{base}/2")
    # The lead practitioner's presentation is part of step 2.
    purpose = chair.get(f"{base}/2").get_data(as_text=True)
    for heading in ("Themes", "Patterns", "Trends", "Vulnerabilities", "Capacity to safeguard", "context weighting"):
        assert heading in purpose
    assert (
        chair.post(
            f"{base}/2", data={"revision": _now(db, conference.id), "themes": "Recruitment by older youths"}
        ).status_code
        == 303
    )
    # Immediate safeguarding: a yes/no that is neither is refused, the notes kept.
    refused = chair.post(
        f"{base}/5",
        data={"revision": _now(db, conference.id), "complex_strategy": "maybe", "adults_of_concern": "A man called D"},
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Choose yes or no." in body and "A man called D</textarea>" in body
    done = chair.post(
        f"{base}/5",
        data={
            "revision": _now(db, conference.id),
            "complex_strategy": "no",
            "s47": "yes",
            "adults_of_concern": "A man called D",
        },
    )
    assert done.status_code == 303
    assert "Does this need to be a Complex Strategy?" in chair.get(f"{base}/5").get_data(as_text=True)
    overview = chair.get(f"/conferences/{conference.id}").get_data(as_text=True)
    assert overview.count("Recorded</span>") == 3
    # Notes are encrypted at rest.
    note = db.exec(select(ConferenceNote).where(ConferenceNote.field == "adults_of_concern")).one()
    assert note.text == "A man called D"
    stored = db.execute(text("SELECT text FROM conference_note WHERE id = :id"), {"id": note.id}).scalar_one()
    assert "A man called D" not in stored
    # Emptying a heading takes it out.
    assert (
        chair.post(
            f"{base}/1", data={"revision": _now(db, conference.id), "consent": "yes", "attendance": ""}
        ).status_code
        == 303
    )
    db.expire_all()
    assert db.exec(select(ConferenceNote).where(ConferenceNote.field == "attendance")).first() is None
    # The last step goes back to itself, saved.
    last = chair.post(
        f"{base}/10", data={"revision": _now(db, conference.id), "outcomes": "The park is safe after school"}
    )
    assert last.status_code == 303 and "/steps/10?saved=1" in last.headers["Location"]


def test_two_chairs_saving_one_step_from_the_same_page_lose_nothing(
    chair: CsrfClient, manager: CsrfClient, db: Session, demo: DemoPeople, hub_id: int
) -> None:
    """R24: both open step 7 at one revision; the first save wins, the second is told and shown
    what was saved, its own words kept in the form; saving again (from the page as it is now) works."""
    conference = _opened(db, demo, hub_id)
    path, seen = f"/conferences/{conference.id}/steps/7", _now(db, conference.id)
    assert f'name="revision" value="{seen}"' in chair.get(path).get_data(as_text=True)
    first = chair.post(path, data={"revision": seen, "worries": "Older youths give them cannabis"})
    assert first.status_code == 303
    late = manager.post(path, data={"revision": seen, "worries": "They are carrying knives"})
    body = late.get_data(as_text=True)
    assert late.status_code == 422 and "Someone else saved this conference while you were writing" in body
    assert "Older youths give them cannabis" in body and "They are carrying knives</textarea>" in body
    db.expire_all()
    assert db.exec(select(ConferenceNote)).one().text == "Older youths give them cannabis"
    both = "Older youths give them cannabis; they are carrying knives"
    again = manager.post(path, data={"revision": _now(db, conference.id), "worries": both})
    assert again.status_code == 303
    db.expire_all()
    assert db.exec(select(ConferenceNote)).one().text == both


def test_plan_actions_have_an_owner_a_real_date_and_a_domain(
    chair: CsrfClient, db: Session, demo: DemoPeople, hub_id: int
) -> None:
    conference = _opened(db, demo, hub_id)
    path = f"/conferences/{conference.id}/actions"
    refused = chair.post(path, data={**ACTION, "owner": "", "due_on": "2027-02-30", "domain": "vibes"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Say who will do it" in body and "Enter the date it is due by" in body and "Choose the domain" in body
    assert "share the map with the school</textarea>" in body
    assert chair.post(path, data=ACTION).status_code == 303
    step = chair.get(f"/conferences/{conference.id}/steps/10").get_data(as_text=True)
    assert "3. Partnerships" in step and "QAS will share the map with the school" in step
    action = db.exec(select(ConferenceAction)).one()
    assert action.due_on == date(2027, 2, 1)
    stored = db.execute(text("SELECT action FROM conference_action WHERE id = :id"), {"id": action.id}).scalar_one()
    assert "share the map" not in stored


def test_closing_needs_30_minutes_for_the_plan_unless_the_chair_says_why(
    chair: CsrfClient, db: Session, demo: DemoPeople, hub_id: int, frozen: None
) -> None:
    conference = _opened(db, demo, hub_id)
    times = f"/conferences/{conference.id}/plan-times"
    backwards = chair.post(times, data={"plan_started": "15:00", "plan_ended": "14:30"})
    assert backwards.status_code == 422 and "must end after it started" in backwards.get_data(as_text=True)
    assert chair.post(times, data={"plan_started": "25:00", "plan_ended": "14:30"}).status_code == 422
    assert chair.post(f"/conferences/{conference.id}/actions", data=ACTION).status_code == 303
    assert chair.post(times, data={"plan_started": "14:00", "plan_ended": "14:20"}).status_code == 303
    close = f"/conferences/{conference.id}/close"
    short = chair.post(close, data={"review_on": ""})
    assert short.status_code == 422 and "Only 20 minutes were kept for the plan" in short.get_data(as_text=True)
    db.expire_all()
    assert db.get(ContextConference, conference.id).closed_at is None  # type: ignore[union-attr]
    closed = chair.post(close, data={"short_plan_reason": "The fire alarm went off"})
    assert closed.status_code == 303
    page = chair.get(f"/conferences/{conference.id}").get_data(as_text=True)
    assert "20 minutes" in page and "The fire alarm went off" in page


def test_the_action_plan_is_finalised_before_the_conference_closes(
    chair: CsrfClient, db: Session, demo: DemoPeople, hub_id: int, frozen: None
) -> None:
    conference = _opened(db, demo, hub_id)
    close = f"/conferences/{conference.id}/close"
    refused = chair.post(close, data={})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Finalise the action plan before closing" in body and "Record when the discussion of the plan" in body
    plan_ready(db, _priya(db, demo), conference)
    db.commit()
    assert chair.post(close, data={}).status_code == 303


def test_closing_sets_the_review_no_later_than_3_months(
    chair: CsrfClient, db: Session, demo: DemoPeople, hub_id: int, frozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    default, earlier = (
        _opened(db, demo, hub_id, name="the Ash Road group"),
        _opened(db, demo, hub_id, name="the Birch Lane group"),
    )
    for conference in (default, earlier):
        plan_ready(db, _priya(db, demo), conference)
    db.commit()
    too_late = chair.post(f"/conferences/{earlier.id}/close", data={"review_on": "2027-03-01"})
    body = too_late.get_data(as_text=True)
    assert too_late.status_code == 422 and "no later than 28 February 2027" in body and 'value="2027-03-01"' in body
    assert chair.post(f"/conferences/{earlier.id}/close", data={"review_on": "2026-11-30"}).status_code == 422
    assert chair.post(f"/conferences/{default.id}/close", data={"review_on": ""}).status_code == 303
    assert chair.post(f"/conferences/{earlier.id}/close", data={"review_on": "2027-01-25"}).status_code == 303
    db.expire_all()
    # 3 months on is Sunday 28 February 2027: the review is the last working day before it.
    assert db.get(ContextConference, default.id).review_on == date(2027, 2, 26)  # type: ignore[union-attr]
    assert db.get(ContextConference, earlier.id).review_on == date(2027, 1, 25)  # type: ignore[union-attr]
    # Closed once: a second close is told, and the record no longer changes.
    again = chair.post(f"/conferences/{default.id}/close", data={})
    assert again.status_code == 422 and "This conference is closed" in again.get_data(as_text=True)
    assert (
        chair.post(
            f"/conferences/{default.id}/steps/1", data={"consent": "no", "revision": _now(db, default.id)}
        ).status_code
        == 422
    )
    assert chair.post(f"/conferences/{default.id}/actions", data=ACTION).status_code == 422
    listing = chair.get("/conferences").get_data(as_text=True)
    assert "Review Monday 25 January 2027" in listing
    assert listing.index("the Birch Lane group") < listing.index("the Ash Road group")
    assert "Review overdue" not in listing
    # On 1 February the earlier review (25 January) has passed: flagged; the other is not.
    monkeypatch.setattr("app.conferences.queries.today", lambda: date(2027, 2, 1))
    listing = chair.get("/conferences").get_data(as_text=True)
    assert listing.count("Review overdue") == 1
    assert listing.index("Birch Lane") < listing.index("Review overdue") < listing.index("Ash Road")


def test_a_moved_review_needs_the_chairs_consent_and_falls_within_two_weeks(
    chair: CsrfClient, db: Session, demo: DemoPeople, hub_id: int, frozen: None
) -> None:
    conference = _opened(db, demo, hub_id)
    move = f"/conferences/{conference.id}/review"
    assert chair.post(move, data={"review_on": "2027-03-01", "consent": "yes", "reason": "x"}).status_code == 422
    plan_ready(db, _priya(db, demo), conference)
    db.commit()
    assert chair.post(f"/conferences/{conference.id}/close", data={"review_on": "2027-02-15"}).status_code == 303
    no_consent = chair.post(move, data={"review_on": "2027-02-22", "reason": "The chair is ill"})
    body = no_consent.get_data(as_text=True)
    assert no_consent.status_code == 422 and "needs the chair's express consent" in body
    assert "The chair is ill</textarea>" in body
    too_far = chair.post(move, data={"review_on": "2027-03-02", "consent": "yes", "reason": "The chair is ill"})
    body = too_far.get_data(as_text=True)
    assert too_far.status_code == 422 and "between 16 February 2027 and 1 March 2027" in body
    assert chair.post(move, data={"review_on": "2027-02-10", "consent": "yes", "reason": "ill"}).status_code == 422
    moved = chair.post(move, data={"review_on": "2027-03-01", "consent": "yes", "reason": "The chair is ill"})
    assert moved.status_code == 303
    db.expire_all()
    row = db.get(ContextConference, conference.id)
    assert row is not None and (row.review_moved_from, row.review_on) == (date(2027, 2, 15), date(2027, 3, 1))
    assert row.review_moved_by_id == _priya(db, demo)
    page = chair.get(f"/conferences/{conference.id}").get_data(as_text=True)
    assert "Moved from 15 February 2027 with the chair's consent" in page and "The chair is ill" in page


def test_conference_pages_never_show_a_childs_plan(
    chair: CsrfClient, hana: CsrfClient, db: Session, demo: DemoPeople, hub_id: int
) -> None:
    """A canary in Kay's plan, and Jordan's whole plan: Kay is a member of the group, Priya chairs
    Jordan's case and so may read his plan elsewhere; no conference page or answer shows either."""
    canary = "CANARY-kay-will-text-her-aunt-7731"
    alex = db.exec(select(Practitioner).where(Practitioner.email == demo.other_worker_email)).one()
    kay_plan = db.exec(select(Plan).where(Plan.child_id == demo.kayla_id)).one()
    plans.add(db, draft_of(session=db, plan_id=kay_plan.id or 0), plans.statement(canary), by=alex)
    conference = _opened(db, demo, hub_id)
    hana.post(f"/mapping/{conference.mapping_id}/members", data={"description": "Older lad called T"})
    # Hana (on Kay's case team) lists Kay as a member of the group.
    assign_practitioner(
        session=db,
        child_id=demo.kayla_id,
        assignment=AssignmentInput(practitioner_id=hub_id, case_role=CaseRole.TEAM_MEMBER),
    )
    add_member(
        session=db,
        actor=actor_for(hub_id),
        mapping_id=conference.mapping_id,
        member=MemberInput.parse({"child_id": demo.kayla_id}),
    )
    db.commit()
    words = {s.text for s in db.exec(select(ChildStatement)).all()} | {canary}
    assert len(words) > 5  # the demo's plans have statements of their own
    pages = [f"/conferences/{conference.id}", "/conferences"] + [
        f"/conferences/{conference.id}/steps/{n}" for n in range(1, 11)
    ]
    for client in (chair, hana):
        for path in pages:
            body = client.get(path).get_data(as_text=True)
            # Kay is named as a member (overview and the mapping step), nothing of her plan.
            if path.endswith((f"/conferences/{conference.id}", "/steps/4")):
                assert "Kayla Brooks" in body and "Older lad called T" in body
            leaked = [w for w in words if w in body]
            assert leaked == [], (path, leaked)


def test_only_chairs_managers_qas_and_the_hub_reach_conferences(
    allocated_worker: CsrfClient,
    unallocated_worker: CsrfClient,
    admin: CsrfClient,
    manager: CsrfClient,
    hana: CsrfClient,
    young_person: CsrfClient,
    db: Session,
    demo: DemoPeople,
    hub_id: int,
    frozen: None,
) -> None:
    conference = _opened(db, demo, hub_id)
    base = f"/conferences/{conference.id}"
    for client in (allocated_worker, unallocated_worker, admin):
        assert client.get("/conferences").status_code == 404
        assert client.get(base).status_code == 404
        assert client.get(f"{base}/steps/1").status_code == 404
        assert (
            client.post(f"{base}/steps/1", data={"consent": "yes", "revision": _now(db, conference.id)}).status_code
            == 404
        )
        assert client.post(f"{base}/actions", data=ACTION).status_code == 404
        assert client.post(f"{base}/schedule", data={"meets_on": "2026-12-10"}).status_code == 404
        assert client.post(f"{base}/close", data={}).status_code == 404
        assert 'href="/conferences"' not in client.get("/").get_data(as_text=True)
    # The family side has no conference route at all.
    assert young_person.get("/conferences").status_code == 404
    assert young_person.get(base).status_code == 404
    # The Hub reads and sets the date, but does not record the conference.
    assert hana.get(base).status_code == 200
    assert hana.post(f"{base}/steps/1", data={"consent": "yes", "revision": _now(db, conference.id)}).status_code == 404
    assert hana.post(f"{base}/actions", data=ACTION).status_code == 404
    bad = hana.post(f"{base}/schedule", data={"meets_on": "soon"})
    assert bad.status_code == 422 and "Enter the date of the conference" in bad.get_data(as_text=True)
    assert hana.post(f"{base}/schedule", data={"meets_on": "2026-12-10"}).status_code == 303
    assert "Thursday 10 December 2026" in hana.get(base).get_data(as_text=True)
    # A manager chairs as well as an independent chair.
    assert (
        manager.post(f"{base}/steps/1", data={"consent": "yes", "revision": _now(db, conference.id)}).status_code == 303
    )
    db.expire_all()
    assert db.exec(select(ConferenceNote)).one().field == "consent"
    assert db.get(ContextConference, conference.id).meets_on == date(2026, 12, 10)  # type: ignore[union-attr]
    assert db.exec(select(MappingMeeting)).first() is not None
