"""A worker of the Adolescent Safety Hub (the demo has none), and an enquiry for the Hub's queue."""

from __future__ import annotations

from sqlmodel import Session, select

from app.auth.inputs import AccountInput
from app.auth.practitioner_accounts import create_practitioner
from app.concerns.inputs import DecisionInput
from app.concerns.operations import decide_route
from app.demo.seed import DEMO_PASSWORD, DemoPeople
from app.hub.models import HubEnquiry
from app.people.models import Agency, Practitioner, PractitionerRole
from tests.support.concerns import actor_for, assessed, concern_about

HUB_EMAIL = "hana.okafor@example.org"


def add_hub_worker(db: Session, demo: DemoPeople) -> Practitioner:
    """Hana Okafor, co-ordinator of the Adolescent Safety Hub (on no one's case)."""
    return add_hub_worker_beside(db, demo.social_worker_email)


def add_hub_worker_beside(db: Session, colleague_email: str) -> Practitioner:
    """Hana Okafor, with the password hash of a demo colleague (e2e servers have no DemoPeople)."""
    sam = db.exec(select(Practitioner).where(Practitioner.email == colleague_email)).one()
    return create_practitioner(
        session=db,
        account=AccountInput(
            email=HUB_EMAIL,
            display_name="Hana Okafor",
            role=PractitionerRole.LEAD_PROFESSIONAL,
            agency=Agency.ADOLESCENT_SAFETY_HUB,
            team="Adolescent Safety Hub",
            password=DEMO_PASSWORD,
        ),
        # The demo's hash: argon2 is slow, and this account never signs in with a password.
        password_hash=sam.password_hash,
    )


def enquiry_about_kayla(
    db: Session, demo: DemoPeople, alex_id: int, text: str = "Seen in a car with adults"
) -> HubEnquiry:
    """Alex's concern about Kay (high risk, not open to Children's Social Work): a Hub enquiry."""
    concern = concern_about(db, alex_id, demo.kayla_id, text=text)
    assessment = assessed(db, alex_id, concern, grade="high")
    decide_route(
        session=db,
        actor=actor_for(alex_id),
        concern_id=concern.id or 0,
        decision=DecisionInput.parse({"chosen": "hub_enquiry", "based_on": assessment.id}),
    )
    return db.exec(select(HubEnquiry).where(HubEnquiry.concern_id == concern.id)).one()
