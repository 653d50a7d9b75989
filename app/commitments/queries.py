"""Where each carer commitment stands: the latest of its append-only updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.commitments.models import CommitmentUpdate
from app.plans.models import CarerCommitment
from app.plans.read_model import PlanView, items_of
from app.plans.reading import PlanReading
from app.plans.versions import latest_agreed


@dataclass(frozen=True)
class CommitmentProgress:
    """Where one commitment stands now: the latest of its append-only updates."""

    done: bool
    # When it was marked done (the start of the latest run of "done" updates); None while not done.
    done_since: datetime | None
    comment: str | None
    # The latest update's id: a comment form states it, so two phones cannot silently overwrite (R24).
    latest_update_id: int
    # The latest update's place in the history: the next update takes the one after (R24).
    latest_number: int


@cache
def _histories_query() -> SelectOfScalar[CommitmentUpdate]:
    """Every update of some commitments, oldest first: built once (each plan page asks it)."""
    return (
        select(CommitmentUpdate)
        .where(col(CommitmentUpdate.commitment_id).in_(bindparam("commitment_ids", expanding=True)))
        .order_by(col(CommitmentUpdate.id))
    )


def commitment_histories(*, session: Session, commitment_ids: list[int]) -> dict[int, list[CommitmentUpdate]]:
    """Every update of each commitment, oldest first."""
    histories: dict[int, list[CommitmentUpdate]] = {cid: [] for cid in commitment_ids}
    if not commitment_ids:
        return histories
    rows = session.exec(_histories_query(), params={"commitment_ids": commitment_ids}).all()
    for row in rows:
        histories[row.commitment_id].append(row)
    return histories


def progress_of(history: list[CommitmentUpdate]) -> CommitmentProgress | None:
    """The status a history adds up to (the latest row wins), or None with no updates."""
    if not history:
        return None
    latest = history[-1]
    done_since = None
    if latest.done:
        for row in reversed(history):
            if not row.done:
                break
            done_since = row.at
    return CommitmentProgress(
        done=latest.done,
        done_since=done_since,
        comment=latest.comment,
        latest_update_id=latest.id or 0,
        latest_number=latest.number,
    )


def current_progress(*, session: Session, commitment_id: int) -> CommitmentProgress | None:
    """Where one commitment stands now (None before any update)."""
    return progress_of(commitment_histories(session=session, commitment_ids=[commitment_id])[commitment_id])


def _commitment_key(c: CarerCommitment) -> tuple[int | None, str, str, str]:
    return (c.member_id, c.kind, c.commitment, c.by_when)


def with_progress(*, session: Session, view: PlanView, reading: PlanReading | None = None) -> PlanView:
    """`view` with the progress of each commitment it shows (`view.progress`, keyed by the shown id).

    Carers update the commitments of the version the family sees (the latest agreed one). A draft
    holds copies of them with new ids, so a draft's commitment takes the progress of its agreed
    twin (same carer, starter, words and date) when it has one. Given the `reading` the view came
    from, the agreed version and its commitments are taken from it rather than read again.
    """
    shown = [c for c in view.carer_commitments if c.id is not None]
    source: dict[int, int] = {c.id or 0: c.id or 0 for c in shown}
    if not view.is_agreed:
        agreed = reading.agreed if reading is not None else latest_agreed(session=session, plan_id=view.plan.id or 0)
        if agreed is not None:
            twins: dict[tuple[int | None, str, str, str], list[int]] = {}
            rows = (
                reading.items(CarerCommitment, agreed.id) if reading else items_of(session, CarerCommitment, agreed.id)
            )
            for c in rows:
                twins.setdefault(_commitment_key(c), []).append(c.id or 0)
            for c in shown:
                matches = twins.get(_commitment_key(c))
                if matches:
                    source[c.id or 0] = matches.pop(0)
    wanted = sorted(set(source.values()))
    if reading is not None and all(cid in reading.updates for cid in wanted):
        # Read with the lists (PlanReading.load): every commitment shown and every twin is one of them.
        histories = {cid: reading.updates[cid] for cid in wanted}
    else:
        histories = commitment_histories(session=session, commitment_ids=wanted)
    view.progress = {}
    for shown_id, source_id in source.items():
        progress = progress_of(histories.get(source_id, []))
        if progress is not None:
            view.progress[shown_id] = progress
    return view
