"""The context conferences of each peer group or place on the contexts map (app.conferences).

The map shows a conference's kind and date, never its record: that stays behind conferences.read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlmodel import Session, col, select

from app.conferences.inputs import KIND_NAMES
from app.conferences.models import ConferenceKind, ContextConference


@dataclass(frozen=True)
class ConferenceLink:
    """One context conference of a concern, as the map lists it (a link and when it meets)."""

    conference_id: int
    label: str
    meets_on: date | None
    url: str | None  # None when the reader may not open it


def conferences_for(session: Session, concern_ids: list[int], *, may_open: bool) -> dict[int, list[ConferenceLink]]:
    """Each concern's context conferences, by concern id: its kind, when it meets (or is due), and a
    link only when the reader may open conferences (`may_open`, asked of the policy by the caller)."""
    if not concern_ids:
        return {}
    found: dict[int, list[ConferenceLink]] = {}
    rows = session.exec(
        select(ContextConference)
        .where(col(ContextConference.concern_id).in_(concern_ids))
        .order_by(col(ContextConference.id))
    ).all()
    for conference in rows:
        conference_id = conference.id or 0
        found.setdefault(conference.concern_id, []).append(
            ConferenceLink(
                conference_id=conference_id,
                label=str(KIND_NAMES.get(ConferenceKind(conference.kind), conference.kind)),
                meets_on=conference.meets_on or conference.due_on,
                url=url_for("practitioner_conferences.conference", conference_id=conference_id) if may_open else None,
            )
        )
    return found
