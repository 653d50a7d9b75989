"""R28: closed plans are purged after the retention period by a command; open ones never are."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.auth.models import Passkey
from app.concerns.models import Concern
from app.incidents.models import Incident
from app.people.models import Child, FamilyMember
from app.plans.lifecycle import close_plan, purge_closed_plans
from app.plans.models import ChildStatement, Plan, PlanVersion
from app.timeutil import utcnow
from tests.factories import access, people, plans
from tests.factories.people import Case
from tests.support.concerns import concern_about
from tests.support.incidents import freeze, incident

RETENTION = timedelta(days=2190)


def _closed_plan(db: Session, case: Case) -> Plan:
    plan = plans.plan(db, case.child, by=case.worker)
    return close_plan(session=db, actor=people.actor(case.worker), plan_id=plan.id or 0)


def test_r28_a_closed_plan_is_kept_until_the_period_ends_then_purged(db: Session, case: Case) -> None:
    access.passkey(db, case.young_person)
    kay = people.other_case(db)
    kays_plan = plans.plan(db, kay.child, by=kay.worker)
    plans.add(db, plans.draft(db, kays_plan), plans.statement("to feel listened to at school"), by=kay.worker)
    plan = _closed_plan(db, case)
    closed_at = plan.closed_at
    assert closed_at is not None
    # A day before the period ends: nothing goes.
    early = purge_closed_plans(session=db, retention=RETENTION, now=closed_at + RETENTION - timedelta(days=1))
    assert early.plans == 0 and db.get(Child, case.child.id) is not None
    # The period has passed (a frozen clock, years later).
    result = purge_closed_plans(session=db, retention=RETENTION, now=closed_at + RETENTION + timedelta(days=1))
    db.commit()
    db.expire_all()
    assert result.plans == 1 and result.children == 1 and result.family_members == 3
    assert db.get(Child, case.child.id) is None
    assert db.exec(select(PlanVersion).where(PlanVersion.plan_id == plan.id)).first() is None
    assert db.get(FamilyMember, case.young_person.id) is None
    assert db.exec(select(Passkey).where(Passkey.account_id == case.young_person.id)).first() is None
    # Kay's open plan is untouched, and the audit log keeps a record of the purge.
    assert db.get(Child, kay.child.id) is not None
    assert db.exec(select(ChildStatement)).first() is not None
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "purged")).first() is not None


def test_r28_open_plans_are_never_purged(db: Session, case: Case) -> None:
    plans.plan(db, case.child, by=case.worker)
    result = purge_closed_plans(session=db, retention=timedelta(days=1), now=utcnow() + timedelta(days=10_000))
    assert result.plans == 0
    assert db.get(Child, case.child.id) is not None


def test_r28_an_incident_goes_with_the_plan_whose_review_it_weighed(
    db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The nightly purge job once failed on any child with an incident (a foreign key to a purged version)."""
    freeze(monkeypatch, date(2026, 12, 18))
    agreed = plans.agreed_plan(
        db, case.child, by=case.worker, agreed_on=date(2026, 11, 27), review_date=date(2027, 1, 15)
    )
    moved_to = date(2026, 12, 22)
    incident(db, case.child, by=case.worker, when="2026-12-17T21:00", review="bring_forward", new_review_date=moved_to)
    plan = close_plan(session=db, actor=people.actor(case.worker), plan_id=agreed.plan.id or 0)
    result = purge_closed_plans(session=db, retention=RETENTION, now=(plan.closed_at or utcnow()) + RETENTION * 2)
    db.commit()
    db.expire_all()
    assert result.plans == 1 and result.children == 1
    assert db.exec(select(Incident)).first() is None and db.get(Child, case.child.id) is None


def test_r28_a_child_named_in_multi_agency_records_keeps_their_record_when_their_plan_goes(
    db: Session, case: Case
) -> None:
    concern = concern_about(db, case.worker.id or 0, case.child.id or 0)
    plan = _closed_plan(db, case)
    result = purge_closed_plans(session=db, retention=RETENTION, now=(plan.closed_at or utcnow()) + RETENTION * 2)
    db.commit()
    db.expire_all()
    # The plan is gone; the concern (the partnership's record, under its own retention) still names the child.
    assert result.plans == 1 and result.children == 0
    assert db.get(Plan, plan.id) is None
    assert db.get(Child, case.child.id) is not None and db.get(Concern, concern.id) is not None
