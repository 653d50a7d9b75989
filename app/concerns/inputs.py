"""What a practitioner writes: a concern, a Safer Me Assessment, a route decision.

Typed and limited like every input (app.inputs). Rules that join two fields (a concern about a
young person needs the young person; a different pathway needs a reason) are the service's, so
each refusal names the one box to change.
"""

from __future__ import annotations

from typing import Annotated

from flask_babel import lazy_gettext as _l

from app.concerns.models import Grade, Subject
from app.concerns.routing import Pathway
from app.inputs import Input, OptionalId, Words

MAX_CONCERN_NAME = 120
MAX_AREA_TEXT = 1000
MAX_GRADING_TEXT = 1000

# The Safer Me Assessment's areas: the questions of the Safer Meeting's "what we know" (seed 003,
# items 3 to 7), each with the risks and the protective factors the assessor sees in it.
AREAS = (
    ("harm", _l("What is happening (the harm)")),
    ("impact", _l("What is the impact (the worry)")),
    ("patterns", _l("Patterns: days, times, locations, triggers")),
    ("network", _l("Network: who is safe, not safe, could be safe")),
    ("places", _l("Travel and places: where harm takes place, transport")),
    ("needs", _l("Needs met and unmet: belonging, safety, reward, connection")),
)
AREA_KEYS = tuple(key for key, _label in AREAS)
GRADING = (
    ("nature", _l("Nature of the harm")),
    ("severity", _l("Severity of the harm")),
    ("frequency", _l("Frequency of the harm")),
    ("impact_of_harm", _l("Impact of the harm on the young person")),
)

Area = Annotated[str, Words(MAX_AREA_TEXT, required=False)]
Grading = Annotated[str, Words(MAX_GRADING_TEXT)]


class ConcernInput(Input):
    """A new concern: about whom or what, and what the practitioner knows."""

    subject: Subject
    child_id: OptionalId = None
    name: Annotated[str, Words(MAX_CONCERN_NAME, required=False, single_line=True)] = ""
    description: Annotated[str, Words(2000)]

    messages = {
        "subject": _l("Choose what the concern is about."),
        "child_id": _l("Choose the young person."),
        "description": {"blank": _l("Describe the concern.")},
    }


class AssessmentInput(Input):
    """One Safer Me Assessment: risks and protective factors by area, the grade and why."""

    risks_harm: Area = ""
    protective_harm: Area = ""
    risks_impact: Area = ""
    protective_impact: Area = ""
    risks_patterns: Area = ""
    protective_patterns: Area = ""
    risks_network: Area = ""
    protective_network: Area = ""
    risks_places: Area = ""
    protective_places: Area = ""
    risks_needs: Area = ""
    protective_needs: Area = ""
    grade: Grade
    nature: Grading
    severity: Grading
    frequency: Grading
    impact_of_harm: Grading
    reasons: Annotated[str, Words(2000)]

    messages = {
        "grade": _l("Choose low, medium or high risk."),
        "nature": {"blank": _l("Describe the nature of the harm.")},
        "severity": {"blank": _l("Describe how severe the harm is.")},
        "frequency": {"blank": _l("Say how often the harm happens.")},
        "impact_of_harm": {"blank": _l("Describe the impact of the harm on the young person.")},
        "reasons": {"blank": _l("Give the reasons for the grade.")},
    }

    def areas(self) -> dict[str, dict[str, str]]:
        """The risks and protective factors, by area (stored together, encrypted)."""
        return {
            key: {"risks": getattr(self, f"risks_{key}"), "protective": getattr(self, f"protective_{key}")}
            for key in AREA_KEYS
        }


class DecisionInput(Input):
    """The pathway decided, and why when it is not the one proposed."""

    chosen: Pathway
    reason: Annotated[str, Words(1000, required=False)] = ""
    # The assessment whose proposal the decider saw (empty when there is none to see).
    based_on: OptionalId = None

    messages = {"chosen": _l("Choose the pathway.")}
