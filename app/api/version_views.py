"""A plan's agreed versions and the difference between two versions, over the API (issue 11).

Thin views over app.api.version_queries, which call the services the version history and the
"compare versions" page call, with the same policy questions (audited).
"""

from __future__ import annotations

from typing import Any

from flask import g

from app.api import version_queries
from app.api import version_schemas as out
from app.api.problems import problem_response
from app.api.schemas import ChildPath
from app.api.views import CASES, PROBLEMS, as_json, blueprint
from app.db import request_session


@blueprint.get(
    "/children/<int:child_id>/versions",
    operation_id="listPlanVersions",
    tags=[CASES],
    summary="A child's agreed plan versions",
    responses={200: out.AgreedVersions, **PROBLEMS},
)
def versions(path: ChildPath) -> Any:
    """Newest first: number, when and by whom agreed, the review date agreed, and the meeting that agreed it.
    One version in full is `GET /children/{child_id}/versions/{number}`."""
    return as_json(version_queries.agreed_versions(session=request_session(), actor=g.actor, child_id=path.child_id))


@blueprint.get(
    "/children/<int:child_id>/versions/diff",
    operation_id="getPlanVersionDiff",
    tags=[CASES],
    summary="What changed between two versions of a child's plan",
    responses={
        200: out.VersionDiffOut,
        **PROBLEMS,
        404: problem_response("No such child or version, or not one this token's practitioner may compare."),
        422: problem_response("A value was refused, or `from` is not older than `to`; `errors` says which."),
    },
)
def version_diff(path: ChildPath, query: out.DiffQuery) -> Any:
    """`?from=&to=` name the versions by number (`from` older than `to`); left out, the latest agreed version
    and the draft, as the compare page shows first (a plan of one version: that version with itself, `unchanged`).
    Per section: items added, taken out or changed, with
    their words as runs of `same`, `added` and `removed`; and the section's own fields that changed."""
    comparison = version_queries.version_diff(
        session=request_session(), actor=g.actor, child_id=path.child_id, query=query
    )
    return as_json(out.VersionDiffOut.of(path.child_id, comparison))
