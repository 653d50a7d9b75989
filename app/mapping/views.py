"""Mapping meeting pages (practitioner door): the Hub co-ordinator's list (late first), and one
meeting with its members or users and the context weighting.

Plain forms (a post, then a 303 back to the page); a refusal (422) gives the page again with what
was typed and a message per field. The door commits.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.concerns.routing import SUBJECT_NAMES
from app.conferences.inputs import KIND_NAMES
from app.conferences.models import ConferenceKind
from app.conferences.queries import mapping_conference
from app.db import request_session
from app.errors import ValidationFailed
from app.mapping import operations, queries
from app.mapping.inputs import WEIGHTING_NAMES, MemberInput, WeightingInput
from app.mapping.models import Weighting
from app.web.htmx import see_other

blueprint = Blueprint("practitioner_mapping", __name__)

WEIGHTING_FIELDS = ("held_on", "weighting", "reasons", "conference", "conference_kind")
MEMBER_FIELDS = ("child_id", "description")
DONE = frozenset({"added", "weighed"})


def _typed(names: tuple[str, ...]) -> dict[str, str]:
    return {name: request.form.get(name, "") for name in names}


def _page(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(
        render_template(
            template,
            weightings=list(Weighting),
            weighting_names=WEIGHTING_NAMES,
            subject_names=SUBJECT_NAMES,
            conference_kinds=list(ConferenceKind),
            kind_names=KIND_NAMES,
            **context,
        ),
        status,
    )
    response.vary.add("HX-Request")
    return response


@blueprint.route("/mapping")
def mappings() -> Response:
    """Mapping meetings to hold: late first, then by due date; the latest weighed below."""
    db, actor = request_session(), current_user.actor
    waiting, weighed = queries.mapping_list(session=db, actor=actor)
    return _page("mapping/list.html", waiting=waiting, weighed=weighed)


def _answer(mapping_id: int, status: int = 200, **forms: Any) -> Response:
    db, actor = request_session(), current_user.actor
    view = queries.mapping_page(session=db, actor=actor, mapping_id=mapping_id)
    done = request.args.get("done", "")
    context: dict[str, Any] = {
        "view": view,
        "conference": mapping_conference(db, actor, mapping_id),
        "done": done if done in DONE and status == 200 else "",
        "member_form": dict.fromkeys(MEMBER_FIELDS, ""),
        "member_errors": {},
        "weighting_form": dict.fromkeys(WEIGHTING_FIELDS, ""),
        "weighting_errors": {},
    }
    context.update(forms)
    return _page("mapping/mapping.html", status, **context)


@blueprint.route("/mapping/<int:mapping_id>", methods=["GET", "POST"])
def mapping(mapping_id: int) -> Response:
    """One mapping meeting; record its context weighting and whether a conference follows (once)."""
    if request.method == "GET":
        return _answer(mapping_id)
    db, actor = request_session(), current_user.actor
    form = _typed(WEIGHTING_FIELDS)
    try:
        weighting = WeightingInput.parse(form)
        operations.record_weighting(session=db, actor=actor, mapping_id=mapping_id, weighting=weighting)
    except ValidationFailed as exc:
        # The form's rules only for someone who may use it (R2).
        operations.mapping_for(session=db, actor=actor, mapping_id=mapping_id)
        return _answer(mapping_id, 422, weighting_form=form, weighting_errors=exc.errors)
    return see_other(url_for(".mapping", mapping_id=mapping_id, done="weighed") + "#context-weighting")


@blueprint.route("/mapping/<int:mapping_id>/members", methods=["POST"])
def add_member(mapping_id: int) -> Response:
    """Add a member of the group or a user of the place."""
    db, actor = request_session(), current_user.actor
    form = _typed(MEMBER_FIELDS)
    try:
        member = MemberInput.parse(form)
        operations.add_member(session=db, actor=actor, mapping_id=mapping_id, member=member)
    except ValidationFailed as exc:
        operations.mapping_for(session=db, actor=actor, mapping_id=mapping_id)
        return _answer(mapping_id, 422, member_form=form, member_errors=exc.errors)
    return see_other(url_for(".mapping", mapping_id=mapping_id, done="added") + "#members")
