"""Jordan's demo plan: one priority action and one of Mum's commitments done once, each with its date.

Issue 10 item 4: both fall due in November, like the agency actions dated 2, 6 and 20 November, so
on the demo's 30 November the work tray shows them overdue, with whose they are and by how long.
"""

from __future__ import annotations

from datetime import date

from app.plans.inputs import ActionInput, CommitmentInput, ItemInput
from app.plans.models import CommitmentKind


def jordans_dated_items(*, mum_id: int) -> list[ItemInput]:
    """Jordan's one-off action (due 13 November) and Mum's one-off commitment (due 16 November)."""
    return [
        ActionInput(
            who="Jordan",
            action="save Aunt Dee's and Sam's numbers in his new phone and show Mum they are there",
            aim="he can always reach someone safe",
            success="the numbers are in his phone at Sam's next visit",
            due_on=date(2026, 11, 13),
        ),
        CommitmentInput(
            who="Lisa (Mum)",
            member_id=mum_id,
            kind=CommitmentKind.DO,
            commitment="ask the school for a meeting about Jordan's attendance",
            due_on=date(2026, 11, 16),
        ),
    ]
