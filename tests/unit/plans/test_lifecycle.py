"""R28: closed plans are purged after the retention period by a command; open ones never are."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.actors import Actor
from app.audit.models import AuditEvent
from app.auth.models import AccountKind, Passkey
from app.demo.seed import DemoPeople
from app.people.models import Child, FamilyMember, Practitioner
from app.plans.lifecycle import close_plan, purge_closed_plans
from app.plans.models import ChildStatement, Plan, PlanVersion
from app.plans.versions import open_plan_for_child
from app.timeutil import utcnow

RETENTION = timedelta(days=2190)


def _close_jordans_plan(db: Session, demo: DemoPeople) -> Plan:
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None
    return close_plan(
        session=db, actor=Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0), plan_id=plan.id or 0
    )


def test_r28_a_closed_plan_is_kept_until_the_period_ends_then_purged(db: Session, demo: DemoPeople) -> None:
    db.add(
        Passkey(
            account_kind=AccountKind.FAMILY, account_id=demo.young_person_id, credential_id=b"p" * 16, public_key=b"k"
        )
    )
    plan = _close_jordans_plan(db, demo)
    closed_at = plan.closed_at
    assert closed_at is not None
    # A day before the period ends: nothing goes.
    early = purge_closed_plans(session=db, retention=RETENTION, now=closed_at + RETENTION - timedelta(days=1))
    assert early.plans == 0 and db.get(Child, demo.jordan_id) is not None
    # The period has passed (a frozen clock, years later).
    result = purge_closed_plans(session=db, retention=RETENTION, now=closed_at + RETENTION + timedelta(days=1))
    db.commit()
    db.expire_all()
    assert result.plans == 1 and result.children == 1 and result.family_members == 3
    assert db.get(Child, demo.jordan_id) is None
    assert db.exec(select(PlanVersion).where(PlanVersion.plan_id == plan.id)).first() is None
    assert db.get(FamilyMember, demo.young_person_id) is None
    assert db.exec(select(Passkey).where(Passkey.account_id == demo.young_person_id)).first() is None
    # Kayla's open plan is untouched, and the audit log keeps a record of the purge.
    assert db.get(Child, demo.kayla_id) is not None
    assert db.exec(select(ChildStatement)).first() is not None
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "purged")).first() is not None


def test_r28_open_plans_are_never_purged(db: Session, demo: DemoPeople) -> None:
    result = purge_closed_plans(session=db, retention=timedelta(days=1), now=utcnow() + timedelta(days=10_000))
    assert result.plans == 0
    assert db.get(Child, demo.jordan_id) is not None
