"""Kay's case team in the demo: everyone her Safer Me meeting needs (issue 9).

Kay (Kayla Brooks) is on Alex Morgan's caseload with an empty plan, so that a meeting can be run
from the demo and her plan written with her. Her case has an allocated worker (Alex), a chair
(Priya, as on Jordan's case), a team member from Alex's team, and agency partners from her school
and school nursing. They are all fictional; their accounts share the demo password.
"""

from __future__ import annotations

from sqlmodel import Session

from app.auth.inputs import AccountInput
from app.auth.practitioner_accounts import create_practitioner
from app.people.inputs import AssignmentInput
from app.people.models import Agency, CaseRole, PractitionerRole
from app.people.operations import assign_practitioner

# (email, name, job, agency, team, part in Kay's case)
KAYS_NEW_COLLEAGUES = (
    (
        "nadia.rahman@example.org",
        "Nadia Rahman",
        PractitionerRole.LEAD_PROFESSIONAL,
        Agency.EARLY_HELP,
        "Early Help (West)",
        CaseRole.TEAM_MEMBER,
    ),
    (
        "jo.whitaker@example.org",
        "Jo Whitaker",
        PractitionerRole.AGENCY_PARTNER,
        Agency.SCHOOL,
        "Westfield High School (safeguarding lead)",
        CaseRole.AGENCY_PARTNER,
    ),
    (
        "ben.carter@example.org",
        "Ben Carter",
        PractitionerRole.AGENCY_PARTNER,
        Agency.HEALTH,
        "School nursing (West)",
        CaseRole.AGENCY_PARTNER,
    ),
)


def complete_kays_team(session: Session, *, kayla_id: int, chair_id: int, password: str, password_hash: str) -> None:
    """Put Kay's chair, team member and agency partners on her case (Alex already holds it)."""
    assign_practitioner(
        session=session,
        child_id=kayla_id,
        assignment=AssignmentInput(practitioner_id=chair_id, case_role=CaseRole.CHAIR),
    )
    for email, name, job, agency, team, case_role in KAYS_NEW_COLLEAGUES:
        account = AccountInput.parse(
            {"email": email, "display_name": name, "role": job, "agency": agency, "team": team, "password": password}
        )
        colleague = create_practitioner(session=session, account=account, password_hash=password_hash)
        assign_practitioner(
            session=session,
            child_id=kayla_id,
            assignment=AssignmentInput(practitioner_id=colleague.id or 0, case_role=case_role),
        )
