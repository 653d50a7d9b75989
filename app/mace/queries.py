"""What the MACE pages show: the panels and the referrals waiting; one panel's list; one referral;
and a concern's referrals (on the concern's page)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.concerns.models import Concern
from app.errors import NotFound
from app.mace.models import MacePanel, MaceReferral
from app.mace.operations import RUN, panel_for, referral_for, runs_panel
from app.people.models import Child, Practitioner


@dataclass(frozen=True)
class ReferralRow:
    referral: MaceReferral
    concern: Concern
    child: Child | None
    referrer: str
    recorder: str  # who recorded the outcome


@dataclass(frozen=True)
class PanelsPage:
    panels: list[MacePanel]
    waiting: list[ReferralRow]


@dataclass(frozen=True)
class PanelPage:
    panel: MacePanel
    listed: list[ReferralRow]
    waiting: list[ReferralRow]


@dataclass(frozen=True)
class ReferralPage:
    row: ReferralRow
    panel: MacePanel | None
    may_record: bool


@dataclass(frozen=True)
class ConcernReferrals:
    """A concern's referrals to MACE, for its page: each with its outcome; whether one may be opened."""

    rows: list[ReferralRow]
    openable: frozenset[int]
    waiting: bool


def _rows(session: Session, referrals: list[MaceReferral]) -> list[ReferralRow]:
    ids = {r.referred_by_id for r in referrals} | {r.outcome_by_id for r in referrals if r.outcome_by_id}
    names = (
        {p.id: p.display_name for p in session.exec(select(Practitioner).where(col(Practitioner.id).in_(ids))).all()}
        if ids
        else {}
    )
    rows = []
    for referral in referrals:
        concern = session.get(Concern, referral.concern_id)
        if concern is None:  # a foreign key: cannot happen
            raise NotFound()
        child = session.get(Child, referral.child_id) if referral.child_id is not None else None
        rows.append(
            ReferralRow(
                referral=referral,
                concern=concern,
                child=child,
                referrer=names.get(referral.referred_by_id, ""),
                recorder=names.get(referral.outcome_by_id or 0, ""),
            )
        )
    return rows


def _waiting(session: Session) -> list[MaceReferral]:
    return list(
        session.exec(
            select(MaceReferral)
            .where(col(MaceReferral.panel_id).is_(None), col(MaceReferral.outcome_at).is_(None))
            .order_by(col(MaceReferral.referred_on), col(MaceReferral.id))
        ).all()
    )


def panels_page(*, session: Session, actor: Actor) -> PanelsPage:
    """The panel's dates (newest first) and the referrals waiting for a panel, for those who run it."""
    policy.require(RUN, session=session, actor=actor)
    panels = list(session.exec(select(MacePanel).order_by(col(MacePanel.meets_on).desc())).all())
    return PanelsPage(panels=panels, waiting=_rows(session, _waiting(session)))


def panel_page(*, session: Session, actor: Actor, panel_id: int) -> PanelPage:
    """One date's list: the children, contexts and persons of concern referred, with their outcomes."""
    panel = panel_for(session=session, actor=actor, panel_id=panel_id)
    listed = list(
        session.exec(select(MaceReferral).where(MaceReferral.panel_id == panel_id).order_by(col(MaceReferral.id))).all()
    )
    for referral in listed:
        # Names of young people on the list: each read is audited against them.
        referral_for(session=session, actor=actor, referral_id=referral.id or 0, run=True)
    return PanelPage(panel=panel, listed=_rows(session, listed), waiting=_rows(session, _waiting(session)))


def referral_page(*, session: Session, actor: Actor, referral_id: int) -> ReferralPage:
    referral = referral_for(session=session, actor=actor, referral_id=referral_id)
    panel = session.get(MacePanel, referral.panel_id) if referral.panel_id is not None else None
    may_record = panel is not None and referral.outcome_at is None and runs_panel(session, actor)
    return ReferralPage(row=_rows(session, [referral])[0], panel=panel, may_record=may_record)


def concern_referrals(*, session: Session, actor: Actor, concern_id: int) -> ConcernReferrals:
    """The referrals of a concern the caller has already read (the concern's page asked the policy)."""
    referrals = list(
        session.exec(
            select(MaceReferral).where(MaceReferral.concern_id == concern_id).order_by(col(MaceReferral.id).desc())
        ).all()
    )
    runs = runs_panel(session, actor)
    return ConcernReferrals(
        rows=_rows(session, referrals),
        openable=frozenset(r.id or 0 for r in referrals if runs or r.referred_by_id == actor.account_id),
        waiting=any(r.outcome_at is None for r in referrals),
    )
