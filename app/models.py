"""Every table, imported in one place so SQLModel's metadata (and Alembic) sees them all."""

from app.access.models import BreakGlassGrant, SectionShare
from app.agency_actions.models import AgencyActionUpdate
from app.api.models import ApiToken
from app.audit.models import AuditEvent
from app.auth.models import Invitation, Passkey, SignInSession, WebAuthnChallenge
from app.commitments.models import CommitmentUpdate
from app.concerns.models import Assessment, Concern, RouteDecision
from app.conferences.models import ConferenceAction, ConferenceNote, ContextConference
from app.hub.models import HubEnquiry
from app.incidents.models import Incident
from app.jobs.models import JobSchedule
from app.live.models import LiveChannel
from app.mace.models import MacePanel, MaceReferral
from app.mapping.models import MappingMeeting, MappingMember
from app.meetings.models import AgendaNote, Meeting, MeetingPerson
from app.models_base import metadata
from app.notices.models import Notice
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
from app.push.models import PushSubscription
from app.whats_new.models import PlanSeen

__all__ = [
    "AgencyAction",
    "AgencyActionUpdate",
    "AgendaNote",
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "BreakGlassGrant",
    "CarerCommitment",
    "CaseAssignment",
    "Child",
    "ChildStatement",
    "CommitmentUpdate",
    "Concern",
    "ConferenceAction",
    "ConferenceNote",
    "ContextConference",
    "EmergencyContact",
    "FamilyLink",
    "FamilyMember",
    "HubEnquiry",
    "Incident",
    "Invitation",
    "JobSchedule",
    "LiveChannel",
    "MacePanel",
    "MaceReferral",
    "MappingMeeting",
    "MappingMember",
    "Meeting",
    "MeetingPerson",
    "NetworkPerson",
    "Notice",
    "ParentalResponsibility",
    "Passkey",
    "Place",
    "Plan",
    "PlanAction",
    "PlanSeen",
    "PlanVersion",
    "Practitioner",
    "PushSubscription",
    "RouteDecision",
    "SectionShare",
    "SignInSession",
    "WebAuthnChallenge",
    "metadata",
]
