"""Setting a notice aside (practitioner door): a plain form post, then back to the work tray (303),
where it no longer shows. Whose notice it is is the service's question (app.notices.operations);
the door commits."""

from __future__ import annotations

from flask import Blueprint, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import request_session
from app.notices import operations
from app.web.htmx import see_other

blueprint = Blueprint("practitioner_notices", __name__)


@blueprint.post("/notices/<int:notice_id>/dismiss")
def dismiss(notice_id: int) -> Response:
    """Set one of my notices aside."""
    operations.dismiss(session=request_session(), actor=current_user.actor, notice_id=notice_id)
    return see_other(url_for("practitioner.caseload"))
