"""What's new: "Got it" puts away the card that says what changed since the last look.

A plain form post (then back to the plan) or htmx (the card is replaced in place by a short,
focused note, so keyboard and screen-reader users are not left on nothing).
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import request_session
from app.inputs import parse_id
from app.web.htmx import is_htmx, part_or_page, see_other
from app.whats_new import operations

blueprint = Blueprint("family_whats_new", __name__)


@blueprint.post("/c/<int:child_id>/whats-new/seen")
def got_it(child_id: int) -> Response:
    db = request_session()
    # The card names the version it was about; a missing or garbled one matches nothing (a no-op).
    version_id = parse_id(request.form.get("version", "")) or 0
    operations.dismiss_whats_new(session=db, actor=current_user.actor, child_id=child_id, version_id=version_id)
    if is_htmx():
        return part_or_page(lambda: render_template("whats_new/_whats_new_done.html"), str)
    return see_other(url_for("family.plan", child_id=child_id))
