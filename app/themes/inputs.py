"""The period the strategic themes count over: from and to dates, validated, the last 3 months by default."""

from __future__ import annotations

import calendar
from datetime import date

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from app.inputs import Day, Input
from app.timeutil import today

# No forum asks about the years before the service; a bounded period keeps each query small.
EARLIEST = date(2020, 1, 1)
LONGEST_DAYS = 3 * 366
DEFAULT_MONTHS = 3


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or the month's last day when that month is shorter."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def default_period() -> tuple[date, date]:
    """The last 3 months, to today (England)."""
    end = today()
    return months_before(end, DEFAULT_MONTHS), end


class PeriodInput(Input):
    """From and to dates, both included; the form's fields are named "from" and "to"."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    start: Day = Field(alias="from")
    end: Day = Field(alias="to")

    messages = {
        "from": {
            "bad_date": _l("Enter the first day of the period, like 2026-09-01."),
            "missing": _l("Enter the first day of the period, like 2026-09-01."),
            "too_early": _l("Choose a first day in 2020 or later."),
        },
        "to": {
            "bad_date": _l("Enter the last day of the period, like 2026-11-30."),
            "missing": _l("Enter the last day of the period, like 2026-11-30."),
            "in_future": _l("The period cannot end after today."),
            "before_start": _l("The last day must be on or after the first day."),
            "too_long": _l("Choose a period of 3 years or less."),
        },
    }

    @field_validator("start")
    @classmethod
    def _not_too_early(cls, value: date) -> date:
        if value < EARLIEST:
            raise PydanticCustomError("too_early", "before 2020")
        return value

    @field_validator("end")
    @classmethod
    def _within_reason(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if value > today():
            raise PydanticCustomError("in_future", "after today")
        if start is not None and value < start:
            raise PydanticCustomError("before_start", "before the start date")
        if start is not None and (value - start).days >= LONGEST_DAYS:
            raise PydanticCustomError("too_long", "longer than 3 years")
        return value
