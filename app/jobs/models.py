"""The in-process scheduler's claims (SQLite only uses them; the table exists on every database).

Each periodic task has one row holding the last cron slot some process claimed. A process claims a
slot with one conditional UPDATE (`WHERE last_slot < :slot`), so two gunicorn processes on one
SQLite file never both run the same slot (app.jobs.inprocess).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class JobSchedule(SQLModel, table=True):
    __tablename__ = "job_schedule"

    task_name: str = Field(primary_key=True, max_length=80)
    last_slot: datetime | None = None


# procrastinate's own tables (PostgreSQL, created by revision 0027 from its shipped SQL) are not the
# app's models: Alembic's comparison of models and database leaves them out, rather than drop them.
PROCRASTINATE_PREFIX = "procrastinate_"


def alembic_include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's include_name hook: every name but procrastinate's tables."""
    return not (type_ == "table" and (name or "").startswith(PROCRASTINATE_PREFIX))
