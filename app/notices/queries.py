"""The notices a practitioner sees on their work tray: the last two days', newest first.

Only notices about cases the reader still holds (a live assignment): a worker moved off a case no
longer sees its name here. An overdue item gives a notice a day: only the newest of each is shown,
and not at all once its reader has set that one aside (app/notices/operations.dismiss).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exists
from sqlmodel import Session, col, select

from app import timeutil
from app.access import caseloads
from app.actors import Actor
from app.db_reads import table_of
from app.notices.models import Notice, NoticeKind
from app.people.models import CaseAssignment, Child

SHOWN_DAYS = 2
SHOWN_AT_MOST = 20


@dataclass(frozen=True)
class TrayNotice:
    notice: Notice
    child: Child
    today: date

    @property
    def is_reminder(self) -> bool:
        return self.notice.kind in (NoticeKind.REVIEW_IN_A_WEEK, NoticeKind.REVIEW_TOMORROW)

    @property
    def days(self) -> int:
        """Days until the review (reminders) or days late (overdue notices), from today."""
        gap = (self.notice.due_on - self.today).days
        return gap if self.is_reminder else -gap


def my_notices(*, session: Session, actor: Actor) -> list[TrayNotice]:
    """The reader's notices of the last SHOWN_DAYS days (none for anyone who is not a practitioner)."""
    # The same gate as the tray's other sections: only practitioners with a caseload have notices.
    if caseloads.caseload_scope(session=session, actor=actor) is None:
        return []
    since = timeutil.utcnow() - timedelta(days=SHOWN_DAYS)
    rows = session.exec(_notices_query(), params={"me": actor.account_id, "since": since}).all()
    today = timeutil.today()
    seen: set[tuple[str, int]] = set()
    shown = []
    for notice, child in rows:
        if (notice.kind, notice.subject_id) not in seen:
            seen.add((notice.kind, notice.subject_id))
            # The newest of an item's notices decides: set aside, yesterday's does not come back.
            if notice.dismissed_at is None:
                shown.append(TrayNotice(notice=notice, child=child, today=today))
    # The day's notices together, newest day first; within a day the longest overdue (or soonest due) first.
    shown.sort(key=lambda t: (-t.notice.created_at.date().toordinal(), t.notice.due_on))
    return shown[:SHOWN_AT_MOST]


@cache
def _notices_query() -> Any:
    """`me`'s notices since `since` about cases they still hold, newest first (built once: the
    caseload asks on every request)."""
    me: sa.BindParameter[int] = sa.bindparam("me")
    holds_case = exists().where(
        col(CaseAssignment.child_id) == col(Notice.child_id),
        col(CaseAssignment.practitioner_id) == me,
        col(CaseAssignment.ended_on).is_(None),
    )
    return (
        select(Notice, Child)
        .join(Child, col(Child.id) == col(Notice.child_id))
        .where(
            col(Notice.practitioner_id) == me,
            col(Notice.created_at) >= sa.bindparam("since", type_=table_of(Notice).c.created_at.type),
            holds_case,
        )
        .order_by(col(Notice.created_at).desc(), col(Notice.id).desc())
        .limit(SHOWN_AT_MOST * SHOWN_DAYS)
    )
