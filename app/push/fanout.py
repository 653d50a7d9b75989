"""Who is told: each phone of the given members, after the change that concerns them is committed.

`announce` takes ids only, so that it can become a deferred job unchanged (app/jobs, at merge):
today it sends inline, one bounded call per phone (sending.TIMEOUT), after the commit.
"""

from __future__ import annotations

import logging

from flask import has_app_context
from sqlmodel import col, select

from app.push.models import PushSubscription
from app.push.sending import Outcome, runtime, send_one

log = logging.getLogger(__name__)

# A member with more phones than this is told on the newest few; bounds the inline work per change.
MAX_PHONES_PER_MEMBER = 5


def subscriptions_of(member_ids: list[int]) -> list[int]:
    """The subscription ids of these members' phones (newest first per member, bounded)."""
    _settings, database = runtime()
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


def announce(child_id: int, member_ids: list[int]) -> list[Outcome]:
    """Tell these members' phones that something is new in this child's plan (after commit)."""
    if not member_ids or not has_app_context():
        return []
    settings, _database = runtime()
    if not settings.web_push:
        return []
    try:
        targets = subscriptions_of(member_ids)
    except Exception:
        log.exception("could not look up push subscriptions")
        return []
    return [send_one(subscription_id, child_id) for subscription_id in targets]
