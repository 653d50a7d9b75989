"""What the Hub co-ordinator writes at a mapping meeting: a member, and the context weighting."""

from __future__ import annotations

from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator

from app.conferences.models import ConferenceKind
from app.inputs import Day, Input, OptionalId, Words
from app.mapping.models import Weighting

WEIGHTING_NAMES = {Weighting.LOW: _l("Low"), Weighting.MEDIUM: _l("Medium"), Weighting.HIGH: _l("High")}


class MemberInput(Input):
    """A child already known (chosen), or a description of someone who is not."""

    child_id: OptionalId = None
    description: Annotated[str, Words(500, required=False)] = ""

    messages = {"child_id": _l("Choose a young person from the list.")}


class WeightingInput(Input):
    """The meeting's date, the context weighting with its reasons, and whether a conference follows."""

    held_on: Day
    weighting: Weighting
    reasons: Annotated[str, Words(2000)]
    conference: Literal["yes", "no"]
    # Which conference follows (seed 004); a peer group's unless the co-ordinator chooses another.
    conference_kind: Annotated[ConferenceKind, BeforeValidator(lambda value: value or ConferenceKind.PEER_GROUP)] = (
        ConferenceKind.PEER_GROUP
    )

    messages = {
        "held_on": _l("Enter the date the mapping meeting was held, like 2027-01-12."),
        "weighting": _l("Choose low, medium or high."),
        "reasons": {"blank": _l("Give the reasons for the weighting.")},
        "conference": _l("Say whether a context conference follows."),
        "conference_kind": _l("Choose a peer group, school or neighbourhood conference."),
    }
