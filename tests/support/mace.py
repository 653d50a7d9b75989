"""MACE referrals and mapping meetings made through the service layer, for tests that act on them."""

from __future__ import annotations

from sqlmodel import Session, select

from app.concerns.inputs import DecisionInput
from app.concerns.models import Concern
from app.concerns.operations import decide_route
from app.demo.seed import DemoPeople
from app.mace.inputs import PanelInput, ReferralInput
from app.mace.models import MacePanel, MaceReferral
from app.mace.operations import create_panel, refer
from app.mapping.models import MappingMeeting
from app.timeutil import today
from tests.support.concerns import actor_for, assessed, concern_about, peer_group_concern


def jordan_routed_to_safer_me(db: Session, demo: DemoPeople, sam_id: int, text: str = "Missing overnight") -> Concern:
    """Sam's concern about Jordan (medium risk, open to CSW): a Safer Me meeting, MACE if appropriate."""
    concern = concern_about(db, sam_id, demo.jordan_id, text=text)
    assessment = assessed(db, sam_id, concern, grade="medium")
    decide_route(
        session=db,
        actor=actor_for(sam_id),
        concern_id=concern.id or 0,
        decision=DecisionInput.parse({"chosen": "safer_me_with_social_worker", "based_on": assessment.id}),
    )
    return concern


def jordan_referred(
    db: Session, demo: DemoPeople, sam_id: int, why: str = "Seen at a known trap house"
) -> MaceReferral:
    concern = jordan_routed_to_safer_me(db, demo, sam_id)
    return refer(session=db, actor=actor_for(sam_id), concern_id=concern.id or 0, referral=ReferralInput(why=why))


def panel_on(db: Session, runner_id: int, day: object = None) -> MacePanel:
    return create_panel(session=db, actor=actor_for(runner_id), panel=PanelInput.parse({"meets_on": day or today()}))


def peer_group_mapped(db: Session, recorder_id: int, name: str = "the Eastgate lot") -> MappingMeeting:
    """A peer-group concern routed to a mapping meeting by its recorder."""
    concern = peer_group_concern(db, recorder_id, name=name)
    decide_route(
        session=db,
        actor=actor_for(recorder_id),
        concern_id=concern.id or 0,
        decision=DecisionInput.parse({"chosen": "mapping_meeting"}),
    )
    return db.exec(select(MappingMeeting).where(MappingMeeting.concern_id == concern.id)).one()
