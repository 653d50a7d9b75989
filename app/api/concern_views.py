"""Concerns, Safer Me Assessments, route decisions and the Hub's queue, read over the API (issue 12).

Thin views over the queries the practitioner pages call (app.concerns.queries, app.hub.queries),
which ask the policy the same questions: a concern the token's practitioner may not read is "not
found" (audited with the token's id), as on the page. The Hub's queue is account-wide work, not a
record: a token whose practitioner is not in the Hub is told so (403), the refusal audited.
"""

from __future__ import annotations

from typing import Any

from flask import Response, g
from flask_babel import gettext as _
from flask_openapi3 import Tag

from app.access import policy
from app.api import concern_schemas as out
from app.api.problems import problem, problem_response
from app.api.schemas import ChildPath
from app.api.views import PROBLEMS, as_json, blueprint
from app.concerns import queries as concern_queries
from app.db import request_session
from app.errors import NotFound
from app.hub import queries as hub_queries

CONCERNS = Tag(name="concerns", description="Concerns, Safer Me Assessments and route decisions (seed 002).")
HUB = Tag(name="hub", description="The Adolescent Safety Hub's enquiries, with deadlines in working days.")
HUB_PROBLEMS: dict[str | int, Any] = {
    **{status: answer for status, answer in PROBLEMS.items() if status != 404},
    403: problem_response("The token's practitioner does not work in the Adolescent Safety Hub."),
}


def _not_the_hub() -> Response:
    return problem(403, detail=_("Only the Adolescent Safety Hub's people read its enquiries."))


@blueprint.get(
    "/children/<int:child_id>/concerns",
    operation_id="listChildConcerns",
    tags=[CONCERNS],
    summary="The concerns about a young person",
    responses={200: out.ChildConcerns, **PROBLEMS},
)
def child_concerns(path: ChildPath) -> Any:
    """Newest first, each with its latest risk grade, the pathway proposed now and the route decisions."""
    pages = concern_queries.child_concerns(session=request_session(), actor=g.actor, child_id=path.child_id)
    return as_json(out.ChildConcerns(child_id=path.child_id, items=[out.ConcernSummary.of(page) for page in pages]))


@blueprint.get(
    "/concerns/<int:concern_id>",
    operation_id="getConcern",
    tags=[CONCERNS],
    summary="One concern, its assessments and route decisions",
    responses={200: out.ConcernOut, **PROBLEMS},
)
def concern(path: out.ConcernPath) -> Any:
    """The assessments (newest first, by area, with the grade and reasons), the pathway proposed now with its
    steps, and who decided which route, when and why."""
    page = concern_queries.concern_page(session=request_session(), actor=g.actor, concern_id=path.concern_id)
    return as_json(out.ConcernOut.of(page))


@blueprint.get(
    "/hub/enquiries",
    operation_id="listHubEnquiries",
    tags=[HUB],
    summary="The Adolescent Safety Hub's queue",
    responses={200: out.HubQueueOut, **HUB_PROBLEMS},
)
def hub_enquiries() -> Any:
    """Open enquiries, late first, then due today, then later (each due within one working day, in England's
    working days), and the most recently decided with their decisions."""
    try:
        queue = hub_queries.hub_queue(session=request_session(), actor=g.actor)
    except NotFound:
        # The policy refused (and audited it): work of the Hub's, not a record someone may or may not see.
        return _not_the_hub()
    return as_json(out.HubQueueOut.of(queue))


@blueprint.get(
    "/hub/enquiries/<int:enquiry_id>",
    operation_id="getHubEnquiry",
    tags=[HUB],
    summary="One Adolescent Safety Hub enquiry",
    responses={200: out.HubEnquiryDetail, **HUB_PROBLEMS, 404: PROBLEMS[404]},
)
def hub_enquiry(path: out.EnquiryPath) -> Any:
    """The concern, the route that made the enquiry and the assessment behind it, the due date and the decision.
    The Hub has no case relation to the young person: each read is audited against their record."""
    try:
        page = hub_queries.enquiry_page(session=request_session(), actor=g.actor, enquiry_id=path.enquiry_id)
    except NotFound:
        if not policy.holds("hub.work", session=request_session(), actor=g.actor):
            return _not_the_hub()
        raise
    return as_json(out.HubEnquiryDetail.of_page(page))
