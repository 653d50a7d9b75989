"""Mapping meetings and context conferences, read over the API (issue 12 parts 5 and 6).

Thin views over the queries the practitioner pages call (app.mapping.queries,
app.conferences.queries), which ask the policy the same questions. Both are account-wide work, not
a child's record: a token whose practitioner does not convene mapping meetings (the Hub) or read
conferences (chairs, managers, QAS, the Hub) is told so (403), the refusal audited with the
token's id; a record that does not exist is "not found".
"""

from __future__ import annotations

from typing import Any

from flask import Response, g
from flask_babel import gettext as _
from flask_openapi3 import Tag

from app.access import policy
from app.api import context_schemas as out
from app.api.problems import problem, problem_response
from app.api.schemas import PageQuery
from app.api.views import PROBLEMS, as_json, blueprint
from app.conferences import queries as conference_queries
from app.conferences.operations import READ
from app.db import request_session
from app.errors import NotFound
from app.mapping import queries as mapping_queries
from app.mapping.operations import CONVENE

CONTEXTS = Tag(
    name="contexts", description="Mapping meetings and context conferences, with their working-day deadlines."
)
NOT_YOURS = problem_response("The token's practitioner does not do this work.")
LIST_PROBLEMS: dict[str | int, Any] = {**{s: a for s, a in PROBLEMS.items() if s != 404}, 403: NOT_YOURS}
ITEM_PROBLEMS: dict[str | int, Any] = {**PROBLEMS, 403: NOT_YOURS}


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _refused(permission: str, detail: str) -> Response | None:
    """A 403 when the token's practitioner lacks the account-wide permission (the policy audited it)."""
    if policy.holds(permission, session=request_session(), actor=g.actor):
        return None
    return problem(403, detail=detail)


def _not_the_hub() -> str:
    return _("Only the Adolescent Safety Hub convenes and reads mapping meetings.")


def _not_a_reader() -> str:
    return _("Only chairs, managers, QAS and the Adolescent Safety Hub read context conferences.")


def _paged(model: type[Any], items: list[Any], total: int, query: PageQuery) -> Any:
    """One page of a list, with the counts a client pages by."""
    return as_json(
        model(items=items, total=total, page=query.page, pages=_pages(total, query.per_page), per_page=query.per_page)
    )


@blueprint.get(
    "/mapping-meetings",
    operation_id="listMappingMeetings",
    tags=[CONTEXTS],
    summary="Mapping meetings",
    responses={200: out.MappingList, **LIST_PROBLEMS},
)
def mapping_meetings(query: PageQuery) -> Any:
    """Those to hold by due date (within 10 working days of the route decision), then the weighed;
    `?page=` of `per_page` (at most 100)."""
    try:
        rows, total = mapping_queries.mapping_rows(
            session=request_session(), actor=g.actor, offset=(query.page - 1) * query.per_page, limit=query.per_page
        )
    except NotFound:
        return problem(403, detail=_not_the_hub())
    return _paged(out.MappingList, [out.MappingOut.of(row) for row in rows], total, query)


@blueprint.get(
    "/mapping-meetings/<int:mapping_id>",
    operation_id="getMappingMeeting",
    tags=[CONTEXTS],
    summary="One mapping meeting",
    responses={200: out.MappingDetail, **ITEM_PROBLEMS},
)
def mapping_meeting(path: out.MappingPath) -> Any:
    """Its due date, the members of the group or users of the place, and the context weighting."""
    try:
        page = mapping_queries.mapping_page(session=request_session(), actor=g.actor, mapping_id=path.mapping_id)
    except NotFound:
        refused = _refused(CONVENE, _not_the_hub())
        if refused is not None:
            return refused
        raise
    return as_json(out.MappingDetail.of_page(page))


@blueprint.get(
    "/conferences",
    operation_id="listConferences",
    tags=[CONTEXTS],
    summary="Context conferences",
    responses={200: out.ConferenceList, **LIST_PROBLEMS},
)
def conferences(query: PageQuery) -> Any:
    """Open ones by due date (within 15 working days of the weighting; the late first), then the closed
    with their review dates; `?page=` of `per_page` (at most 100)."""
    try:
        rows, total = conference_queries.conference_rows(
            session=request_session(), actor=g.actor, offset=(query.page - 1) * query.per_page, limit=query.per_page
        )
    except NotFound:
        return problem(403, detail=_not_a_reader())
    return _paged(out.ConferenceList, [out.ConferenceOut.of(row) for row in rows], total, query)


@blueprint.get(
    "/conferences/<int:conference_id>",
    operation_id="getConference",
    tags=[CONTEXTS],
    summary="One context conference",
    responses={200: out.ConferenceDetail, **ITEM_PROBLEMS},
)
def conference(path: out.ConferencePath) -> Any:
    """Its due date, the group's members (names only: a conference never case-manages a child), the
    agenda's notes step by step, the plan in four domains, the time kept for it, the close and review."""
    try:
        page = conference_queries.conference_page(
            session=request_session(), actor=g.actor, conference_id=path.conference_id
        )
    except NotFound:
        refused = _refused(READ, _not_a_reader())
        if refused is not None:
            return refused
        raise
    return as_json(out.ConferenceDetail.of_page(page))
