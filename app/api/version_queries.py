"""What the API reads about a plan's versions, through the services the version pages call.

The history is `version_history` (the policy's "plan.history", audited); the difference is the
compare page's `version_comparison` ("plan.compare", audited), made strict for a machine: a number
that names no version is "not found" rather than the page's fallback to its default.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from app.access import policy
from app.actors import Actor
from app.api import version_schemas as out
from app.drafting.queries import Comparison, version_comparison
from app.errors import NotFound, ValidationFailed
from app.meetings.models import Meeting
from app.plans.versions import version_history


def agreed_versions(*, session: Session, actor: Actor, child_id: int) -> out.AgreedVersions:
    """The agreed versions, newest first, each with the meeting that agreed it (where the reader may read meetings)."""
    agreed = [v for v in version_history(session=session, actor=actor, child_id=child_id) if v.agreed_at is not None]
    meetings: dict[int, Meeting] = {}
    if agreed and policy.holds("meeting.read", session=session, actor=actor, child_id=child_id):
        rows = session.exec(
            select(Meeting).where(
                Meeting.child_id == child_id, col(Meeting.agreed_version_id).in_([v.id for v in agreed])
            )
        ).all()
        meetings = {row.agreed_version_id or 0: row for row in rows}
    return out.AgreedVersions(
        child_id=child_id, items=[out.AgreedVersion.of(v, meetings.get(v.id or 0)) for v in agreed]
    )


def version_diff(*, session: Session, actor: Actor, child_id: int, query: out.DiffQuery) -> Comparison:
    """Version `from` compared with version `to` (by default the latest agreed one and the draft).

    The policy is asked first (a child one may not compare is "not found", audited); then a number
    naming no version of the open plan is NotFound, and a `from` not older than `to` is refused (422).
    """
    comparison = version_comparison(
        session=session, actor=actor, child_id=child_id, older=query.from_number, newer=query.to_number
    )
    numbers = {v.number for v in comparison.versions}
    if any(n is not None and n not in numbers for n in (query.from_number, query.to_number)):
        raise NotFound()
    named = query.from_number is not None or query.to_number is not None
    # Left to the defaults, a plan of one version is compared with itself (as the page does): unchanged.
    if named and comparison.diff.older.number >= comparison.diff.newer.number:
        field = "from" if query.from_number is not None else "to"
        raise ValidationFailed({field: _("Compare an older version with a newer one: “from” must be less than “to”.")})
    return comparison
