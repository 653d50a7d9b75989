"""What a worker writes when something significant happens: the incident and the review decision.

One typed input for the page's form and the API's body (app.api.incident_views). Rules that need
the clock or the plan (not in the future; a new review date sooner than the current one, within
the next working days) are the service's, so each refusal still names the one box to change.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from app.incidents.models import IncidentKind, ReviewChoice
from app.inputs import Input, OptionalDay, OptionalId, Words
from app.timeutil import ENGLAND

MAX_WHAT_HAPPENED = 2000
MAX_KEPT_BECAUSE = 1000

KIND_NAMES = {
    IncidentKind.MISSING_EPISODE: _l("Missing episode"),
    IncidentKind.ARREST: _l("Arrest"),
    IncidentKind.EXCLUSION: _l("Exclusion from school"),
    IncidentKind.NEW_CONCERN: _l("New concern"),
    IncidentKind.OTHER: _l("Something else"),
}

# A date and a time as a datetime-local box sends it (England's time), or with an offset (the API).
_WHEN = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?"
)


def _when(value: object) -> datetime:
    """A moment, as an aware UTC datetime; a time with no offset is England's (the framework's) time."""
    if isinstance(value, str) and _WHEN.fullmatch(value.strip()):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=ENGLAND)
            return moment.astimezone(UTC)
        except (ValueError, OverflowError):  # 2026-13-01; or year 1 at +01:00, before the first UTC moment
            pass
    raise PydanticCustomError("bad_moment", "bad_moment")


def _choice(value: object) -> object:
    return None if value in (None, "") else value


When = Annotated[datetime, BeforeValidator(_when)]


class ReviewAnswer(StrEnum):
    """What a worker may answer about the review (ReviewChoice's NO_REVIEW is the service's, not theirs)."""

    BRING_FORWARD = ReviewChoice.BRING_FORWARD.value
    KEEP = ReviewChoice.KEEP.value


class IncidentInput(Input):
    """An incident, and whether it brings the review forward (and to when), or why not."""

    kind: IncidentKind
    occurred_at: When
    what_happened: Annotated[str, Words(MAX_WHAT_HAPPENED)]
    # "bring_forward" or "keep"; empty when the case has no review to move.
    review: Annotated[ReviewAnswer | None, BeforeValidator(_choice)] = None
    new_review_date: OptionalDay = None
    kept_because: Annotated[str, Words(MAX_KEPT_BECAUSE, required=False)] = ""
    # The review as the worker saw it: the plan's revision and the agreed version (R24).
    review_revision: OptionalId = None
    review_version: OptionalId = None

    messages = {
        "kind": _l("Choose what happened."),
        "occurred_at": _l("Enter when it happened, a date and a time, like 2026-11-29 21:30."),
        "what_happened": {"blank": _l("Describe what happened.")},
        "review": _l("Choose whether to bring the review forward."),
        "new_review_date": _l("Enter the new review date, like 2026-12-04."),
    }
