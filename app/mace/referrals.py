"""Adding a referral to MACE: the one write both a concern's page and a Hub decision make.

Kept apart from app.mace.operations so the Hub (which the concerns module opens) can refer
without importing the concerns module back. The caller has checked who may refer.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.actors import Actor
from app.audit.operations import record_change
from app.concerns.models import Concern
from app.mace.models import MaceReferral
from app.models_base import stamp
from app.timeutil import today


def open_referral(session: Session, concern_id: int) -> MaceReferral | None:
    """The concern's referral still waiting for the panel's outcome, if there is one."""
    return session.exec(
        select(MaceReferral).where(MaceReferral.concern_id == concern_id, col(MaceReferral.outcome_at).is_(None))
    ).first()


def add_referral(
    *, session: Session, actor: Actor, concern: Concern, reason: str, hub_enquiry_id: int | None = None
) -> MaceReferral | None:
    """A referral of the concern to the panel; None when one is already waiting for an outcome.

    The concern's row lock makes a second referrer, sent at the same moment, wait and then find
    the first one's referral (one referral waiting at a time, never two).
    """
    session.exec(select(Concern.id).where(Concern.id == concern.id).with_for_update()).first()
    if open_referral(session, concern.id or 0) is not None:
        return None
    row = MaceReferral(
        concern_id=concern.id or 0,
        child_id=concern.child_id,
        hub_enquiry_id=hub_enquiry_id,
        referred_by_id=actor.account_id,
        referred_on=today(),
        reason=reason,
    )
    stamp(row, actor.label, new=True)
    session.add(row)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=concern.child_id,
        entity="mace_referral",
        entity_id=row.id,
        action="created",
    )
    return row
