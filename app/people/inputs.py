"""What is written about people: a child, a family member linked to them, a case assignment.

Typed and limited like every input (app.inputs): names are one line, lose bidirectional
overrides and may not be blank or invisible; roles come from their enums.
"""

from __future__ import annotations

from typing import Annotated

from flask_babel import lazy_gettext as _l

from app.inputs import Checkbox, Day, Id, Input, Words
from app.people.models import CaseRole, FamilyRole
from app.plans.inputs import MAX_NAME_LENGTH, MAX_RELATIONSHIP_LENGTH


class ChildInput(Input):
    """A young person: their names, and what routing needs to know."""

    first_name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    last_name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    # The name they want used; their first name when left empty.
    preferred_name: Annotated[str, Words(MAX_NAME_LENGTH, required=False, name=True)] = ""
    date_of_birth: Day | None = None
    school: Annotated[str, Words(MAX_NAME_LENGTH, required=False, single_line=True)] = ""
    open_to_csw: Checkbox = False

    messages = {
        "first_name": {"blank": _l("Enter the young person's first name.")},
        "last_name": {"blank": _l("Enter the young person's last name.")},
    }


class FamilyMemberInput(Input):
    """Someone on the family side, linked to a child as the young person, a parent/carer or a trusted adult."""

    display_name: Annotated[str, Words(MAX_NAME_LENGTH, name=True)]
    role: FamilyRole
    relationship: Annotated[str, Words(MAX_RELATIONSHIP_LENGTH, required=False, single_line=True)] = ""

    messages = {
        "display_name": {"blank": _l("Enter the name they like to be called.")},
        "role": _l("Choose who this is."),
    }


class AssignmentInput(Input):
    """A practitioner's part in one child's case."""

    practitioner_id: Id
    case_role: CaseRole

    messages = {"case_role": _l("Choose a case role."), "practitioner_id": _l("Choose a practitioner.")}
