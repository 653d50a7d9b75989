"""The parts of a plan that are shown or withheld as a whole (the access policy decides who sees which)."""

from __future__ import annotations

from enum import StrEnum


class Section(StrEnum):
    """Parts of a plan that are shown or withheld as a whole."""

    MY_STATEMENTS = "my_statements"  # everyday "I will / I can / I might / I need"
    EMERGENCY = "emergency"  # emergency statements, contacts, where to take me if missing
    SAFE_WORD = "safe_word"
    ACTIONS = "actions"
    CARER_COMMITMENTS = "carer_commitments"
    AGENCY_SAFETY_ACTIONS = "agency_safety_actions"
    SAFE_NETWORK = "safe_network"  # safe and could-be-safe people and places; never people of concern
    PARENTAL_RESPONSIBILITY = "parental_responsibility"
    REVIEW = "review"
    # Not a part of the plan but a right: to add ideas to the draft alongside the young person.
    COWRITE = "cowrite"


ALL_SECTIONS: frozenset[Section] = frozenset(Section)
