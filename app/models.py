"""Every table, imported in one place so SQLModel's metadata (and Alembic) sees them all."""

from app.audit.models import ChangeRecord
from app.auth.models import Invitation, Passkey, SignInSession, WebAuthnChallenge
from app.models_base import metadata
from app.people.models import CaseAssignment, Child, FamilyLink, FamilyMember, Practitioner
from app.plans.models import (
    AgencyAction,
    CarerCommitment,
    ChildStatement,
    EmergencyContact,
    NetworkPerson,
    ParentalResponsibility,
    Place,
    Plan,
    PlanAction,
    PlanVersion,
)

__all__ = [
    "AgencyAction",
    "CarerCommitment",
    "CaseAssignment",
    "ChangeRecord",
    "Child",
    "ChildStatement",
    "EmergencyContact",
    "FamilyLink",
    "FamilyMember",
    "Invitation",
    "NetworkPerson",
    "ParentalResponsibility",
    "Passkey",
    "Place",
    "Plan",
    "PlanAction",
    "PlanVersion",
    "Practitioner",
    "SignInSession",
    "WebAuthnChallenge",
    "metadata",
]
