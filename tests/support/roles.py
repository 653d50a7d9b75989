"""Every role the policy knows, as people on the demo data: the demo's own, plus a team member on
Jordan's case and a worker reading it through break glass (the demo has neither)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.access.break_glass import BreakGlassRequest, open_break_glass
from app.actors import Actor
from app.auth.inputs import AccountInput
from app.auth.models import AccountKind
from app.auth.practitioner_accounts import create_practitioner
from app.demo.seed import DEMO_PASSWORD, DemoPeople
from app.people.inputs import AssignmentInput
from app.people.models import Agency, CaseRole, Practitioner, PractitionerRole
from app.people.operations import assign_practitioner

FAMILY_ROLES = ("young_person", "parent", "trusted_adult")
PRACTITIONER_ROLES = (
    "allocated_worker",
    "chair",
    "agency_partner",
    "manager",
    "team_member",
    "break_glass",
    "admin",
    "unallocated_worker",
)
TEAM_MEMBER_EMAIL = "terry.nolan@example.org"
BREAK_GLASS_EMAIL = "bea.quinn@example.org"


def practitioner_id(db: Session, email: str) -> int:
    return db.exec(select(Practitioner.id).where(Practitioner.email == email)).one() or 0


def _new_practitioner(db: Session, demo: DemoPeople, email: str, name: str, team: str) -> Practitioner:
    # The demo's password hash: argon2 is slow, and these accounts never sign in with a password.
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    return create_practitioner(
        session=db,
        account=AccountInput(
            email=email,
            display_name=name,
            role=PractitionerRole.SOCIAL_WORKER,
            agency=Agency.CHILDRENS_SOCIAL_WORK,
            team=team,
            password=DEMO_PASSWORD,
        ),
        password_hash=sam.password_hash,
    )


def add_team_member(db: Session, demo: DemoPeople) -> Practitioner:
    """Terry Nolan, in Sam's team, on Jordan's case as a team member (read-only)."""
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    terry = _new_practitioner(db, demo, TEAM_MEMBER_EMAIL, "Terry Nolan", sam.team)
    assign_practitioner(
        session=db,
        child_id=demo.jordan_id,
        assignment=AssignmentInput(practitioner_id=terry.id or 0, case_role=CaseRole.TEAM_MEMBER),
    )
    return terry


def add_break_glass_reader(db: Session, demo: DemoPeople) -> Practitioner:
    """Bea Quinn, of another team, reading Jordan's plan for an hour through break glass."""
    bea = _new_practitioner(db, demo, BREAK_GLASS_EMAIL, "Bea Quinn", "Out of Hours")
    open_break_glass(
        session=db,
        actor=Actor(kind=AccountKind.PRACTITIONER, account_id=bea.id or 0),
        request=BreakGlassRequest(
            name="Jordan Ellis",
            date_of_birth=date(2012, 5, 9),
            child_id=demo.jordan_id,
            reason="Police called at 2am: Jordan reported missing",
        ),
    )
    return bea


def role_accounts(db: Session, demo: DemoPeople) -> dict[str, tuple[AccountKind, int]]:
    """Who signs in for each role (call add_team_member and add_break_glass_reader first)."""
    practitioners = {
        "allocated_worker": demo.social_worker_email,
        "chair": demo.chair_email,
        "agency_partner": demo.agency_partner_email,
        "manager": demo.manager_email,
        "team_member": TEAM_MEMBER_EMAIL,
        "break_glass": BREAK_GLASS_EMAIL,
        "admin": demo.admin_email,
        "unallocated_worker": demo.other_worker_email,
    }
    return {
        "young_person": (AccountKind.FAMILY, demo.young_person_id),
        "parent": (AccountKind.FAMILY, demo.parent_id),
        "trusted_adult": (AccountKind.FAMILY, demo.trusted_adult_id),
        **{role: (AccountKind.PRACTITIONER, practitioner_id(db, email)) for role, email in practitioners.items()},
    }
