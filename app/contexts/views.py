"""The contexts map page (practitioner door): lists and tables of the links, not a drawing.

Read only; the query asks the policy and audits each read. The door commits.
"""

from __future__ import annotations

from flask import Blueprint, make_response, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from app.concerns.routing import SUBJECT_NAMES
from app.contexts import queries
from app.db import request_session
from app.mace.inputs import OUTCOME_NAMES
from app.mapping.inputs import WEIGHTING_NAMES

blueprint = Blueprint("practitioner_contexts", __name__)


@blueprint.route("/contexts")
def contexts() -> Response:
    """Peer groups, places and persons of concern, each with the children and meetings it touches."""
    view = queries.contexts_map(session=request_session(), actor=current_user.actor)
    response = make_response(
        render_template(
            "contexts/contexts.html",
            view=view,
            subject_names=SUBJECT_NAMES,
            weighting_names=WEIGHTING_NAMES,
            outcome_names=OUTCOME_NAMES,
        )
    )
    response.vary.add("HX-Request")
    return response
