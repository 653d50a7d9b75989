"""What's new: remember which agreed version each family member last looked at.

Opening the plan moves the bookmark to the latest agreed version and keeps the one seen before,
so the "what's new" card stays until the person presses "Got it" (a reload or an edit in
between does not lose it). A bookmark is not plan content: it is neither a change to the plan
nor audited as one; the read that shows it is audited by the policy like every other.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam
from sqlmodel import Session

from app.access import policy
from app.actors import Actor
from app.auth.models import AccountKind
from app.db import insert_or_conflict
from app.db_reads import SideBySide, side_by_side, side_by_side_first, table_of
from app.errors import Conflict, NotFound
from app.plans.models import PlanVersion
from app.plans.sections import Section
from app.timeutil import utcnow
from app.whats_new.models import PlanSeen
from app.whats_new.queries import WhatsNew, changes_between

# A look that changes nothing else moves the bookmark's time at most this often: a page read then
# writes only its audit row (the fact of the look, R21), and its short write transaction is all
# that the processes wait for one another for under SQLite's one write lock (issue 13).
_TOUCH_EVERY = timedelta(hours=1)


def bookmark_on(child_id: Any, member_id: Any) -> ColumnElement[bool]:
    """Which bookmark is the member's on the child's plan: `child_id` and `member_id` are bound
    parameters or columns of the enclosing statement (a page may read the bookmark with other
    things in one statement: app.family.plan_page)."""
    seen = table_of(PlanSeen).c
    return and_(seen.member_id == member_id, seen.child_id == child_id)


@cache
def _bookmark_query() -> SideBySide:
    """The member's bookmark on the child's plan, built once (every look asks it: its SQL compiled
    once), read by hand (app.db_reads.side_by_side: cheaper than the ORM's loading)."""
    return side_by_side(
        (PlanSeen,), lambda statement: statement.where(bookmark_on(bindparam("child_id"), bindparam("member_id")))
    )


def _bookmark(session: Session, member_id: int, child_id: int) -> PlanSeen | None:
    found = side_by_side_first(session, _bookmark_query(), {"member_id": member_id, "child_id": child_id})
    return found[0] if found else None


def record_look(
    *, session: Session, actor: Actor, child_id: int, version: PlanVersion, review_on: date | None
) -> PlanSeen | None:
    """Move `actor`'s bookmark to `version` (an agreed one, shown to them after an access check in
    this request) with its review date as shown (`review_on`: an incident may have brought it
    forward); the bookmark as the page shows it (None for a draft: nothing is bookmarked)."""
    if actor.kind != AccountKind.FAMILY or version.agreed_at is None:
        return None
    row = _bookmark(session, actor.account_id, child_id)
    return record_look_from(
        session=session, actor=actor, child_id=child_id, version=version, review_on=review_on, row=row
    )


def record_look_from(
    *, session: Session, actor: Actor, child_id: int, version: PlanVersion, review_on: date | None, row: PlanSeen | None
) -> PlanSeen | None:
    """`record_look` for a caller that has read the bookmark itself (`bookmark_on`): `row` is the
    actor's bookmark on the child's plan as read in this request, or None if there was none."""
    if actor.kind != AccountKind.FAMILY or version.agreed_at is None:
        return None
    current = version
    now = utcnow()
    if row is None:
        # The first look ever: nothing is new yet (the bookmark starts with no changes to show).
        first = PlanSeen(
            member_id=actor.account_id, child_id=child_id, version_id=current.id or 0, seen_at=now, review_on=review_on
        )
        try:
            # Written at once, in one step: a page's reads hold no lock (app.db.ReadsFirst), so two
            # first looks at once (two tabs) both get here, and the second must not fail at commit.
            insert_or_conflict(session, first, "bookmark made by another first look")
            return first
        except Conflict:
            row = _bookmark(session, actor.account_id, child_id)  # read again: the other look's row
            if row is None:
                raise
    changed = row.version_id != current.id or review_on != row.review_on
    if row.version_id != current.id:
        # A newer version since the last look: show what changed from the one they saw (or, if an
        # earlier card was never dismissed, from the one they had seen before that).
        if row.changes_since_version_id is None:
            row.changes_since_version_id = row.version_id
        row.version_id = current.id or 0
    elif row.review_on is not None and review_on != row.review_on and row.review_moved_from is None:
        # The same version with another review date: an incident brought it forward. Remember the
        # date they knew until they press "Got it" (a new version's date is in the versions' comparison).
        row.review_moved_from = row.review_on
    if changed:
        row.review_on = review_on
    if changed or now - row.seen_at >= _TOUCH_EVERY:
        row.seen_at = now
    # Not flushed here: the door writes it with the request's audit, after the page is read
    # (app.db.ReadsFirst: a page's reads take no write lock).
    session.add(row)
    return row


def changes_to_show(
    *,
    session: Session,
    bookmark: PlanSeen | None,
    version: PlanVersion,
    sections: frozenset[Section],
    review_on: date | None,
) -> WhatsNew | None:
    """What the "what's new" card shows for this bookmark (from `record_look`), if anything.

    `review_on` is the review date the page shows (app.incidents.queries.review_on)."""
    if bookmark is None:
        return None
    review_moved = bookmark.review_moved_from is not None and Section.REVIEW in sections
    since = session.get(PlanVersion, bookmark.changes_since_version_id) if bookmark.changes_since_version_id else None
    if since is None or since.plan_id != version.plan_id:
        if not review_moved:
            return None
        # No newer version to compare: only the review date brought forward is new.
        return WhatsNew(since=version, now=version, review_date_moved=True, review_on=review_on)
    changes = changes_between(session=session, since=since, now=version, sections=sections)
    changes.review_on = review_on
    changes.review_date_moved = changes.review_date_moved or review_moved
    return None if changes.is_empty else changes


def dismiss_whats_new(*, session: Session, actor: Actor, child_id: int, version_id: int) -> None:
    """ "Got it": stop showing what changed up to `version_id` (the version the card was about).

    A card about an older version does not hide changes that arrived after it was shown.
    """
    access = policy.require("plan.read", session=session, actor=actor, child_id=child_id)
    if not access.is_family:
        raise NotFound()
    row = _bookmark(session, actor.account_id, child_id)
    if row is None or row.version_id != version_id:
        return
    row.changes_since_version_id = None
    row.review_moved_from = None
    row.seen_at = utcnow()
    session.add(row)
    session.flush()
