"""What calls for a push notice, noticed as a transaction flushes (from app/live/changes.py).

Two things change what a family member sees of their plan: a version is agreed (everyone linked to
the child), and a practitioner changes a sharing row (safety lock) for one member. Nothing is sent
for a family member's own edits (the young person choosing what to share, ideas, commitments),
and never to the person who made the change. Noted during the flush, sent after the commit.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import col

from app.access.models import SectionShare
from app.auth.models import AccountKind
from app.people.models import FamilyLink, FamilyMember
from app.plans.models import Plan, PlanVersion

_PENDING = "push_pending"  # child id -> member ids to tell after the commit


def _family_actor() -> int | None:
    """The family member making this change, if a family member is (None for practitioners, jobs)."""
    if not has_request_context() or current_app.config.get("DOOR") is None:
        return None
    if current_app.config["DOOR"].name != "family":
        return None
    from flask_login import current_user

    actor = getattr(current_user, "actor", None) if current_user else None
    return actor.account_id if actor is not None and actor.kind == AccountKind.FAMILY else None


def _just_agreed(version: PlanVersion) -> bool:
    history = inspect(version).attrs.agreed_at.history
    return bool(history.added) and history.added[0] is not None and not any(history.deleted)


def _linked_members(session: OrmSession, child_id: int) -> list[int]:
    rows = session.connection().execute(
        select(col(FamilyLink.member_id))
        .join(FamilyMember, col(FamilyMember.id) == col(FamilyLink.member_id))
        .where(
            col(FamilyLink.child_id) == child_id,
            col(FamilyLink.revoked_at).is_(None),
            col(FamilyMember.disabled_at).is_(None),
        )
    )
    return [int(member_id) for (member_id,) in rows]


def _child_of_plan(session: OrmSession, plan_id: int) -> int | None:
    return session.connection().execute(select(col(Plan.child_id)).where(col(Plan.id) == plan_id)).scalar()


def note(session: OrmSession, changed: list[Any]) -> None:
    """Remember whom to tell about the rows this flush wrote."""
    relevant = [obj for obj in changed if isinstance(obj, PlanVersion | SectionShare)]
    if not relevant:
        # Most flushes (a session's last-seen time, an audit row) concern no one's phone; asking
        # who is signed in here could even load the user while their own session row flushes.
        return
    family_actor = _family_actor()
    pending: dict[int, set[int]] = session.info.setdefault(_PENDING, {})
    for obj in relevant:
        if isinstance(obj, PlanVersion) and obj in session.dirty and _just_agreed(obj):
            child_id = _child_of_plan(session, obj.plan_id)
            if child_id is not None:
                pending.setdefault(child_id, set()).update(_linked_members(session, child_id))
        elif isinstance(obj, SectionShare) and family_actor is None:
            pending.setdefault(obj.child_id, set()).add(obj.member_id)
    if family_actor is not None:
        for members in pending.values():
            members.discard(family_actor)


def take(session: OrmSession) -> dict[int, list[int]]:
    """Whom to tell, once the transaction is committed (and forget it)."""
    pending: dict[int, set[int]] = session.info.pop(_PENDING, {})
    return {child_id: sorted(members) for child_id, members in pending.items() if members}


def forget(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)
