"""Incidents for tests: a frozen clock (one for the form, the service and the tray) and an incident
recorded through the service layer."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlmodel import Session

from app.incidents.inputs import IncidentInput
from app.incidents.models import Incident
from app.incidents.operations import record_incident
from app.incidents.queries import review_state
from app.people.models import Child, Practitioner
from app.timeutil import ENGLAND
from tests.factories.people import actor


def freeze(monkeypatch: pytest.MonkeyPatch, day: date, at: time = time(12, 0)) -> datetime:
    """Stop the app's clock (app.timeutil) at `at` on `day`, England's time; the moment, in UTC."""
    moment = datetime.combine(day, at, tzinfo=ENGLAND).astimezone(UTC)
    monkeypatch.setattr("app.timeutil.utcnow", lambda: moment)
    monkeypatch.setattr("app.timeutil.today", lambda: day)
    return moment


def incident(
    db: Session,
    child: Child,
    *,
    by: Practitioner,
    when: str,
    what: str = "Missing overnight; found at the station",
    kind: str = "missing_episode",
    review: str = "keep",
    new_review_date: date | None = None,
    kept_because: str = "The review is soon enough",
) -> Incident:
    """An incident on `child`'s case, with a review decision made from the review as it stands."""
    state = review_state(db, child.id or 0, date.fromisoformat(when[:10]))
    fields: dict[str, object] = {"kind": kind, "occurred_at": when, "what_happened": what}
    if state is not None:
        fields |= {
            "review": review,
            "new_review_date": new_review_date.isoformat() if new_review_date else "",
            "kept_because": kept_because if review == "keep" else "",
            "review_revision": state.revision,
            "review_version": state.version_id,
        }
    return record_incident(session=db, actor=actor(by), child_id=child.id or 0, incident=IncidentInput.parse(fields))
