"""What the chair and the convenor write at a context conference: an agenda step's notes, an action of
the plan, the plan's discussion times, the close with its review date, a moved review, the date set."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any, Literal

from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator, create_model

from app.conferences.agenda import STEPS, Step
from app.conferences.models import ConferenceKind, Domain
from app.inputs import Checkbox, Day, Id, Input, OptionalDay, Words

KIND_NAMES = {
    ConferenceKind.PEER_GROUP: _l("Peer group context conference"),
    ConferenceKind.SCHOOL: _l("School context conference"),
    ConferenceKind.NEIGHBOURHOOD: _l("Neighbourhood context conference"),
}
# Who convenes and chairs each kind (seed 004).
KIND_CHAIRS = {
    ConferenceKind.PEER_GROUP: _l("Convened by QAS; chaired by an independent chair (ISRO)"),
    ConferenceKind.SCHOOL: _l("Chaired by the Head Teacher or the Designated Safeguarding Lead"),
    ConferenceKind.NEIGHBOURHOOD: _l("Chaired by the Community Safety Partnership manager (community connections)"),
}
DOMAIN_NAMES = {
    Domain.TARGET_CONTEXTS: _l("1. Target contexts"),
    Domain.LEGISLATIVE_FRAMEWORK: _l("2. Legislative framework"),
    Domain.PARTNERSHIPS: _l("3. Partnerships"),
    Domain.OUTCOMES_MEASUREMENT: _l("4. Outcomes measurement (contextual as well as individual change)"),
}
NOTE_LIMIT = 2000
YesNo = Literal["yes", "no", ""]


def _step_input(step: Step) -> type[Input]:
    fields: dict[str, Any] = {
        h.name: ((YesNo, "") if h.kind == "yesno" else (Annotated[str, Words(NOTE_LIMIT, required=False)], ""))
        for h in step.headings
    }
    # The conference's revision the form was shown at: a save from a stale form is a conflict (R24).
    fields["revision"] = (Id, ...)
    model: type[Input] = create_model(f"{step.key.title()}StepInput", __base__=Input, **fields)
    model.messages = {
        "revision": _l("Reload the page, then save again."),
        **{h.name: _l("Choose yes or no.") for h in step.headings if h.kind == "yesno"},
    }
    return model


# One typed input per step of the agenda, every text with its limit.
STEP_INPUTS: dict[str, type[Input]] = {step.key: _step_input(step) for step in STEPS}


class ActionInput(Input):
    """'Owner will do action by date', in one of the four domains."""

    domain: Domain
    action: Annotated[str, Words(1000)]
    owner: Annotated[str, Words(200, single_line=True)]
    due_on: Day

    messages = {
        "domain": _l("Choose the domain of the plan."),
        "action": {"blank": _l("Say what will be done.")},
        "owner": {"blank": _l("Say who will do it (a person or an agency).")},
        "due_on": _l("Enter the date it is due by, like 2027-02-15."),
    }


def _clock(value: object) -> object:
    if isinstance(value, str):
        match = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9])?", value.strip())
        if match is None:
            raise ValueError("bad time")
        return time(int(match.group(1)), int(match.group(2)))
    return value


Clock = Annotated[time, BeforeValidator(_clock)]


class PlanTimesInput(Input):
    """When the discussion of the plan started and ended (24-hour clock, the conference's day)."""

    plan_started: Clock
    plan_ended: Clock

    messages = {
        "plan_started": _l("Enter the time the discussion of the plan started, like 14:30."),
        "plan_ended": _l("Enter the time the discussion of the plan ended, like 15:05."),
    }


class CloseInput(Input):
    """Closing: the review date (3 months unless the chair chooses earlier) and, for a short plan, why."""

    review_on: OptionalDay = None
    short_plan_reason: Annotated[str, Words(1000, required=False)] = ""

    messages = {"review_on": _l("Enter the review date, like 2027-02-26, or leave it empty for 3 months.")}


class MoveReviewInput(Input):
    """Moving the review: the chair's express consent, why, and the new date."""

    review_on: Day
    consent: Checkbox = False
    reason: Annotated[str, Words(1000)]

    messages = {
        "review_on": _l("Enter the new review date, like 2027-03-05."),
        "reason": {"blank": _l("Say why the review must move.")},
    }


class ScheduleInput(Input):
    """The date the convenor sets for the conference."""

    meets_on: Day

    messages = {"meets_on": _l("Enter the date of the conference, like 2027-01-20.")}
