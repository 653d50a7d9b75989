"""Routing by the flowchart (issue 12, seed 002): every row of the table, as a table-driven test."""

from __future__ import annotations

import pytest

from app.concerns.models import Grade, Subject
from app.concerns.routing import (
    GRADE_DESCRIPTIONS,
    PATHWAY_NAMES,
    PATHWAY_STEPS,
    NeedsAssessment,
    Pathway,
    propose_pathway,
)

# (the flowchart's row, subject, grade, open to Children's Social Work, pathway)
ROWS = [
    ("low risk, open to CSW", Subject.INDIVIDUAL, Grade.LOW, True, Pathway.UNIVERSAL_SERVICES),
    ("low risk, not open to CSW", Subject.INDIVIDUAL, Grade.LOW, False, Pathway.UNIVERSAL_SERVICES),
    ("medium risk, open to CSW", Subject.INDIVIDUAL, Grade.MEDIUM, True, Pathway.SAFER_ME_WITH_SOCIAL_WORKER),
    ("medium risk, not open to CSW", Subject.INDIVIDUAL, Grade.MEDIUM, False, Pathway.EARLY_HELP_SAFER_ME),
    ("high risk, open to CSW", Subject.INDIVIDUAL, Grade.HIGH, True, Pathway.SAFER_ME_PLUS),
    ("high risk, not open to CSW", Subject.INDIVIDUAL, Grade.HIGH, False, Pathway.HUB_ENQUIRY),
    ("peer group or location", Subject.PEER_GROUP_OR_LOCATION, None, False, Pathway.MAPPING_MEETING),
    # A grade or CSW status on a context concern changes nothing: the context is what is routed.
    ("peer group or location, graded", Subject.PEER_GROUP_OR_LOCATION, Grade.HIGH, True, Pathway.MAPPING_MEETING),
    ("person(s) of concern", Subject.PERSONS_OF_CONCERN, None, False, Pathway.HUB_AND_MACE),
    ("person(s) of concern, graded", Subject.PERSONS_OF_CONCERN, Grade.LOW, True, Pathway.HUB_AND_MACE),
]


@pytest.mark.parametrize(("row", "subject", "grade", "open_to_csw", "pathway"), ROWS, ids=[r[0] for r in ROWS])
def test_the_flowchart_proposes_the_pathway_of_each_row(
    row: str, subject: Subject, grade: Grade | None, open_to_csw: bool, pathway: Pathway
) -> None:
    assert propose_pathway(subject, grade, open_to_csw) == pathway, row


def test_a_young_person_is_routed_only_once_graded() -> None:
    with pytest.raises(NeedsAssessment):
        propose_pathway(Subject.INDIVIDUAL, None, True)


def test_every_pathway_says_its_steps_and_every_grade_its_meaning() -> None:
    for pathway in Pathway:
        assert str(PATHWAY_NAMES[pathway])
        assert len(PATHWAY_STEPS[pathway]) >= 2
    # The steps say what the flowchart's boxes say.
    assert "one working day" in str(PATHWAY_STEPS[Pathway.HUB_ENQUIRY][1])
    assert "10 working days" in str(PATHWAY_STEPS[Pathway.MAPPING_MEETING][0])
    assert "Complex Strategy" in str(PATHWAY_STEPS[Pathway.HUB_AND_MACE][2])
    assert "single agency" in str(GRADE_DESCRIPTIONS[Grade.LOW])
    assert "multi-agency response" in str(GRADE_DESCRIPTIONS[Grade.MEDIUM])
    assert "child protection plan" in str(GRADE_DESCRIPTIONS[Grade.HIGH])
