"""Recording an incident (practitioner door), with the worker's decision about the review.

A plain form (a post, then a 303 to the case page, where the incidents are listed); a refusal
(422) gives the page again with everything typed and a message per box; a review someone else
moved meanwhile is a 409 with the review as it is now and everything typed kept (R24). Who may is
the service's question (app.incidents.operations asks the policy); the door commits.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app import timeutil
from app.db import request_session
from app.errors import Conflict, ValidationFailed
from app.incidents import operations, queries
from app.incidents.inputs import KIND_NAMES, IncidentInput
from app.incidents.models import IncidentKind
from app.web.htmx import see_other

blueprint = Blueprint("practitioner_incidents", __name__)

FIELDS = ("kind", "occurred_at", "what_happened", "review", "new_review_date", "kept_because")
# The review the worker saw: sent back with the form, refreshed when it moved meanwhile.
REVIEW_FIELDS = ("review_revision", "review_version")


def _seen(review: queries.ReviewState | None) -> dict[str, str]:
    if review is None:
        return dict.fromkeys(REVIEW_FIELDS, "")
    return {"review_revision": str(review.revision), "review_version": str(review.version_id)}


@blueprint.route("/children/<int:child_id>/incidents/new", methods=["GET", "POST"])
def new_incident(child_id: int) -> Response:
    """Record an incident: what, when, what happened; bring the review forward, or say why not."""
    db, actor = request_session(), current_user.actor
    form = {name: request.form.get(name, "") for name in FIELDS + REVIEW_FIELDS}
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            incident = IncidentInput.parse(form)
            operations.record_incident(session=db, actor=actor, child_id=child_id, incident=incident)
        except ValidationFailed as exc:
            # The form's rules only for someone who may use it (R2): recording_page asks below.
            errors, status = exc.errors, 422
        except Conflict:
            # Nothing was saved; the page shows the review as it is now, and the worker chooses again.
            errors, status = {"review": operations.REVIEW_MOVED}, 409
        else:
            return see_other(url_for("practitioner_cases.team", child_id=child_id, done="incident") + "#incidents")
    page = queries.recording_page(session=db, actor=actor, child_id=child_id, today=timeutil.today())
    if request.method == "GET" or status == 409:
        form |= _seen(page.review)
    if request.method == "GET" and page.review is not None and page.review.proposed is not None:
        form["new_review_date"] = page.review.proposed.isoformat()
    context = {"page": page, "form": form, "errors": errors, "kinds": list(IncidentKind), "kind_names": KIND_NAMES}
    response = make_response(render_template("incidents/new.html", **context), status)
    response.vary.add("HX-Request")
    return response
