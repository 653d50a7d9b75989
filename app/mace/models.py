"""The operational MACE panel (seed 002): referrals of a young person, a peer group or place, or
persons of concern; the panel's meeting dates; and the outcome the panel records for each referral.

A referral comes from a concern's page (pathways that say "refer to MACE if appropriate") or from
a Hub decision (the decision notifies MACE). Free text names children and adults: encrypted (R27).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field

from app.crypto import EncryptedText
from app.models_base import Timestamped


class Outcome(StrEnum):
    """What the panel decided for one referral."""

    ACTIONS_AGREED = "actions_agreed"
    NO_FURTHER_ACTION = "no_further_action"
    REFER_ON = "refer_on"


class MacePanel(Timestamped, table=True):
    """One meeting of the panel, on a date (one panel a day)."""

    __tablename__ = "mace_panel"

    id: int | None = Field(default=None, primary_key=True)
    meets_on: date = Field(unique=True, index=True)
    convened_by_id: int = Field(foreign_key="practitioner.id", index=True)


class MaceReferral(Timestamped, table=True):
    """One referral to the panel, and (once the panel has met) its outcome."""

    __tablename__ = "mace_referral"

    id: int | None = Field(default=None, primary_key=True)
    concern_id: int = Field(foreign_key="concern.id", index=True)
    # The young person, when the concern is about one; None for a context or persons of concern.
    child_id: int | None = Field(default=None, foreign_key="child.id", index=True)
    # The Hub enquiry whose decision made the referral (None when made from the concern's page).
    hub_enquiry_id: int | None = Field(default=None, foreign_key="hub_enquiry.id", index=True)
    referred_by_id: int = Field(foreign_key="practitioner.id", index=True)
    referred_on: date
    reason: str = Field(sa_type=EncryptedText)
    # The panel it is listed for (None while it waits for one).
    panel_id: int | None = Field(default=None, foreign_key="mace_panel.id", index=True)
    outcome: str | None = Field(default=None, max_length=30)  # Outcome
    outcome_notes: str | None = Field(default=None, sa_type=EncryptedText)
    outcome_by_id: int | None = Field(default=None, foreign_key="practitioner.id", index=True)
    outcome_at: datetime | None = None
