"""The API's resources: thin views over app.api.queries, declared with their pydantic models.

flask-openapi3 validates each path and query against its model (a refusal is a 422 problem) and
writes the OpenAPI document from the same models and these declarations.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel

from app.api import queries, schemas
from app.api.problems import problem_response
from app.db import request_session

blueprint = APIBlueprint("api_v1", __name__, abp_security=[{"bearer": []}])

CASES = Tag(name="cases", description="The children on your caseload and their plans.")
# Every authenticated operation may answer these; 404 is also what a record one may not see answers (R2).
PROBLEMS: dict[str | int, type[BaseModel] | dict[Any, Any] | None] = {
    401: problem_response("No token, or one that is unknown, expired or revoked."),
    404: problem_response("No such record, or not one this token's practitioner may see."),
    422: problem_response("A path or query value was refused; `errors` says which and why."),
    429: problem_response("Too many calls: wait for Retry-After seconds."),
}


def as_json(model: Any) -> Any:
    """A response schema's JSON answer (every API view answers through one)."""
    return jsonify(model.model_dump(mode="json"))


@blueprint.get(
    "/children",
    operation_id="listChildren",
    tags=[CASES],
    summary="The children on your caseload",
    responses={200: schemas.CaseloadPage, **PROBLEMS},
)
def children(query: schemas.CaseloadQuery) -> Any:
    """Soonest review first, with the review date and whether it is overdue; `?page=` of `per_page` (at most 100).
    Narrow it with `overdue=true`, `meeting_type` and `role`, as the home page's filters do."""
    return as_json(queries.caseload_page(session=request_session(), actor=g.actor, page=query))


@blueprint.get(
    "/children/<int:child_id>",
    operation_id="getChild",
    tags=[CASES],
    summary="A child's case",
    responses={200: schemas.ChildCase, **PROBLEMS},
)
def child(path: schemas.ChildPath) -> Any:
    """A case you may read in full; any other child is "not found"."""
    return as_json(queries.child_case(session=request_session(), actor=g.actor, child_id=path.child_id))


@blueprint.get(
    "/children/<int:child_id>/plan",
    operation_id="getPlan",
    tags=[CASES],
    summary="A child's plan: the draft and the agreed versions",
    responses={200: schemas.PlanOut, **PROBLEMS},
)
def plan(path: schemas.ChildPath) -> Any:
    """The working draft, every section, and the list of agreed versions, newest first."""
    return as_json(queries.plan(session=request_session(), actor=g.actor, child_id=path.child_id))


@blueprint.get(
    "/children/<int:child_id>/versions/<int:number>",
    operation_id="getPlanVersion",
    tags=[CASES],
    summary="One version of a child's plan",
    responses={200: schemas.Version, **PROBLEMS},
)
def version(path: schemas.VersionPath) -> Any:
    """A version by its number (agreed, or the draft), every section."""
    page = queries.version(session=request_session(), actor=g.actor, child_id=path.child_id, number=path.number)
    return as_json(page)
