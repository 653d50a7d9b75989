"""What a practitioner fills in to make a personal access token (the page and, later, the API)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from app.api.models import TokenScope
from app.inputs import Day, Input, Words
from app.timeutil import today

MAX_TOKEN_NAME_LENGTH = 80
# Every token ends. 90 days: long enough for a nightly sync to run a quarter between renewals,
# short enough that a token copied somewhere forgotten stops working on its own.
MAX_TOKEN_DAYS = 90


def latest_expiry(on: date | None = None) -> date:
    """The last day a token made today may be set to expire on."""
    return (on or today()) + timedelta(days=MAX_TOKEN_DAYS)


class TokenInput(Input):
    """A token's name (what it is for), scope and the day it stops working."""

    name: Annotated[str, Words(MAX_TOKEN_NAME_LENGTH, name=True)]
    scope: TokenScope
    expires_on: Day

    messages = {
        "name": {"blank": _l("Say what the token is for, like “Mosaic nightly sync”.")},
        "scope": _l("Choose what the token may do."),
        "expires_on": {
            "expiry_range": _l("Choose a day after today and at most %(n)s days away.", n=MAX_TOKEN_DAYS),
            "bad_date": _l("Enter the day the token stops working, like 2026-12-14."),
            "missing": _l("Enter the day the token stops working, like 2026-12-14."),
        },
    }

    @field_validator("expires_on")
    @classmethod
    def _within_limit(cls, value: date) -> date:
        # Against today's date when the form is sent: a token always ends, and soon enough.
        if not today() < value <= latest_expiry():
            raise PydanticCustomError("expiry_range", "expiry_range")
        return value
