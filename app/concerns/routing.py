"""Routing by the flowchart (seed 002): from what a concern is about, the risk grade and whether
the young person is open to Children's Social Work, the pathway the app proposes, with its steps.

`propose_pathway` is a pure function: every row of the flowchart's table is a row of its test.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.concerns.models import Grade, Subject


class Pathway(StrEnum):
    """The pathways of seed 002, one per box the flowchart ends in."""

    UNIVERSAL_SERVICES = "universal_services"
    SAFER_ME_WITH_SOCIAL_WORKER = "safer_me_with_social_worker"
    EARLY_HELP_SAFER_ME = "early_help_safer_me"
    SAFER_ME_PLUS = "safer_me_plus"
    HUB_ENQUIRY = "hub_enquiry"
    MAPPING_MEETING = "mapping_meeting"
    HUB_AND_MACE = "hub_and_mace"


class NeedsAssessment(ValueError):
    """A concern about an individual is routed from its Safer Me Assessment's grade."""


def propose_pathway(subject: Subject, grade: Grade | None, open_to_csw: bool) -> Pathway:
    """The flowchart's answer for a concern (seed 002, DOMAIN.md "Routing")."""
    if subject == Subject.PEER_GROUP_OR_LOCATION:
        return Pathway.MAPPING_MEETING
    if subject == Subject.PERSONS_OF_CONCERN:
        return Pathway.HUB_AND_MACE
    if grade is None:
        raise NeedsAssessment("grade the Safer Me Assessment first")
    if grade == Grade.LOW:
        return Pathway.UNIVERSAL_SERVICES
    if grade == Grade.MEDIUM:
        return Pathway.SAFER_ME_WITH_SOCIAL_WORKER if open_to_csw else Pathway.EARLY_HELP_SAFER_ME
    return Pathway.SAFER_ME_PLUS if open_to_csw else Pathway.HUB_ENQUIRY


# The pathway's name, as the flowchart says it.
PATHWAY_NAMES = {
    Pathway.UNIVERSAL_SERVICES: _l("Help from universal services or a single agency"),
    Pathway.SAFER_ME_WITH_SOCIAL_WORKER: _l("Share with the allocated social worker and hold a Safer Me meeting"),
    Pathway.EARLY_HELP_SAFER_ME: _l("Consider Early Help, interventions and a Safer Me meeting"),
    Pathway.SAFER_ME_PLUS: _l("Safer Me Plus, as the alternative to an initial child protection conference"),
    Pathway.HUB_ENQUIRY: _l("An Adolescent Safety Hub enquiry, then Safer Me Plus"),
    Pathway.MAPPING_MEETING: _l("A mapping meeting, context weighting, then a context conference"),
    Pathway.HUB_AND_MACE: _l("The Adolescent Safety Hub and MACE; consider a Complex Strategy"),
}

# The steps of each pathway, in order (seed 002's boxes and arrows).
PATHWAY_STEPS = {
    Pathway.UNIVERSAL_SERVICES: (
        _l("Provide help to the young person and family from universal services or a single agency."),
        _l("No further role for Children's Social Work."),
        _l("Other action may be needed: onward referrals, an Early Help Assessment and services."),
    ),
    Pathway.SAFER_ME_WITH_SOCIAL_WORKER: (
        _l("Share the concerns with the allocated social worker."),
        _l("Agree who will update the Safer Me Assessment."),
        _l(
            "Plan action to improve safety through a Safer Me meeting, as the alternative to a CIN meeting "
            "(flow chart 3 of Working Together)."
        ),
        _l("Refer to the operational MACE if appropriate."),
    ),
    Pathway.EARLY_HELP_SAFER_ME: (
        _l("Consider an Early Help Assessment."),
        _l("Consider interventions and a Safer Me meeting."),
        _l("Refer to MACE if appropriate."),
    ),
    Pathway.SAFER_ME_PLUS: (
        _l("Follow flow chart 2 of Working Together (strategy discussion, section 47 enquiry)."),
        _l(
            "Hold a Safer Me Plus meeting, chaired by an independent chair, as the alternative to an initial "
            "child protection conference."
        ),
    ),
    Pathway.HUB_ENQUIRY: (
        _l("Send an enquiry to the Adolescent Safety Hub."),
        _l(
            "The Hub acknowledges it and decides the right level of support or action within one working day, "
            "and notifies MACE."
        ),
        _l("Hold a Safer Me Plus meeting as the alternative to an initial child protection conference."),
    ),
    Pathway.MAPPING_MEETING: (
        _l("The Adolescent Safety Hub co-ordinator convenes a mapping meeting within 10 working days."),
        _l("Weigh the context: does it harm the safety of young people?"),
        _l("Then a peer group, school or neighbourhood context conference within 15 working days."),
    ),
    Pathway.HUB_AND_MACE: (
        _l("Send an enquiry to the Adolescent Safety Hub."),
        _l("Refer to the Missing and Child Exploitation operational group (MACE)."),
        _l("Consider a Complex Strategy meeting (the section 47 threshold considered)."),
    ),
}

# What each grade means, shown beside it on the assessment form (seed 002's three boxes).
GRADE_NAMES = {Grade.LOW: _l("Low risk"), Grade.MEDIUM: _l("Medium risk"), Grade.HIGH: _l("High risk")}
GRADE_DESCRIPTIONS = {
    Grade.LOW: _l(
        "Vulnerability to risks from outside the family home and/or some concerns about behaviours or "
        "associations that indicate slightly increased extra-familial risks. Their presentation and "
        "associations suggest they are not currently being exploited, but extra support may be needed. "
        "Needs can be addressed by a single agency to prevent escalation of risk."
    ),
    Grade.MEDIUM: _l(
        "Vulnerability to risks from outside the family home and/or concerns about presentation or "
        "associations that could develop into exploitative situations without a change in circumstance. "
        "They need support and advice to ensure their safety, health and development. Needs a "
        "multi-agency response to address concerns and risks."
    ),
    Grade.HIGH: _l(
        "Vulnerability to risks from outside the family home and significant concerns about presentations "
        "or behaviours that suggest they may be exploited at any point. Their presentation, associations "
        "or changes in presentation suggest they are at risk of suffering significant harm. Needs are "
        "complex and require a multi-agency child protection plan."
    ),
}

SUBJECT_NAMES = {
    Subject.INDIVIDUAL: _l("A young person"),
    Subject.PEER_GROUP_OR_LOCATION: _l("A peer group or location"),
    Subject.PERSONS_OF_CONCERN: _l("A person or people of concern"),
}
SUBJECT_HINTS = {
    Subject.INDIVIDUAL: _l("A young person on your caseload."),
    Subject.PEER_GROUP_OR_LOCATION: _l(
        "Evidence that a peer group, school or neighbourhood location is harming the safety of young people."
    ),
    Subject.PERSONS_OF_CONCERN: _l(
        "Evidence that a person or people intend to groom or abuse, or are grooming or abusing, one or more children."
    ),
}
