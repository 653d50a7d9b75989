"""Context conferences made through the service layer: a peer group mapped and weighed "conference to
follow" (which opens one), and a plan ready to close (an action, 40 minutes kept for it)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.conferences.inputs import ActionInput, PlanTimesInput
from app.conferences.models import ContextConference
from app.conferences.operations import add_action, record_plan_times
from app.mapping.inputs import WeightingInput
from app.mapping.operations import record_weighting
from tests.support.concerns import actor_for
from tests.support.mace import peer_group_mapped


def conference_opened(
    db: Session, recorder_id: int, hub_id: int, name: str = "the Eastgate lot", kind: str = "peer_group"
) -> ContextConference:
    """A peer-group concern recorded and routed by `recorder_id`, mapped and weighed by the Hub's `hub_id`."""
    mapping = peer_group_mapped(db, recorder_id, name=name)
    record_weighting(
        session=db,
        actor=actor_for(hub_id),
        mapping_id=mapping.id or 0,
        weighting=WeightingInput.parse(
            {
                "held_on": date(2027, 1, 8),
                "weighting": "high",
                "reasons": "Daily recruiting at the park",
                "conference": "yes",
                "conference_kind": kind,
            }
        ),
    )
    return db.exec(select(ContextConference).where(ContextConference.mapping_id == mapping.id)).one()


def plan_ready(db: Session, chair_id: int, conference: ContextConference, minutes: int = 40) -> None:
    """One action of the plan, and `minutes` (under 60) kept for its discussion from 14:00."""
    add_action(
        session=db,
        actor=actor_for(chair_id),
        conference_id=conference.id or 0,
        action=ActionInput.parse(
            {
                "domain": "target_contexts",
                "action": "patrol the park after school",
                "owner": "Police Youth Engagement Officer",
                "due_on": "2027-01-29",
            }
        ),
    )
    record_plan_times(
        session=db,
        actor=actor_for(chair_id),
        conference_id=conference.id or 0,
        times=PlanTimesInput.parse({"plan_started": "14:00", "plan_ended": f"14:{minutes:02d}"}),
    )
