"""Writes about MACE: refer a concern, convene a panel on a date, list a referral for it, and
record the panel's outcome for each referral.

Hub workers ("mace.run": the Hub's agency) and managers run the panel; a referrer reads their own
referral and its outcome. An outcome is recorded once: of two people recording at the same
moment, one records and the other is told (never overwriting the first). Nothing here commits.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.audit.operations import record_access, record_change
from app.concerns.models import RouteDecision
from app.concerns.operations import concern_for
from app.concerns.routing import Pathway
from app.db import record_once
from app.errors import NotFound, ValidationFailed
from app.mace.inputs import ListInput, OutcomeInput, PanelInput, ReferralInput
from app.mace.models import MacePanel, MaceReferral
from app.mace.referrals import add_referral
from app.models_base import stamp
from app.timeutil import utcnow

# Pathways whose steps say "refer to MACE" (seed 002), and a peer group or place on its way to
# mapping (the panel lists contexts too); the Hub's decision refers by itself.
MACE_PATHWAYS = frozenset(
    {
        Pathway.SAFER_ME_WITH_SOCIAL_WORKER,
        Pathway.EARLY_HELP_SAFER_ME,
        Pathway.HUB_AND_MACE,
        Pathway.MAPPING_MEETING,
    }
)
RUN = "mace.run"
ALREADY_REFERRED = _l("This concern is already referred to MACE and waits for the panel's outcome (see below).")
NOT_A_MACE_PATHWAY = _l("Decide a route that refers to MACE first.")
PANEL_ON_THAT_DAY = _l("A panel already meets on that date: open it from the list.")
ALREADY_LISTED = _l("That referral is already listed for a panel, or has its outcome.")
LIST_IT_FIRST = _l("List this referral for a panel first: the panel records the outcome.")
ALREADY_RECORDED = _l(
    "Someone else recorded this referral's outcome while you were writing. Their outcome is shown; "
    "your words are kept below so nothing is lost."
)


def refer(*, session: Session, actor: Actor, concern_id: int, referral: ReferralInput) -> MaceReferral:
    """A referral of the concern to the panel, by someone who decides its route."""
    concern = concern_for(session=session, actor=actor, concern_id=concern_id, permission="concern.route")
    chosen = session.exec(
        select(RouteDecision.chosen)
        .where(RouteDecision.concern_id == concern_id)
        .order_by(col(RouteDecision.id).desc())
    ).first()
    if chosen not in MACE_PATHWAYS:
        raise ValidationFailed({"why": NOT_A_MACE_PATHWAY})
    row = add_referral(session=session, actor=actor, concern=concern, reason=referral.why)
    if row is None:
        raise ValidationFailed({"why": ALREADY_REFERRED})
    return row


def create_panel(*, session: Session, actor: Actor, panel: PanelInput) -> MacePanel:
    """A meeting of the panel on a date (one a day)."""
    policy.require(RUN, session=session, actor=actor)
    if session.exec(select(MacePanel.id).where(MacePanel.meets_on == panel.meets_on)).first() is not None:
        raise ValidationFailed({"meets_on": PANEL_ON_THAT_DAY})
    row = MacePanel(meets_on=panel.meets_on, convened_by_id=actor.account_id)
    stamp(row, actor.label, new=True)
    try:
        # Two people convening the same date at once: the unique date refuses the second.
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise ValidationFailed({"meets_on": PANEL_ON_THAT_DAY}) from None
    record_change(session=session, actor=actor, child_id=None, entity="mace_panel", entity_id=row.id, action="created")
    return row


def panel_for(*, session: Session, actor: Actor, panel_id: int) -> MacePanel:
    policy.require(RUN, session=session, actor=actor)
    panel = session.get(MacePanel, panel_id)
    if panel is None:
        raise NotFound()
    return panel


def list_referral(*, session: Session, actor: Actor, panel_id: int, listed: ListInput) -> MaceReferral:
    """A waiting referral, put on the panel's list for that date."""
    panel = panel_for(session=session, actor=actor, panel_id=panel_id)
    done = session.execute(
        update(MaceReferral)
        .where(
            col(MaceReferral.id) == listed.referral_id,
            col(MaceReferral.panel_id).is_(None),
            col(MaceReferral.outcome_at).is_(None),
        )
        .values(panel_id=panel.id, updated_at=utcnow(), updated_by=actor.label, revision=MaceReferral.revision + 1)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ValidationFailed({"referral_id": ALREADY_LISTED})
    referral = session.get(MaceReferral, listed.referral_id)
    if referral is None:  # updated just now: cannot happen
        raise NotFound()
    session.refresh(referral)
    record_change(
        session=session,
        actor=actor,
        child_id=referral.child_id,
        entity="mace_referral",
        entity_id=referral.id,
        action="listed",
    )
    return referral


def runs_panel(session: Session, actor: Actor) -> bool:
    """Whether the actor runs the panel (not audited: for showing controls)."""
    return policy.holds(RUN, session=session, actor=actor)


def referral_for(*, session: Session, actor: Actor, referral_id: int, run: bool = False) -> MaceReferral:
    """The referral, for the panel's people (audited against the young person) or, to read it, its referrer."""
    referral = session.get(MaceReferral, referral_id)
    mine = referral is not None and referral.referred_by_id == actor.account_id
    if not run and mine and referral is not None and not runs_panel(session, actor):
        return referral
    # Anyone else is asked the policy first (audited), so a missing referral looks like a refused one.
    policy.require(RUN, session=session, actor=actor)
    if referral is None:
        raise NotFound()
    if referral.child_id is not None:
        # The panel has no case relation to the young person: each read of them is audited by name.
        record_access(
            session=session,
            actor=actor,
            child_id=referral.child_id,
            permission=RUN,
            allowed=True,
            detail=f"mace_referral:{referral_id}",
        )
    return referral


def record_outcome(*, session: Session, actor: Actor, referral_id: int, outcome: OutcomeInput) -> MaceReferral:
    """The panel's outcome for a listed referral, once."""
    referral = referral_for(session=session, actor=actor, referral_id=referral_id, run=True)
    if referral.panel_id is None:
        raise ValidationFailed({"__all__": LIST_IT_FIRST})
    now = utcnow()
    values = {
        "outcome": outcome.outcome,
        "outcome_notes": outcome.notes,
        "outcome_by_id": actor.account_id,
        "outcome_at": now,
    }
    # A second recorder is told, never overwrites (record_once, R24).
    if not record_once(
        session,
        MaceReferral,
        referral_id,
        unset=MaceReferral.outcome_at,
        values=values,
        actor_label=actor.label,
        at=now,
    ):
        raise ValidationFailed({"__all__": ALREADY_RECORDED})
    session.refresh(referral)
    record_change(
        session=session,
        actor=actor,
        child_id=referral.child_id,
        entity="mace_referral",
        entity_id=referral.id,
        action="outcome",
    )
    return referral
