"""Children, their family members, practitioners and case assignments."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.actors import Actor
from app.auth.inputs import AccountInput
from app.auth.models import AccountKind
from app.auth.passwords import hash_password
from app.auth.practitioner_accounts import create_practitioner
from app.people.inputs import AssignmentInput, ChildInput, FamilyMemberInput
from app.people.models import (
    Agency,
    CaseAssignment,
    CaseRole,
    Child,
    FamilyMember,
    FamilyRole,
    Practitioner,
    PractitionerRole,
)
from app.people.operations import add_family_member, assign_practitioner, create_child

PASSWORD = "factory-password-for-tests"


@functools.cache
def password_hash() -> str:
    # argon2 is slow on purpose: hash the one test password once per process.
    return hash_password(PASSWORD)


def child(
    db: Session,
    *,
    first_name: str = "Jordan",
    last_name: str = "Ellis",
    preferred_name: str = "",
    date_of_birth: date | None = date(2012, 5, 9),
    school: str = "Millbrook Academy",
    open_to_csw: bool = True,
) -> Child:
    return create_child(
        session=db,
        child=ChildInput(
            first_name=first_name,
            last_name=last_name,
            preferred_name=preferred_name,
            date_of_birth=date_of_birth,
            school=school,
            open_to_csw=open_to_csw,
        ),
    )


def family_member(db: Session, of: Child, *, name: str, role: FamilyRole, relationship: str = "") -> FamilyMember:
    return add_family_member(
        session=db,
        child_id=of.id or 0,
        member=FamilyMemberInput(display_name=name, role=role, relationship=relationship),
    )


def young_person(db: Session, of: Child, *, name: str | None = None) -> FamilyMember:
    return family_member(db, of, name=name or of.preferred_name or of.first_name, role=FamilyRole.YOUNG_PERSON)


def parent(db: Session, of: Child, *, name: str = "Lisa Ellis", relationship: str = "Mum") -> FamilyMember:
    return family_member(db, of, name=name, role=FamilyRole.PARENT_CARER, relationship=relationship)


def trusted_adult(
    db: Session, of: Child, *, name: str = "Denise Carter", relationship: str = "Aunt Dee"
) -> FamilyMember:
    return family_member(db, of, name=name, role=FamilyRole.TRUSTED_ADULT, relationship=relationship)


def practitioner(
    db: Session,
    *,
    name: str = "Sam Okafor",
    email: str | None = None,
    role: PractitionerRole = PractitionerRole.SOCIAL_WORKER,
    agency: Agency = Agency.CHILDRENS_SOCIAL_WORK,
    team: str = "Adolescent Safety Team (North)",
) -> Practitioner:
    """A practitioner account (password PASSWORD); the email is made from the name unless given."""
    address = email or f"{'.'.join(name.lower().replace('pc ', '').split())}@example.org"
    return create_practitioner(
        session=db,
        account=AccountInput(email=address, display_name=name, role=role, agency=agency, team=team, password=PASSWORD),
        password_hash=password_hash(),
    )


def assign(
    db: Session, who: Practitioner, to: Child, case_role: CaseRole = CaseRole.ALLOCATED_WORKER
) -> CaseAssignment:
    return assign_practitioner(
        session=db,
        child_id=to.id or 0,
        assignment=AssignmentInput(practitioner_id=who.id or 0, case_role=case_role),
    )


def actor(person: FamilyMember | Practitioner) -> Actor:
    """The service layer's view of a person (as the door would build it when they sign in)."""
    kind = AccountKind.FAMILY if isinstance(person, FamilyMember) else AccountKind.PRACTITIONER
    return Actor(kind=kind, account_id=person.id or 0)


@dataclass(frozen=True)
class Case:
    """A child, the family around them and their allocated worker: the smallest whole case."""

    child: Child
    young_person: FamilyMember
    parent: FamilyMember
    trusted_adult: FamilyMember
    worker: Practitioner

    # Ids as plain ints, for URLs and form fields (a flushed row always has one).
    @property
    def child_id(self) -> int:
        return self.child.id or 0

    @property
    def young_person_id(self) -> int:
        return self.young_person.id or 0

    @property
    def parent_id(self) -> int:
        return self.parent.id or 0

    @property
    def trusted_adult_id(self) -> int:
        return self.trusted_adult.id or 0


def case(db: Session) -> Case:
    """Jordan Ellis (12), his mum Lisa, his aunt Dee and Sam Okafor, his allocated social worker. No plan yet."""
    jordan = child(db)
    sam = practitioner(db)
    assign(db, sam, jordan)
    return Case(
        child=jordan,
        young_person=young_person(db, jordan),
        parent=parent(db, jordan),
        trusted_adult=trusted_adult(db, jordan),
        worker=sam,
    )


def other_case(db: Session) -> Case:
    """Kayla (Kay) Brooks and her family, with Alex Morgan of Early Help: no link to Jordan's case."""
    kayla = child(
        db,
        first_name="Kayla",
        last_name="Brooks",
        preferred_name="Kay",
        date_of_birth=date(2011, 2, 17),
        open_to_csw=False,
    )
    alex = practitioner(
        db,
        name="Alex Morgan",
        role=PractitionerRole.LEAD_PROFESSIONAL,
        agency=Agency.EARLY_HELP,
        team="Early Help (West)",
    )
    assign(db, alex, kayla)
    return Case(
        child=kayla,
        young_person=young_person(db, kayla),
        parent=parent(db, kayla, name="Nicole Brooks"),
        trusted_adult=trusted_adult(db, kayla, name="Ray Brooks", relationship="Grandad"),
        worker=alex,
    )


def police_partner(db: Session, on: Child) -> Practitioner:
    """PC Rhys Hughes, Youth Engagement, on the child's case as the police agency partner."""
    rhys = practitioner(
        db, name="PC Rhys Hughes", role=PractitionerRole.AGENCY_PARTNER, agency=Agency.POLICE, team="Youth Engagement"
    )
    assign(db, rhys, on, CaseRole.AGENCY_PARTNER)
    return rhys


def chair(db: Session, on: Child) -> Practitioner:
    """Priya Shah, independent chair, on the child's case as its chair."""
    priya = practitioner(
        db, name="Priya Shah", role=PractitionerRole.INDEPENDENT_CHAIR, agency=Agency.QAS, team="Independent Reviewing"
    )
    assign(db, priya, on, CaseRole.CHAIR)
    return priya
