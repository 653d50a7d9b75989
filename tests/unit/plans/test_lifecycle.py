"""R28: closed plans are purged after the retention period by a command; open ones never are."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.auth.models import Passkey
from app.people.models import Child, FamilyMember
from app.plans.lifecycle import close_plan, purge_closed_plans
from app.plans.models import ChildStatement, Plan, PlanVersion
from app.timeutil import utcnow
from tests.factories import access, people, plans
from tests.factories.people import Case

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
