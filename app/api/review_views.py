"""Reviews due over the API (issue 11): the caller's caseload narrowed to its reviews, late first.

The work tray's own query (app.worktray.queries) chooses, counts and cuts the page in the database,
whatever the caseload's size; each row's next meeting and its facilitator come in three more
queries for the page (app.meetings.queries), and only on the cases where the caller may read the
meetings (as the tray's meeting flag), so a token never learns of a meeting it could not read.
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask_openapi3 import Tag
from sqlmodel import Session

from app.access import caseloads
from app.actors import Actor
from app.api import meeting_schemas as out
from app.api.views import PROBLEMS, as_json, blueprint
from app.db import request_session
from app.meetings import queries as meeting_queries
from app.plans.models import MeetingType
from app.worktray.inputs import TrayFilters
from app.worktray.queries import TrayRow, work_tray

REVIEWS = Tag(name="reviews", description="The reviews due on your caseload: overdue, due this week, or every one.")


def _next(row: TrayRow, coming: dict[int, meeting_queries.ComingMeeting]) -> out.NextMeeting | None:
    found = coming.get(row.child.id or 0)
    if found is None:
        return None
    meeting = found.meeting
    return out.NextMeeting(
        id=meeting.id or 0,
        starts_at=meeting.starts_at,
        meeting_type=MeetingType(meeting.meeting_type),
        is_review=meeting.is_review,
        facilitator=found.facilitator,
    )


def reviews_page(*, session: Session, actor: Actor, query: out.ReviewQuery) -> out.ReviewPage:
    """One page of the caseload's reviews, soonest (so the most overdue) first."""
    filters = TrayFilters(page=query.page, review=query.status.value)
    tray = work_tray(session=session, actor=actor, filters=filters, page_size=query.per_page)
    # The tray shows its last page for one past it; a sync paging on until a page is empty must stop.
    rows = tray.rows if tray.page == query.page else []
    readable = [row.child.id or 0 for row in rows if caseloads.row_holds(row.case_role, "meeting.read")]
    coming = meeting_queries.coming_meetings(session=session, child_ids=readable)
    items = [
        out.ReviewDue(
            child_id=row.child.id or 0,
            preferred_name=row.child.preferred_name,
            review_date=row.next_review,
            days_overdue=row.review_overdue_by,
            days_until=None if row.review_overdue_by else (row.next_review - row.today).days,
            meeting_type=MeetingType(row.meeting_type) if row.meeting_type else None,
            next_meeting=_next(row, coming),
        )
        for row in rows
        if row.next_review is not None
    ]
    return out.ReviewPage(items=items, total=tray.total, page=query.page, pages=tray.pages, per_page=query.per_page)


@blueprint.get(
    "/reviews",
    operation_id="listReviewsDue",
    tags=[REVIEWS],
    summary="The reviews due on your caseload",
    responses={200: out.ReviewPage, **PROBLEMS},
)
def reviews(query: out.ReviewQuery) -> Any:
    """Most overdue first: `?status=overdue` (the date has passed), `due_soon` (today or within 7 days) or
    `all`; `?page=` of `per_page` (at most 100). The next meeting is shown where you may read the meetings."""
    return as_json(reviews_page(session=request_session(), actor=g.actor, query=query))
