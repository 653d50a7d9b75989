"""Issue 10 item 4: the overdue sweep notices late carer commitments and priority actions too.

Once per item per day, to the allocated worker, through procrastinate's in-memory worker; an
item done, or with no date (ongoing), is never noticed; the tray names what each notice is about.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from app import SaferPlan
from app.notices.models import NoticeKind
from app.plans.inputs import ActionInput
from app.plans.models import CarerCommitment, PlanAction
from tests.factories import commitments, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.functional.jobs.support import REVIEW_ON, in_memory_app, notices, run_worker
from tests.support.incidents import freeze

COMMITMENT_DUE = date(2026, 11, 20)
ACTION_DUE = date(2026, 11, 27)


def _sweep(application: SaferPlan, *names: str) -> None:
    app, _connector = in_memory_app(application)
    for name in names:
        app.configure_task(name).defer()
    run_worker(app)


def _agreed(db: Session, case: Case) -> plans.AgreedPlan:
    """Lisa's one-off commitment (due 20 November) and an ongoing one; Jordan's dated action (27 November)."""
    agreed = plans.agreed_plan(
        db,
        case.child,
        commitments.commitment_input(case.parent, "ask the school for a meeting").model_copy(
            update={"due_on": COMMITMENT_DUE}
        ),
        commitments.commitment_input(case.parent, "welcome Jordan home calmly", by_when="every time"),
        ActionInput(who="Jordan", action="save the numbers", aim="reach help", success="saved", due_on=ACTION_DUE),
        ActionInput(who="Jordan", action="text Mum after school", aim="Mum knows", success="no worry"),
        by=case.worker,
        review_date=REVIEW_ON,
    )
    db.commit()
    return agreed


def test_late_commitments_and_actions_give_one_notice_per_item_per_day(
    application: SaferPlan, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    _agreed(db, case)
    worker = case.worker.id
    freeze(monkeypatch, date(2026, 11, 25))  # the commitment is late, the action not yet
    _sweep(application, "overdue_notices", "overdue_notices")  # twice the same day
    commitment = (NoticeKind.COMMITMENT_OVERDUE, worker, date(2026, 11, 25), COMMITMENT_DUE)
    assert notices(db) == [commitment]
    freeze(monkeypatch, date(2026, 11, 30))
    _sweep(application, "overdue_notices")
    _sweep(application, "overdue_notices")
    assert notices(db) == [
        commitment,
        (NoticeKind.PLAN_ACTION_OVERDUE, worker, date(2026, 11, 30), ACTION_DUE),
        (NoticeKind.COMMITMENT_OVERDUE, worker, date(2026, 11, 30), COMMITMENT_DUE),
    ]


def test_done_items_are_not_noticed(
    application: SaferPlan, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreed = _agreed(db, case)
    (lisas,) = [r for r in agreed.items if isinstance(r, CarerCommitment) and r.due_on is not None]
    commitments.done(db, case.child, lisas, by=case.parent)
    action = db.exec(
        select(PlanAction).where(PlanAction.version_id == agreed.draft.id, PlanAction.due_on == ACTION_DUE)
    ).one()
    action.done_on = date(2026, 11, 26)
    db.add(action)
    db.commit()
    freeze(monkeypatch, date(2026, 11, 30))
    _sweep(application, "overdue_notices")
    assert notices(db) == []


def test_the_tray_says_what_each_notice_is_about(
    application: SaferPlan, db: Session, case: Case, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    _agreed(db, case)
    freeze(monkeypatch, date(2026, 11, 30))
    _sweep(application, "overdue_notices")
    page = sign_in(case.worker).get("/").get_data(as_text=True)
    assert "a parent&#39;s commitment overdue by 10 days" in page or "a parent's commitment overdue by 10 days" in page
    assert "a priority action overdue by 3 days" in page
