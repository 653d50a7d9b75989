"""A notice as the review-reminder job writes one (app/notices), without running the job."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.notices.models import Notice, NoticeKind
from app.timeutil import today


def reminder_for(db: Session, practitioner_id: int, child_id: int, *, subject_id: int = 1) -> Notice:
    """A week's review reminder for `practitioner_id` about `child_id`'s plan (`subject_id`)."""
    due = today() + timedelta(days=7)
    notice = Notice(
        practitioner_id=practitioner_id,
        child_id=child_id,
        kind=NoticeKind.REVIEW_IN_A_WEEK,
        subject_id=subject_id,
        key_day=due,
        due_on=due,
    )
    db.add(notice)
    db.flush()
    return notice
