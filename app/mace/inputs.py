"""What people write for MACE: a referral's reason, a panel's date, a referral's outcome."""

from __future__ import annotations

from typing import Annotated

from flask_babel import lazy_gettext as _l

from app.inputs import Day, Id, Input, Words
from app.mace.models import Outcome

OUTCOME_NAMES = {
    Outcome.ACTIONS_AGREED: _l("Actions agreed"),
    Outcome.NO_FURTHER_ACTION: _l("No further MACE action"),
    Outcome.REFER_ON: _l("Refer on"),
}


class ReferralInput(Input):
    """Why the young person, the context or the persons of concern go to the panel."""

    why: Annotated[str, Words(1000)]

    messages = {"why": {"blank": _l("Say why you are referring to MACE.")}}


class PanelInput(Input):
    """The date the panel meets."""

    meets_on: Day

    messages = {"meets_on": _l("Enter the date the panel meets, like 2027-01-12.")}


class ListInput(Input):
    """A waiting referral, listed for this panel."""

    referral_id: Id

    messages = {"referral_id": _l("Choose a referral waiting for a panel.")}


class OutcomeInput(Input):
    """The panel's outcome for one referral: the choice and what was agreed."""

    outcome: Outcome
    notes: Annotated[str, Words(2000)]

    messages = {
        "outcome": _l("Choose the outcome."),
        "notes": {"blank": _l("Write what the panel agreed, and who will do it.")},
    }
