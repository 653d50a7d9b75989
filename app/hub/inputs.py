"""What the Hub writes when it decides an enquiry."""

from __future__ import annotations

from typing import Annotated

from flask_babel import lazy_gettext as _l

from app.hub.models import Level
from app.inputs import Input, Words


class HubDecisionInput(Input):
    """The level of support, and the action the Hub will take (or ask of others)."""

    level: Level
    action: Annotated[str, Words(1000)]

    messages = {
        "level": _l("Choose the level of support."),
        "action": {"blank": _l("Say what action the Hub will take, and who will take it.")},
    }
