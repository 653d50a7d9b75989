"""Who is who: the young person, their family and trusted adults, and practitioners."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.crypto import EncryptedText
from app.models_base import Timestamped
from app.timeutil import today, utcnow


class FamilyRole(StrEnum):
    """How a family-side person relates to the child whose plan they see."""

    YOUNG_PERSON = "young_person"
    PARENT_CARER = "parent_carer"
    TRUSTED_ADULT = "trusted_adult"


class PractitionerRole(StrEnum):
    """The job a practitioner holds (what they may do arrives with the access issue)."""

    SOCIAL_WORKER = "social_worker"
    LEAD_PROFESSIONAL = "lead_professional"
    INDEPENDENT_CHAIR = "independent_chair"
    MANAGER = "manager"
    AGENCY_PARTNER = "agency_partner"
    ADMIN = "admin"


class Agency(StrEnum):
    """Agencies in the Adolescent Safety Framework (DOMAIN.md)."""

    CHILDRENS_SOCIAL_WORK = "childrens_social_work"
    EARLY_HELP = "early_help"
    QAS = "quality_assurance_safeguarding"
    SCHOOL = "school"
    HEALTH = "health"
    INCLUSION = "inclusion"
    YOUTH_OFFER = "youth_offer"
    COMMUNITY_SAFETY = "community_safety"
    POLICE = "police"
    YOUTH_JUSTICE = "youth_justice"
    ADOLESCENT_SAFETY_HUB = "adolescent_safety_hub"


class CaseRole(StrEnum):
    """A practitioner's part in one child's case."""

    ALLOCATED_WORKER = "allocated_worker"
    TEAM_MEMBER = "team_member"
    CHAIR = "chair"
    AGENCY_PARTNER = "agency_partner"


class Child(Timestamped, table=True):
    """A young person (11-18, or a care leaver) with a Safer Plan."""

    id: int | None = Field(default=None, primary_key=True)
    first_name: str = Field(sa_type=EncryptedText)
    last_name: str = Field(sa_type=EncryptedText)
    # The name the young person wants used; shown on their own screens.
    preferred_name: str = Field(sa_type=EncryptedText)
    date_of_birth: date | None = None
    # Their school, as the worker writes it; None where it was never recorded (added before 0015).
    school: str | None = Field(default=None, sa_type=EncryptedText)
    # "Open to CSW": has an allocated social worker (drives routing in the framework).
    open_to_csw: bool = False
    is_care_leaver: bool = False


class FamilyMember(SQLModel, table=True):
    """A person who signs in on the family side: a young person, parent/carer or trusted adult."""

    __tablename__ = "family_member"

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(sa_type=EncryptedText)
    # The WebAuthn user handle: random, so it says nothing about the person (SECURITY.md R9).
    webauthn_user_handle: bytes = Field(default_factory=lambda: secrets.token_bytes(32), unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    disabled_at: datetime | None = None
    # Reading choice: plan pages in easy-read words (short sentences, everyday words, pictures).
    # Kept with the person, not the phone, so it follows them to a new phone.
    easy_read: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # Language choice (app.languages): a code such as "ar"; None follows the browser's. Kept with
    # the person for the same reason as easy read.
    language: str | None = Field(default=None, max_length=8)


class FamilyLink(Timestamped, table=True):
    """A family member's link to one child; ending it (revoked_at) removes their access at once."""

    __tablename__ = "family_link"

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    member_id: int = Field(foreign_key="family_member.id", index=True)
    role: str = Field(max_length=20)  # FamilyRole
    # How the young person would describe them ("Mum", "Aunt Dee", "Youth worker").
    relationship: str = Field(default="", max_length=80)
    revoked_at: datetime | None = None


class Practitioner(Timestamped, table=True):
    """A professional who signs in on the practitioner side."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=30)  # PractitionerRole
    agency: str = Field(max_length=40)  # Agency
    team: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=40)
    password_hash: str = Field(max_length=200)
    active: bool = True
    # Random WebAuthn user handle for the practitioner's second-factor passkey.
    webauthn_user_handle: bytes = Field(default_factory=lambda: secrets.token_bytes(32), unique=True)


class CaseAssignment(Timestamped, table=True):
    """A practitioner's link to one child's case; a live case always keeps an allocated worker
    (app.cases refuses to remove the last one; two hold it while a case is handed over)."""

    __tablename__ = "case_assignment"
    # Live assignments only (migration 0031): a caseload lists a practitioner's, or their team's
    # allocated workers' (by practitioner), and reads each listed case's role and allocated worker
    # (by child), from the index alone at council scale.
    __table_args__ = (
        sa.Index(
            "ix_case_assignment_live_by_practitioner",
            "practitioner_id",
            "case_role",
            "child_id",
            postgresql_where=sa.text("ended_on IS NULL"),
            sqlite_where=sa.text("ended_on IS NULL"),
        ),
        sa.Index(
            "ix_case_assignment_live_by_child",
            "child_id",
            "id",
            postgresql_include=["practitioner_id", "case_role"],
            postgresql_where=sa.text("ended_on IS NULL"),
            sqlite_where=sa.text("ended_on IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    practitioner_id: int = Field(foreign_key="practitioner.id", index=True)
    case_role: str = Field(max_length=30)  # CaseRole
    started_on: date = Field(default_factory=today)
    ended_on: date | None = None
