"""Words people see for stored values, all through Babel so they can be translated.

The tables hold the English message ids, marked `_l` for extraction (`pybabel extract -k _l`), and
each is translated when it is shown, with the request's own catalog (app.web.request_translations).
Flask-Babel's lazy strings did the same, but each looked the catalog up again through Flask's
proxies: a plan page shows a label for every statement and action.
"""

from __future__ import annotations

from flask import Flask

from app.meetings.models import Attendance, MeetingStatus
from app.people.models import Agency, CaseRole, FamilyRole, PractitionerRole
from app.plans.models import AgencyActionKind, CommitmentKind, MeetingType, Moment, Safety, StatementKind
from app.timeutil import today
from app.web.request_translations import request_translations


def _l(message: str) -> str:
    """Marks `message` for translation; it is translated where it is shown (`label`, `section_words`)."""
    return message


def _translated(message: str) -> str:
    return str(request_translations().ugettext(message))


LABELS: dict[str, dict[str, str]] = {
    "statement_kind": {
        StatementKind.WILL: _l("I will"),
        StatementKind.CAN: _l("I can"),
        StatementKind.MIGHT: _l("I might"),
        StatementKind.NEED: _l("I need"),
    },
    "moment": {Moment.EVERYDAY: _l("Every day"), Moment.EMERGENCY: _l("In an emergency")},
    "commitment_kind": {
        CommitmentKind.ENSURE: _l("will ensure"),
        CommitmentKind.MAKE: _l("will make"),
        CommitmentKind.DO: _l("will do"),
    },
    "agency_action_kind": {
        AgencyActionKind.INCREASE_SAFETY: _l("Actions to increase safety"),
        AgencyActionKind.PREVENT_DISRUPT: _l("Actions to prevent or disrupt harm"),
    },
    "safety": {Safety.SAFE: _l("Safe"), Safety.NOT_SAFE: _l("Not safe"), Safety.COULD_BE_SAFE: _l("Could be safe")},
    "meeting_type": {MeetingType.SAFER_ME: _l("Safer Me"), MeetingType.SAFER_ME_PLUS: _l("Safer Me Plus")},
    "attendance": {
        Attendance.INVITED: _l("Invited"),
        Attendance.PRESENT: _l("Present"),
        Attendance.APOLOGIES: _l("Apologies"),
        Attendance.ABSENT: _l("Absent"),
    },
    "meeting_status": {
        MeetingStatus.SCHEDULED: _l("Planned"),
        MeetingStatus.OPEN: _l("Running now"),
        MeetingStatus.CLOSED: _l("Over"),
        MeetingStatus.CANCELLED: _l("Cancelled"),
    },
    "family_role": {
        FamilyRole.YOUNG_PERSON: _l("Young person"),
        FamilyRole.PARENT_CARER: _l("Parent or carer"),
        FamilyRole.TRUSTED_ADULT: _l("Trusted adult"),
    },
    "case_role": {
        CaseRole.ALLOCATED_WORKER: _l("Allocated worker"),
        CaseRole.TEAM_MEMBER: _l("Team member"),
        CaseRole.CHAIR: _l("Independent chair"),
        CaseRole.AGENCY_PARTNER: _l("Agency partner"),
    },
    "practitioner_role": {
        PractitionerRole.SOCIAL_WORKER: _l("Social worker"),
        PractitionerRole.LEAD_PROFESSIONAL: _l("Lead professional"),
        PractitionerRole.INDEPENDENT_CHAIR: _l("Independent chair"),
        PractitionerRole.MANAGER: _l("Manager"),
        PractitionerRole.AGENCY_PARTNER: _l("Agency partner"),
        PractitionerRole.ADMIN: _l("Administrator"),
    },
    "agency": {
        Agency.CHILDRENS_SOCIAL_WORK: _l("Children's Social Work"),
        Agency.EARLY_HELP: _l("Early Help"),
        Agency.QAS: _l("Quality Assurance and Safeguarding"),
        Agency.SCHOOL: _l("School"),
        Agency.HEALTH: _l("Health"),
        Agency.INCLUSION: _l("Inclusion"),
        Agency.YOUTH_OFFER: _l("Youth Offer"),
        Agency.COMMUNITY_SAFETY: _l("Community Safety"),
        Agency.POLICE: _l("Police"),
        Agency.YOUTH_JUSTICE: _l("Youth Justice"),
        Agency.ADOLESCENT_SAFETY_HUB: _l("Adolescent Safety Hub"),
    },
}


# Plan sections as the young person names them, on his or her own pages (the sharing choices).
SECTION_WORDS = {
    "my_statements": _l("My plan, every day"),
    "emergency": _l("If I'm in danger (and who I'd call)"),
    "safe_word": _l("My safe word"),
    "actions": _l("What we agreed, most important first"),
    "carer_commitments": _l("What my parents or carers will do"),
    "agency_safety_actions": _l("What school, police and others will do"),
    "safe_network": _l("Safe people and places"),
    "parental_responsibility": _l("Who can make decisions for me"),
    "review": _l("When we check in next"),
    "cowrite": _l("Can add ideas to my plan with me"),
}

# The same sections as everyone else reads them (parents, trusted adults, workers): about the
# young person, by name, never in his or her voice ("Jordan's safe word", not "My safe word").
SECTION_WORDS_ABOUT = {
    "my_statements": _l("%(name)s's plan, every day"),
    "emergency": _l("If %(name)s is in danger (and who they'd call)"),
    "safe_word": _l("%(name)s's safe word"),
    "actions": _l("What we agreed, most important first"),
    "carer_commitments": _l("What %(name)s's parents or carers will do"),
    "agency_safety_actions": _l("What school, police and others will do"),
    "safe_network": _l("Safe people and places"),
    "parental_responsibility": _l("Who can make decisions for %(name)s"),
    "review": _l("When we check in next"),
    "cowrite": _l("Can add ideas to %(name)s's plan with them"),
}


def section_words(section: str, about: str | None = None) -> str:
    """A section's name: in the young person's voice, or `about` them (their name) for anyone else."""
    if about is None:
        words = SECTION_WORDS.get(section)
        return section if words is None else _translated(words)
    words = SECTION_WORDS_ABOUT.get(section)
    return section if words is None else _translated(words) % {"name": about}


def label(group: str, value: str) -> str:
    """The display words for `value`; an unknown value shows as itself rather than failing."""
    words = LABELS.get(group, {}).get(value)
    return str(value) if words is None else _translated(words)


def install(app: Flask) -> None:
    app.jinja_env.filters["label"] = lambda value, group: label(group, value)
    app.jinja_env.filters["section_words"] = lambda section, about=None: section_words(str(section), about)
    # Today in England, for the "Printed by NAME on DATE" line of a printed plan (templates/_print.html).
    app.jinja_env.globals["today"] = today
