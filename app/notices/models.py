"""A notice on the practitioner side: a review coming up, or something overdue (issue 10, item 3).

There is no email in this app: jobs (app/jobs) write notices and the work tray shows them. A notice
holds ids, a kind and dates, never plan text: the tray names the child and links to the case, where
the reader's own permissions decide what they see.

The unique key (kind, subject, key day) is the record that a notice was sent: a review reminder is
keyed by the plan and the review date it is about, so it is written once however many workers run
the sweep at once (app.db.insert_or_conflict: the second insert is refused); an overdue notice is
keyed by the item and the day, so each overdue item gives at most one notice a day.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.timeutil import utcnow


class NoticeKind(StrEnum):
    REVIEW_IN_A_WEEK = "review_7d"  # subject: the plan; key day: the review date
    REVIEW_TOMORROW = "review_1d"  # subject: the plan; key day: the review date
    REVIEW_OVERDUE = "review_overdue"  # subject: the plan; key day: the day noticed
    ACTION_OVERDUE = "action_overdue"  # subject: the agency action; key day: the day noticed
    COMMITMENT_OVERDUE = "commitment_overdue"  # subject: the carer commitment; key day: the day noticed
    PLAN_ACTION_OVERDUE = "plan_action_overdue"  # subject: the prioritised action; key day: the day noticed


class Notice(SQLModel, table=True):
    """One notice for one practitioner about one case."""

    __tablename__ = "practitioner_notice"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "key_day", name="uq_practitioner_notice_once"),)

    id: int | None = Field(default=None, primary_key=True)
    practitioner_id: int = Field(foreign_key="practitioner.id", index=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    kind: str = Field(max_length=20)  # NoticeKind
    # The plan (reviews) or the action or commitment (overdue ones) the notice is about; no foreign key,
    # so a notice never holds up a purge, which deletes the child's notices with the child.
    subject_id: int
    key_day: date
    # The review's date (reminders and overdue reviews) or the action's due date.
    due_on: date
    created_at: datetime = Field(default_factory=utcnow, index=True)
    # Set aside by its reader: it leaves their tray, and the row stays as the record it was sent.
    dismissed_at: datetime | None = None
