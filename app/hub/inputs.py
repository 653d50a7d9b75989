"""What the Hub writes when it decides an enquiry."""

from __future__ import annotations

from typing import Annotated

from flask_babel import lazy_gettext as _l

from app.hub.models import Level
from app.inputs import Input, Words

# Each level's name, as the Hub's decision form and the concern's page say it.
LEVEL_NAMES = {
    Level.UNIVERSAL_OR_SINGLE_AGENCY: _l("Universal services or a single agency"),
    Level.EARLY_HELP: _l("Early Help assessment and interventions"),
    Level.SAFER_ME: _l("A Safer Me meeting"),
    Level.SAFER_ME_PLUS: _l("Safer Me Plus (strategy discussion, section 47 enquiry)"),
    Level.COMPLEX_STRATEGY: _l("A Complex Strategy meeting"),
}


class HubDecisionInput(Input):
    """The level of support, and the action the Hub will take (or ask of others)."""

    level: Level
    action: Annotated[str, Words(1000)]

    messages = {
        "level": _l("Choose the level of support."),
        "action": {"blank": _l("Say what action the Hub will take, and who will take it.")},
    }
