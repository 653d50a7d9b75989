"""Jobs through real procrastinate workers on real PostgreSQL (CI runs the suite on PostgreSQL too).

A database of its own (committed data: workers open their own connections), migrated to head, so
procrastinate's schema is the one revision 0027 made.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from app import SaferPlan
from app.db import Database, make_engine
from app.jobs import queue
from app.jobs.postgres import ProcrastinateBackend, build_app
from app.jobs.registry import JobContext
from app.notices import sweeps
from app.notices.models import Notice, NoticeKind
from tests.factories import people
from tests.functional.jobs.support import REVIEW_ON, agreed_with_late_action
from tests.support.database import migrate, scratch_database
from tests.support.incidents import freeze

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="procrastinate runs on PostgreSQL only; SQLite runs jobs in-process (test_in_process.py)",
)


@pytest.fixture
def committed(tmp_path: Path, application: SaferPlan) -> Iterator[JobContext]:
    """A scratch PostgreSQL database at head holding Jordan's agreed plan (review Monday 14 December)."""
    with scratch_database(tmp_path, "jobs") as url:
        migrate(url)
        database = Database(make_engine(url))
        with database.transaction() as session:
            agreed_with_late_action(session, people.case(session))
        yield JobContext(database=database, settings=replace(application.settings, database_url=url))
        database.engine.dispose()


def _notices(context: JobContext) -> list[tuple[str, date]]:
    with context.database.session() as session:
        return [(n.kind, n.key_day) for n in session.exec(select(Notice).order_by(col(Notice.id))).all()]


def _job_states(context: JobContext) -> list[tuple[str, str]]:
    """The jobs this test deferred, and how they ended. A worker also defers a periodic job whose
    latest slot passed less than 10 minutes before it started (procrastinate's catch-up): at 18:07
    the review reminders, at 18:17 the overdue notices. Those are left out, or the test would depend
    on the minute it runs (it did, in CI)."""
    with context.database.session() as session:
        rows = session.connection().exec_driver_sql(
            "SELECT task_name, status::text FROM procrastinate_jobs WHERE queue_name = 'safer_plan'"
            " AND id NOT IN (SELECT job_id FROM procrastinate_periodic_defers WHERE job_id IS NOT NULL)"
            " ORDER BY id"
        )
        return [(name, status) for name, status in rows]


async def _two_workers(context: JobContext) -> None:
    """Two workers, each its own app and connection pool, running at once until the queue is empty."""
    apps = [build_app(context), build_app(context)]
    for app in apps:
        await app.open_async()
    try:
        await asyncio.gather(
            *(
                app.run_worker_async(wait=False, install_signal_handlers=False, listen_notify=False, name=f"w{n}")
                for n, app in enumerate(apps)
            )
        )
    finally:
        for app in apps:
            await app.close_async()


def test_a_job_deferred_through_the_app_runs_on_a_real_worker(
    committed: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, date(2026, 11, 30))
    web_side = ProcrastinateBackend(committed)
    monkeypatch.setitem(queue._current, "backend", web_side)
    try:
        with committed.database.transaction() as session:
            queue.defer("overdue_notices", session=session)
            assert _job_states(committed) == []  # not before the request commits
    finally:
        web_side.close()
    assert _job_states(committed) == [("overdue_notices", "todo")]
    asyncio.run(_two_workers(committed))
    assert _job_states(committed) == [("overdue_notices", "succeeded")]
    assert _notices(committed) == [(NoticeKind.ACTION_OVERDUE, date(2026, 11, 30))]


def test_a_review_reminder_fires_once_with_two_workers_running(
    committed: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers each take a reminder sweep for the same due reminder: one notice, both jobs done."""
    freeze(monkeypatch, date(2026, 12, 7))
    app = build_app(committed)
    with app.open():
        for _ in range(2):
            app.configure_task("review_reminders").defer()
    asyncio.run(_two_workers(committed))
    assert _job_states(committed) == [("review_reminders", "succeeded")] * 2
    # The reminders only: a periodic overdue sweep the workers caught up on (minutes 17-27 of the
    # hour) adds the late police action's notice, which is not what this test is about.
    reminders = [n for n in _notices(committed) if n[0] != NoticeKind.ACTION_OVERDUE]
    assert reminders == [(NoticeKind.REVIEW_IN_A_WEEK, REVIEW_ON)]


def test_two_sweeps_racing_for_one_reminder_write_it_once(
    committed: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two sweeps reach the insert together (a barrier): the unique key lets one in, the other is told."""
    freeze(monkeypatch, date(2026, 12, 7))
    barrier = threading.Barrier(2, timeout=10)
    original = sweeps.send_once

    def together(session: Session, notice: Notice) -> bool:
        barrier.wait()
        return original(session, notice)

    monkeypatch.setattr(sweeps, "send_once", together)
    sent: list[int] = []

    def sweep() -> None:
        with committed.database.transaction() as session:
            sent.append(sweeps.send_review_reminders(session=session, today=date(2026, 12, 7)))

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(sent) == [0, 1]
    assert _notices(committed) == [(NoticeKind.REVIEW_IN_A_WEEK, REVIEW_ON)]


def test_procrastinate_s_periodic_jobs_are_deferred_once_for_two_workers(
    committed: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both workers' periodic deferrers try the latest slot of each job; the database lets one in."""
    asyncio.run(_two_workers(committed))
    with committed.database.session() as session:
        rows = (
            session.connection()
            .exec_driver_sql(
                "SELECT periodic_id, defer_timestamp, count(*) FROM procrastinate_periodic_defers"
                " GROUP BY periodic_id, defer_timestamp"
            )
            .all()
        )
    assert rows, "no periodic job was deferred"
    assert all(count == 1 for _id, _ts, count in rows)
