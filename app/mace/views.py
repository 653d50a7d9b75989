"""MACE pages (practitioner door): the panel's dates and waiting referrals, one date's list, one
referral with its outcome, and "refer to MACE" from a concern's page.

Plain forms (a post, then a 303 back to the page); a refusal (422) gives the page again with what
was typed and a message per field. The door commits.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.concerns.operations import concern_for
from app.concerns.routing import SUBJECT_NAMES
from app.concerns.views import concern_answer
from app.db import request_session
from app.errors import ValidationFailed
from app.mace import operations, queries
from app.mace.inputs import OUTCOME_NAMES, ListInput, OutcomeInput, PanelInput, ReferralInput
from app.mace.models import Outcome
from app.web.htmx import see_other

blueprint = Blueprint("practitioner_mace", __name__)

WORDS = {"outcomes": list(Outcome), "outcome_names": OUTCOME_NAMES, "subject_names": SUBJECT_NAMES}
DONE = frozenset({"convened", "listed", "recorded"})


def _typed(*names: str) -> dict[str, str]:
    return {name: request.form.get(name, "") for name in names}


def _done(status: int) -> str:
    done = request.args.get("done", "")
    return done if done in DONE and status == 200 else ""


def _page(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(render_template(template, **WORDS, **context), status)
    response.vary.add("HX-Request")
    return response


@blueprint.route("/mace", methods=["GET", "POST"])
def panels() -> Response:
    """The panel's meeting dates, and the referrals waiting for one; convene a panel on a date."""
    db, actor = request_session(), current_user.actor
    form = _typed("meets_on")
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            panel = operations.create_panel(session=db, actor=actor, panel=PanelInput.parse(form))
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
        else:
            return see_other(url_for(".panel", panel_id=panel.id, done="convened"))
    view = queries.panels_page(session=db, actor=actor)
    return _page("mace/panels.html", status, view=view, form=form, errors=errors)


@blueprint.route("/mace/panels/<int:panel_id>", methods=["GET", "POST"])
def panel(panel_id: int) -> Response:
    """One date's list, with each referral's outcome; list a waiting referral for it."""
    db, actor = request_session(), current_user.actor
    form = _typed("referral_id")
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            listed = ListInput.parse(form)
            operations.list_referral(session=db, actor=actor, panel_id=panel_id, listed=listed)
        except ValidationFailed as exc:
            operations.panel_for(session=db, actor=actor, panel_id=panel_id)
            errors, status = exc.errors, 422
        else:
            return see_other(url_for(".panel", panel_id=panel_id, done="listed"))
    view = queries.panel_page(session=db, actor=actor, panel_id=panel_id)
    return _page("mace/panel.html", status, view=view, errors=errors, done=_done(status))


def _referral_answer(referral_id: int, status: int = 200, **context: Any) -> Response:
    db, actor = request_session(), current_user.actor
    view = queries.referral_page(session=db, actor=actor, referral_id=referral_id)
    context.setdefault("form", {"outcome": "", "notes": ""})
    context.setdefault("errors", {})
    return _page("mace/referral.html", status, view=view, done=_done(status), **context)


@blueprint.route("/mace/referrals/<int:referral_id>")
def referral(referral_id: int) -> Response:
    """One referral and its outcome: for the panel's people, and for its referrer."""
    return _referral_answer(referral_id)


@blueprint.route("/mace/referrals/<int:referral_id>/outcome", methods=["POST"])
def outcome(referral_id: int) -> Response:
    """The panel records the referral's outcome, once (a second recorder is told, keeping their words)."""
    db, actor = request_session(), current_user.actor
    form = _typed("outcome", "notes")
    try:
        recorded = OutcomeInput.parse(form)
        operations.record_outcome(session=db, actor=actor, referral_id=referral_id, outcome=recorded)
    except ValidationFailed as exc:
        # The form's rules only for someone who may use it (R2).
        operations.referral_for(session=db, actor=actor, referral_id=referral_id, run=True)
        return _referral_answer(referral_id, 422, form=form, errors=exc.errors)
    return see_other(url_for(".referral", referral_id=referral_id, done="recorded") + "#panel-outcome")


@blueprint.route("/concerns/<int:concern_id>/mace", methods=["POST"])
def refer(concern_id: int) -> Response:
    """Refer the concern to the operational MACE panel (from the concern's page)."""
    db, actor = request_session(), current_user.actor
    form = _typed("why")
    try:
        operations.refer(session=db, actor=actor, concern_id=concern_id, referral=ReferralInput.parse(form))
    except ValidationFailed as exc:
        concern_for(session=db, actor=actor, concern_id=concern_id, permission="concern.route")
        return concern_answer(concern_id, 422, mace_form=form, mace_errors=exc.errors)
    return see_other(url_for("practitioner_concerns.concern", concern_id=concern_id, done="referred") + "#mace")
