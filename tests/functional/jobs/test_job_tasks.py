"""The jobs' work, run through procrastinate's in-memory connector and a worker that stops when done.

Review reminders (a week and a day before, to the facilitator, each once), overdue notices (at most
one per item per day, to the allocated worker), the purges, and the tray that shows the notices.
The clock is frozen (tests.support.incidents.freeze stops app.timeutil).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from app import SaferPlan
from app.auth.models import SignInSession
from app.auth.sessions import SessionLimits, start_session
from app.jobs import registry
from app.jobs.queue import defer
from app.meetings.operations import schedule
from app.notices.models import NoticeKind
from tests.factories import meetings, people
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.functional.jobs.support import (
    POLICE_DUE,
    REVIEW_ON,
    agreed_with_late_action,
    in_memory_app,
    notices,
    run_worker,
)
from tests.support.incidents import freeze


def _sweep(application: SaferPlan, *names: str) -> None:
    app, _connector = in_memory_app(application)
    for name in names:
        app.configure_task(name).defer()
    run_worker(app)


def test_the_review_reminder_comes_a_week_before_then_on_the_working_day_before(
    application: SaferPlan, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreed_with_late_action(db, case)
    worker = case.worker.id
    freeze(monkeypatch, date(2026, 12, 4))  # ten days before: nothing yet
    _sweep(application, "review_reminders")
    assert notices(db) == []
    freeze(monkeypatch, date(2026, 12, 7))  # Monday, a week before
    _sweep(application, "review_reminders")
    freeze(monkeypatch, date(2026, 12, 8))  # the next day: the week's reminder is not sent again
    _sweep(application, "review_reminders")
    week = (NoticeKind.REVIEW_IN_A_WEEK, worker, REVIEW_ON, REVIEW_ON)
    assert notices(db) == [week]
    # The day before is a Sunday: "tomorrow" comes on Friday, once.
    freeze(monkeypatch, date(2026, 12, 11))
    _sweep(application, "review_reminders", "review_reminders")
    assert notices(db) == [week, (NoticeKind.REVIEW_TOMORROW, worker, REVIEW_ON, REVIEW_ON)]


def test_the_reminder_goes_to_the_chair_or_the_review_meetings_facilitator(
    application: SaferPlan, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreed_with_late_action(db, case)
    chair = people.chair(db, case.child)
    freeze(monkeypatch, date(2026, 12, 7))
    _sweep(application, "review_reminders")
    assert [(kind, who) for kind, who, _k, _d in notices(db)] == [(NoticeKind.REVIEW_IN_A_WEEK, chair.id)]


def test_a_booked_review_meeting_s_facilitator_gets_the_reminder(
    application: SaferPlan, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreed_with_late_action(db, case)
    people.chair(db, case.child)
    other = people.practitioner(db, name="Dee Facilitator", email="dee@example.org")
    people.assign(db, other, case.child)
    freeze(monkeypatch, date(2026, 12, 7))
    review_meeting = meetings.schedule_input(other, days=7).model_copy(update={"is_review": True})
    schedule(session=db, actor=people.actor(case.worker), child_id=case.child_id, details=review_meeting)
    freeze(monkeypatch, date(2026, 12, 11))
    _sweep(application, "review_reminders")
    assert [(kind, who) for kind, who, _k, _d in notices(db)] == [(NoticeKind.REVIEW_TOMORROW, other.id)]


def test_overdue_actions_and_reviews_give_one_notice_per_item_per_day(
    application: SaferPlan, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreed = agreed_with_late_action(db, case)
    worker = case.worker.id
    freeze(monkeypatch, date(2026, 11, 30))
    _sweep(application, "overdue_notices", "overdue_notices")  # twice the same day
    late_action = (NoticeKind.ACTION_OVERDUE, worker, date(2026, 11, 30), POLICE_DUE)
    assert notices(db) == [late_action]
    # Past the review: the review is overdue too; each item noticed again for the new day.
    freeze(monkeypatch, date(2026, 12, 16))
    _sweep(application, "overdue_notices")
    assert notices(db) == [
        late_action,
        (NoticeKind.REVIEW_OVERDUE, worker, date(2026, 12, 16), REVIEW_ON),
        (NoticeKind.ACTION_OVERDUE, worker, date(2026, 12, 16), POLICE_DUE),
    ]
    assert agreed.plan.id is not None


def test_the_work_tray_shows_the_notices_to_the_worker_only(
    application: SaferPlan, db: Session, case: Case, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreed_with_late_action(db, case)
    freeze(monkeypatch, date(2026, 12, 7))
    _sweep(application, "review_reminders", "overdue_notices")
    page = sign_in(case.worker).get("/").get_data(as_text=True)
    assert "Reminders and overdue work" in page
    assert "review due in 7 days" in page
    assert "an agency action overdue by 35 days" in page
    # Someone not on the case (another worker) sees no notice, and no name.
    other = people.other_case(db)
    elsewhere = sign_in(other.worker).get("/").get_data(as_text=True)
    assert "Reminders and overdue work" not in elsewhere and case.child.first_name not in elsewhere


def test_the_purge_job_deletes_sign_in_records_a_day_after_they_ended(
    application: SaferPlan, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits = SessionLimits(idle=timedelta(minutes=30), absolute=timedelta(hours=12))
    _raw, record = start_session(session=db, account_kind="practitioner", account_id=case.worker.id or 0, limits=limits)
    ended = record.expires_at
    monkeypatch.setattr("app.timeutil.utcnow", lambda: ended + timedelta(minutes=1))
    _sweep(application, "purge_sign_in_records")
    assert len(db.exec(select(SignInSession)).all()) == 1  # ended a minute ago: kept for the day
    monkeypatch.setattr("app.timeutil.utcnow", lambda: ended + timedelta(days=1, minutes=1))
    _sweep(application, "purge_sign_in_records")
    assert db.exec(select(SignInSession)).all() == []


def test_the_retention_purge_runs_as_a_job(application: SaferPlan, db: Session) -> None:
    """The job is the command's purge (tested with its clock in tests/unit/plans): here, that it runs."""
    assert (
        registry.run(
            registry.JobContext(database=application.database, settings=application.settings), "purge_closed_plans", {}
        )
        == 0
    )


def test_defer_takes_only_known_jobs_and_plain_values(application: SaferPlan, db: Session) -> None:
    with pytest.raises(KeyError):
        defer("no_such_job")
    with pytest.raises(TypeError, match="plain value"):
        defer("review_reminders", session=db, child=object())


def test_periodic_jobs_and_procrastinate_s_housekeeping_are_registered(application: SaferPlan) -> None:
    app, _connector = in_memory_app(application)
    periodic = {task.name for task in registry.periodic_tasks()}
    assert periodic == {"review_reminders", "overdue_notices", "purge_closed_plans", "purge_sign_in_records"}
    assert {"retry_stalled_jobs", "remove_old_jobs"} <= set(app.tasks)
    assert {p.periodic_id for p in app.periodic_registry.periodic_tasks.values()} >= periodic | {"retry_stalled_jobs"}
