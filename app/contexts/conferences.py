"""Where context conferences join the contexts map (app.conferences is built beside this package).

Kept apart so the merge touches one small function: the map asks it for each peer group's or
place's conferences and shows whatever comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session


@dataclass(frozen=True)
class ConferenceLink:
    """One context conference of a concern, as the map lists it (a link and when it meets)."""

    conference_id: int
    label: str
    meets_on: date | None
    url: str | None  # None when the reader may not open it


def conferences_for(session: Session, concern_ids: list[int]) -> dict[int, list[ConferenceLink]]:
    """Conferences join here: each concern's context conferences, by concern id.

    Empty until app.conferences is merged; then it lists the conferences of these concerns, with
    a link only for readers the policy lets open them.
    """
    del session, concern_ids
    return {}
