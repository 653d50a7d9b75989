"""Incidents on a young person's case over the API (issue 10, item 6): list them, record one.

Thin views over the services the case page and the "record an incident" form call
(app.incidents), with the form's own input model as the body, so both doors leave the same rows
and the same audit trail. As on the page, the policy is asked before a refusal says anything about
the body: a token whose practitioner may not record is "not found" (audited), never a 422 (R2).
A review someone else moved meanwhile is a 409 with the review as it is now (R24).
"""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify
from flask import request as flask_request
from flask_babel import gettext as _
from flask_openapi3 import Tag

from app import timeutil
from app.access import policy
from app.api import incident_schemas as out
from app.api.draft_items import checked_in_the_view
from app.api.problems import problem, problem_response
from app.api.schemas import ChildPath
from app.api.views import PROBLEMS, as_json, blueprint
from app.db import request_session
from app.errors import Conflict, ValidationFailed
from app.incidents import operations, queries
from app.incidents.inputs import IncidentInput
from app.inputs import read_json
from app.people.models import Practitioner

INCIDENTS = Tag(name="incidents", description="Incidents on a young person's case, and bringing the review forward.")
PATH = "/children/<int:child_id>/incidents"
WRITE_PROBLEMS: dict[str | int, Any] = {
    **PROBLEMS,
    403: problem_response("The token may only read."),
    404: problem_response("No such child, or not one this token's practitioner may record an incident for."),
    409: problem_response(
        "The review changed since it was read; `review` is how it is now. Nothing was saved.", out.ReviewConflict
    ),
    422: problem_response("A path value or the body was refused; `errors` says which field and why."),
}


def _review(child_id: int) -> out.ReviewOut | None:
    state = queries.review_state(request_session(), child_id, timeutil.today())
    return out.ReviewOut.of(state) if state is not None else None


@blueprint.get(
    PATH,
    operation_id="listChildIncidents",
    tags=[INCIDENTS],
    summary="A young person's incidents and their review",
    responses={200: out.ChildIncidents, **PROBLEMS},
)
def child_incidents(path: ChildPath) -> Any:
    """Newest first (when they happened), each with the decision about the review; and the review as it stands,
    with the revision to state when recording an incident."""
    rows = queries.child_incidents(session=request_session(), actor=g.actor, child_id=path.child_id)
    return as_json(
        out.ChildIncidents(
            child_id=path.child_id, review=_review(path.child_id), items=[out.IncidentOut.of(r) for r in rows]
        )
    )


@blueprint.post(
    PATH,
    operation_id="recordIncident",
    tags=[INCIDENTS],
    summary="Record an incident, bringing the review forward or saying why not",
    responses={201: out.IncidentOut, **WRITE_PROBLEMS},
)
@checked_in_the_view(body=IncidentInput)
def record_incident(path: ChildPath) -> Response:
    """`review` is `bring_forward` (with `new_review_date`: a working day from today, sooner than the review,
    within 5 working days) or `keep` (with `kept_because`), stating the `review_revision` and `review_version`
    read from the list; with no agreed review, leave them out. Needs a read-and-change token."""
    db = request_session()
    try:
        incident = IncidentInput.parse(read_json(flask_request.get_data()))
        row = operations.record_incident(session=db, actor=g.actor, child_id=path.child_id, incident=incident)
    except ValidationFailed:
        policy.require("incident.record", session=db, actor=g.actor, child_id=path.child_id)
        raise
    except Conflict:
        review = _review(path.child_id)
        return problem(
            409,
            detail=_("The review changed since you read it. Nothing was saved: read it again, then decide."),
            extensions={"review": review.model_dump(mode="json") if review is not None else None},
        )
    recorder = db.get(Practitioner, row.recorded_by_id)
    recorded = queries.IncidentRow(incident=row, recorded_by=recorder.display_name if recorder is not None else "")
    response = jsonify(out.IncidentOut.of(recorded).model_dump(mode="json"))
    response.status_code = 201
    return response
