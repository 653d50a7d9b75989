"""Time in one convention: timezone-aware UTC datetimes (SQLModel stores them alike on every engine)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app import workingdays

# The framework is English: "today" and deadlines are in England's local time.
ENGLAND = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in England."""
    return datetime.now(ENGLAND).date()


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`, skipping weekends and England's bank holidays."""
    return workingdays.add_working_days(start, days)
