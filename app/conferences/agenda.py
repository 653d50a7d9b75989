"""The peer-group conference agenda (seed 000) as ten steps, and the lead practitioner's presentation
(seed 004), each heading a field of a plain form. Pure data: the pages, the notes and the API read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

Kind = Literal["text", "yesno"]


@dataclass(frozen=True)
class Heading:
    """One thing recorded in a step: free text (notes) or a yes/no answer."""

    name: str
    label: LazyString
    kind: Kind = "text"


@dataclass(frozen=True)
class Step:
    key: str
    title: LazyString
    hint: LazyString
    headings: tuple[Heading, ...]


# The lead practitioner presents the key issues of the assessment (seed 004, "Role of the Lead Practitioner").
PRESENTATION = (
    Heading("themes", _l("Themes")),
    Heading("patterns", _l("Patterns")),
    Heading("trends", _l("Trends")),
    Heading("risks", _l("Risks")),
    Heading("vulnerabilities", _l("Vulnerabilities")),
    Heading("strengths", _l("Strengths")),
    Heading("capacity", _l("Capacity to safeguard")),
    Heading("young_peoples_views", _l("The young people's views (and their parents' or carers')")),
    Heading("context_weighting", _l("The context weighting: analysis and rationale")),
)

STEPS: tuple[Step, ...] = (
    Step(
        "introduction",
        _l("Introduction, consent and confidentiality"),
        _l(
            "Introductions and apologies; the chair frames the Adolescent Safety Framework and reads the "
            "consent and confidentiality statement."
        ),
        (
            Heading("consent", _l("The consent and confidentiality statement was read and agreed"), "yesno"),
            Heading("attendance", _l("Present and apologies")),
        ),
    ),
    Step(
        "purpose",
        _l("Purpose: the reason for the meeting"),
        _l(
            "The referrer outlines the areas of concern; the lead practitioner presents the key issues of "
            "the assessment."
        ),
        (Heading("referrer_concerns", _l("The referrer's areas of concern")), *PRESENTATION),
    ),
    Step(
        "review",
        _l("Review of the agreed action plan"),
        _l("Review meetings only: progress of the agreed action plan."),
        (Heading("plan_progress", _l("Progress of the agreed action plan")),),
    ),
    Step(
        "mapping",
        _l("Review of the mapping information"),
        _l("The group and the relevant individuals identified at the mapping meeting."),
        (Heading("mapping_notes", _l("What the mapping shows")),),
    ),
    Step(
        "safeguarding",
        _l("Immediate safeguarding issues"),
        _l(
            "Consider whether this must be a Complex Strategy, the threshold for section 47 enquiries, "
            "adults of concern and investigations."
        ),
        (
            Heading("complex_strategy", _l("Does this need to be a Complex Strategy?"), "yesno"),
            Heading("s47", _l("Is the threshold for section 47 enquiries met?"), "yesno"),
            Heading("adults_of_concern", _l("Adults of concern identified")),
            Heading("investigations", _l("Legal or criminal investigations to consider")),
        ),
    ),
    Step(
        "information",
        _l("Professionals share information"),
        _l("Police and partner agencies share information about the group with the wider partnership."),
        (Heading("information", _l("Information shared")),),
    ),
    Step(
        "dynamics",
        _l("Group composition and dynamics"),
        _l("An assessment of the group: relationships, leadership, connections with other groups, behaviour."),
        (
            Heading("relationships", _l("Relationships, fellowship, leadership and connections with other groups")),
            Heading("behaviour", _l("Behaviour and activity of the group")),
            Heading("worries", _l("What are we worried about? Vulnerabilities and risks")),
            Heading("going_well", _l("What is going well? Strengths, protective features, assets")),
            Heading("safe_looks_like", _l("What will safe look like for the group?")),
        ),
    ),
    Step(
        "contexts",
        _l("Contexts for consideration"),
        _l("Locations, spaces and places, including digital ones; other context forums."),
        (
            Heading("places", _l("Locations, spaces and places, including digital")),
            Heading("other_forums", _l("Other context forums to consider (neighbourhood, school)")),
        ),
    ),
    Step(
        "summary",
        _l("The chair's summary"),
        _l(
            "The risks and protective factors, the viability of a plan, and whether the significant harm "
            "threshold is met."
        ),
        (
            Heading("chair_summary", _l("Risks, protective factors and the viability of a plan")),
            Heading("significant_harm", _l("Is the significant harm threshold met?"), "yesno"),
        ),
    ),
    Step(
        "planning",
        _l("Safeguarding and welfare planning"),
        _l(
            "What safe would look like, the actions by whom and when in the four domains, and how the plan "
            "is reviewed. Keep at least 30 minutes for it."
        ),
        (
            Heading("outcomes", _l("Outcomes: what safe would look like")),
            Heading("review_mechanism", _l("How the plan is reviewed")),
        ),
    ),
)

STEP_COUNT = len(STEPS)
FIELDS: frozenset[str] = frozenset(h.name for step in STEPS for h in step.headings)
