"""Who is told: each phone of the given members, after the change that concerns them is committed.

The change's commit defers the job "push_fan_out" (app/live/changes.py, app/jobs/tasks.py): the job
finds the members' phones here and defers one "push_send" per phone, so a push service that asks
to wait (429) delays that phone alone, and a slow one never holds the request that made the change.
"""

from __future__ import annotations

import logging

from sqlmodel import col, select

from app.db import Database
from app.push.models import PushSubscription
from app.push.sending import runtime

log = logging.getLogger(__name__)

# A member with more phones than this is told on the newest few; bounds the inline work per change.
MAX_PHONES_PER_MEMBER = 5


def subscriptions_of(member_ids: list[int], database: Database | None = None) -> list[int]:
    """The subscription ids of these members' phones (newest first per member, bounded)."""
    database = database or runtime()[1]
    with database.session() as session:
        rows = session.exec(
            select(col(PushSubscription.id), col(PushSubscription.member_id))
            .where(col(PushSubscription.member_id).in_(member_ids))
            .order_by(col(PushSubscription.member_id), col(PushSubscription.id).desc())
        ).all()
    kept: list[int] = []
    per_member: dict[int, int] = {}
    for subscription_id, member_id in rows:
        per_member[member_id] = per_member.get(member_id, 0) + 1
        if per_member[member_id] <= MAX_PHONES_PER_MEMBER and subscription_id is not None:
            kept.append(subscription_id)
    return kept
