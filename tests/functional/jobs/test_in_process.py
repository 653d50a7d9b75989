"""SQLite's way of running jobs (app/jobs/inprocess.py), tested on whichever database the suite runs on:
jobs leave only when the request's session commits, and each periodic slot is claimed by one process."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from app import SaferPlan
from app.jobs import queue
from app.jobs.inprocess import InProcessRunner, latest_slot
from app.notices.models import Notice, NoticeKind
from app.notices.sweeps import send_once
from tests.factories.people import Case
from tests.functional.jobs.support import agreed_with_late_action, context, notices
from tests.support.incidents import freeze


@pytest.fixture
def runner(application: SaferPlan, monkeypatch: pytest.MonkeyPatch) -> InProcessRunner:
    """A fresh in-process runner as this process's backend (whatever the suite's database)."""
    fresh = InProcessRunner(context(application))
    monkeypatch.setitem(queue._current, "backend", fresh)
    return fresh


def test_a_deferred_job_runs_only_once_its_session_commits(
    runner: InProcessRunner, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreed_with_late_action(db, case)
    db.commit()
    runner.run_pending()  # the agreement's own job (its family's phones are told: app/push)
    freeze(monkeypatch, date(2026, 12, 7))
    queue.defer("review_reminders", session=db)
    # A savepoint released inside the request (insert_or_conflict) is not the request's commit.
    send_once(
        db,
        Notice(
            practitioner_id=case.worker.id or 0,
            child_id=case.child_id,
            kind=NoticeKind.ACTION_OVERDUE,
            subject_id=1,
            key_day=date(2026, 12, 7),
            due_on=date(2026, 12, 1),
        ),
    )
    assert runner.run_pending() == 0
    db.commit()
    assert runner.run_pending() == 1
    assert [n[0] for n in notices(db)] == [NoticeKind.ACTION_OVERDUE, NoticeKind.REVIEW_IN_A_WEEK]


def test_a_rolled_back_request_sends_no_job(runner: InProcessRunner, db: Session) -> None:
    queue.defer("overdue_notices", session=db)
    db.rollback()
    db.commit()
    assert runner.run_pending() == 0


def test_the_runner_s_thread_runs_what_is_deferred(
    runner: InProcessRunner, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreed_with_late_action(db, case)
    freeze(monkeypatch, date(2026, 11, 30))
    runner.start(schedule=False)
    try:
        queue.defer("overdue_notices")
        deadline = time.monotonic() + 10
        while not notices(db) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        runner.stop()
    assert [n[0] for n in notices(db)] == [NoticeKind.ACTION_OVERDUE]


def test_two_processes_claim_each_periodic_slot_once(application: SaferPlan, db: Session) -> None:
    first, second = InProcessRunner(context(application)), InProcessRunner(context(application))
    slot = datetime(2026, 12, 7, 9, 7, tzinfo=UTC)
    assert [first.claim("review_reminders", slot), second.claim("review_reminders", slot)] == [True, False]
    assert first.claim("review_reminders", slot) is False
    later = datetime(2026, 12, 7, 10, 7, tzinfo=UTC)
    assert [second.claim("review_reminders", later), first.claim("review_reminders", later)] == [True, False]


def test_two_processes_run_the_due_periodic_jobs_between_them_once(
    application: SaferPlan, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreed_with_late_action(db, case)
    now = freeze(monkeypatch, date(2026, 12, 7))
    first, second = InProcessRunner(context(application)), InProcessRunner(context(application))
    ran = first.run_due_periodic(now)
    assert set(ran) == {"review_reminders", "overdue_notices", "purge_closed_plans", "purge_sign_in_records"}
    assert second.run_due_periodic(now) == []
    assert sorted(n[0] for n in notices(db)) == [NoticeKind.ACTION_OVERDUE, NoticeKind.REVIEW_IN_A_WEEK]


def test_the_latest_slot_of_a_cron_line() -> None:
    assert latest_slot("7 * * * *", datetime(2026, 12, 7, 9, 30, tzinfo=UTC)) == datetime(2026, 12, 7, 9, 7, tzinfo=UTC)
    assert latest_slot("7 * * * *", datetime(2026, 12, 7, 9, 7, 20, tzinfo=UTC)) == datetime(
        2026, 12, 7, 9, 7, tzinfo=UTC
    )
    assert latest_slot("30 2 * * *", datetime(2026, 12, 7, 1, 0, tzinfo=UTC)) == datetime(
        2026, 12, 6, 2, 30, tzinfo=UTC
    )
