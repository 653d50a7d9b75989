"""An enquiry to the Adolescent Safety Hub (seed 002): made by a route decision, decided within
one working day (the level of support and/or action), and the decision notifies MACE."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field

from app.crypto import EncryptedText
from app.models_base import Timestamped


class Level(StrEnum):
    """The level of support the Hub decides on."""

    UNIVERSAL_OR_SINGLE_AGENCY = "universal_or_single_agency"
    EARLY_HELP = "early_help"
    SAFER_ME = "safer_me"
    SAFER_ME_PLUS = "safer_me_plus"
    COMPLEX_STRATEGY = "complex_strategy"


class HubEnquiry(Timestamped, table=True):
    """One enquiry in the Hub's queue."""

    __tablename__ = "hub_enquiry"

    id: int | None = Field(default=None, primary_key=True)
    concern_id: int = Field(foreign_key="concern.id", index=True)
    route_decision_id: int = Field(foreign_key="route_decision.id", index=True)
    # The young person, when the concern is about one (a person of concern's enquiry has none).
    child_id: int | None = Field(default=None, foreign_key="child.id", index=True)
    received_on: date
    # Within one working day of receipt (app.workingdays): counted from the next working day.
    due_on: date = Field(index=True)
    decided_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="practitioner.id", index=True)
    level: str | None = Field(default=None, max_length=40)  # Level
    # What the Hub will do (and who); names people and places, so encrypted.
    action: str | None = Field(default=None, sa_type=EncryptedText)
    # The decision notifies MACE (seed 002): when it was sent on.
    mace_notified_at: datetime | None = None
