"""The Adolescent Safety Hub's pages (practitioner door): the queue, and one enquiry to decide.

Plain forms (a post, then a 303 back to the page); a refusal (422) gives the page again with what
was typed and a message per field. The door commits.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.concerns.inputs import AREAS
from app.concerns.routing import GRADE_NAMES, PATHWAY_NAMES, SUBJECT_NAMES
from app.db import request_session
from app.errors import ValidationFailed
from app.hub import operations, queries
from app.hub.inputs import LEVEL_NAMES, HubDecisionInput
from app.hub.models import Level
from app.web.htmx import see_other

blueprint = Blueprint("practitioner_hub", __name__)

FIELDS = ("level", "action")
WORDS = {
    "levels": list(Level),
    "level_names": LEVEL_NAMES,
    "pathway_names": PATHWAY_NAMES,
    "grade_names": GRADE_NAMES,
    "subject_names": SUBJECT_NAMES,
    "areas": AREAS,
}


def _page(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(render_template(template, **WORDS, **context), status)
    response.vary.add("HX-Request")
    return response


@blueprint.route("/hub")
def queue() -> Response:
    """The Hub's enquiries: late first, then due today, then later; the latest decided below."""
    db, actor = request_session(), current_user.actor
    return _page("hub/queue.html", queue=queries.hub_queue(session=db, actor=actor))


@blueprint.route("/hub/enquiries/<int:enquiry_id>", methods=["GET", "POST"])
def enquiry(enquiry_id: int) -> Response:
    """One enquiry: what the Hub needs to know, and its decision (once)."""
    db, actor = request_session(), current_user.actor
    form = {name: request.form.get(name, "") for name in FIELDS}
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            decision = HubDecisionInput.parse(form)
            operations.decide_enquiry(session=db, actor=actor, enquiry_id=enquiry_id, decision=decision)
        except ValidationFailed as exc:
            # The form's rules only for someone who may use it (R2).
            operations.enquiry_for(session=db, actor=actor, enquiry_id=enquiry_id)
            errors, status = exc.errors, 422
        else:
            return see_other(url_for(".enquiry", enquiry_id=enquiry_id, done="decided"))
    view = queries.enquiry_page(session=db, actor=actor, enquiry_id=enquiry_id)
    done = request.args.get("done", "") == "decided" and status == 200
    return _page("hub/enquiry.html", status, view=view, form=form, errors=errors, done=done)
