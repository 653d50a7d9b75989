"""An agency partner's page (practitioner door): only their agency's actions in the child's plan."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from app.agency_actions.operations import AgencyActionEdit, update_my_agency_action
from app.agency_actions.queries import actions_for_my_agency, partner_agency
from app.db import request_session
from app.errors import Conflict, ValidationFailed
from app.inputs import parse_id
from app.web.htmx import see_other

blueprint = Blueprint("practitioner_agency_actions", __name__)

# At most this much of what was typed is echoed back into the form after a refusal.
MAX_ECHO = 2000


@blueprint.route("/children/<int:child_id>/agency-actions", methods=["GET", "POST"])
def page(child_id: int) -> Any:
    """The actions, each with a form; after a refusal, the form again with what was typed."""
    db = request_session()
    actor = current_user.actor
    errors: dict[str, Any] = {}
    conflict = False
    status = 200
    typed = {name: request.form.get(name, "")[:MAX_ECHO] for name in ("action_id", "action", "due_on", "repeats")}
    if request.method == "POST":
        revision = parse_id(request.form.get("revision", ""))
        try:
            edit = AgencyActionEdit.parse({**typed, "expected_revision": -1 if revision is None else revision})
            update_my_agency_action(
                session=db, actor=actor, child_id=child_id, action_id=parse_id(typed["action_id"]) or 0, edit=edit
            )
            return see_other(url_for("practitioner_agency_actions.page", child_id=child_id, saved=1))
        except ValidationFailed as exc:
            # Checked before the service: only someone who may edit here gets the form back (R2).
            partner_agency(db, actor, child_id, "agency_actions.edit_own")
            errors, status = exc.errors, 422
        except Conflict:
            conflict, status = True, 409
    view = actions_for_my_agency(session=db, actor=actor, child_id=child_id)
    return render_template(
        "agency_actions/agency_actions.html",
        view=view,
        errors=errors,
        conflict=conflict,
        form=typed,
        saved=request.args.get("saved") == "1",
    ), status
