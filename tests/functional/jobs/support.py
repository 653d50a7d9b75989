"""Helpers for the job tests: a procrastinate app in memory, and Jordan's case with a review and a late action."""

from __future__ import annotations

from datetime import date

import procrastinate
from procrastinate.testing import InMemoryConnector
from sqlmodel import Session, col, select

from app import SaferPlan
from app.jobs.postgres import build_app
from app.jobs.registry import JobContext
from app.notices.models import Notice
from app.people.models import Agency
from app.plans.inputs import AgencyActionInput
from app.plans.models import AgencyActionKind
from tests.factories import plans
from tests.factories.people import Case

REVIEW_ON = date(2026, 12, 14)  # a Monday
POLICE_DUE = date(2026, 11, 2)


def context(application: SaferPlan) -> JobContext:
    return JobContext(database=application.database, settings=application.settings)


def in_memory_app(application: SaferPlan) -> tuple[procrastinate.App, InMemoryConnector]:
    """The app's jobs on procrastinate's in-memory connector (no PostgreSQL needed)."""
    connector = InMemoryConnector()
    return build_app(context(application), connector=connector), connector


def run_worker(app: procrastinate.App) -> None:
    """Run every job waiting, then stop (wait=False), as one worker would.

    Without the worker's periodic deferrer: it defers each periodic job's latest slot by the real
    clock (up to 10 minutes late), so from minute 7 to 27 of every hour it added a sweep the test
    never asked for, and the tests that count notices failed by the minute they ran. The periodic
    jobs' registration has its own test; here each test defers the jobs it runs."""
    periodic = dict(app.periodic_registry.periodic_tasks)
    app.periodic_registry.periodic_tasks.clear()
    try:
        app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    finally:
        app.periodic_registry.periodic_tasks.update(periodic)


def agreed_with_late_action(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's plan agreed with a review on Monday 14 December and the police's one-off action due 2 November."""
    return plans.agreed_plan(
        db,
        case.child,
        AgencyActionInput(
            agency=Agency.POLICE,
            kind=AgencyActionKind.INCREASE_SAFETY,
            action="set up the Police Trigger Plan",
            due_on=POLICE_DUE,
            is_police_trigger_plan=True,
        ),
        by=case.worker,
        review_date=REVIEW_ON,
    )


def notices(db: Session) -> list[tuple[str, int, date, date]]:
    """(kind, practitioner, key day, due on) of every notice, in the order written."""
    rows = db.exec(select(Notice).order_by(col(Notice.id))).all()
    return [(n.kind, n.practitioner_id, n.key_day, n.due_on) for n in rows]
