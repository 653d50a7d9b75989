"""Context conference pages (practitioner door): the list (late first, then by due date; upcoming
reviews) and one conference: its date, the group's members, the agenda's progress, the plan, the
close with its review date and a moved review. The agenda's steps are in step_views.

Plain forms (a post, then a 303 back to the page); a refusal (422) gives the page again with what
was typed and a message per field. The door commits.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.concerns.routing import SUBJECT_NAMES
from app.conferences import operations, queries, rules
from app.conferences.agenda import STEP_COUNT, STEPS
from app.conferences.inputs import DOMAIN_NAMES, KIND_CHAIRS, KIND_NAMES, CloseInput, MoveReviewInput, ScheduleInput
from app.conferences.models import Domain
from app.db import request_session
from app.errors import ValidationFailed
from app.inputs import Input
from app.mapping.inputs import WEIGHTING_NAMES
from app.timeutil import today
from app.web.htmx import see_other

blueprint = Blueprint("practitioner_conferences", __name__)

CLOSE_FIELDS = ("review_on", "short_plan_reason")
MOVE_FIELDS = ("review_on", "consent", "reason")
SCHEDULE_FIELDS = ("meets_on",)
DONE = frozenset({"closed", "moved", "scheduled", "saved"})


def typed(names: tuple[str, ...]) -> dict[str, str]:
    return {name: request.form.get(name, "") for name in names}


def page(template: str, status: int = 200, **context: Any) -> Response:
    """A conference page with the names every template uses; varies on HX-Request like its neighbours."""
    response = make_response(
        render_template(
            template,
            steps=STEPS,
            step_count=STEP_COUNT,
            domains=list(Domain),
            domain_names=DOMAIN_NAMES,
            kind_names=KIND_NAMES,
            kind_chairs=KIND_CHAIRS,
            subject_names=SUBJECT_NAMES,
            weighting_names=WEIGHTING_NAMES,
            **context,
        ),
        status,
    )
    response.vary.add("HX-Request")
    return response


@blueprint.route("/conferences")
def conferences() -> Response:
    """Conferences to hold, late first then by due date; closed ones by their review date."""
    db, actor = request_session(), current_user.actor
    waiting, reviews = queries.conference_list(session=db, actor=actor)
    return page("conferences/list.html", waiting=waiting, reviews=reviews)


def _answer(conference_id: int, status: int = 200, **forms: Any) -> Response:
    db, actor = request_session(), current_user.actor
    view = queries.conference_page(session=db, actor=actor, conference_id=conference_id)
    done = request.args.get("done", "")
    context: dict[str, Any] = {
        "view": view,
        "done": done if done in DONE and status == 200 else "",
        "latest_review": rules.latest_review(today()),
        "close_form": dict.fromkeys(CLOSE_FIELDS, ""),
        "close_errors": {},
        "move_form": dict.fromkeys(MOVE_FIELDS, ""),
        "move_errors": {},
        "schedule_form": dict.fromkeys(SCHEDULE_FIELDS, ""),
        "schedule_errors": {},
    }
    context.update(forms)
    return page("conferences/conference.html", status, **context)


@blueprint.route("/conferences/<int:conference_id>")
def conference(conference_id: int) -> Response:
    """One conference: its due date, members, the agenda's progress and the plan."""
    return _answer(conference_id)


def _post(
    conference_id: int,
    fields: tuple[str, ...],
    model: type[Input],
    write: Any,
    form_name: str,
    permission: str,
    done: str,
    anchor: str,
) -> Response:
    db, actor = request_session(), current_user.actor
    form = typed(fields)
    try:
        write(session=db, actor=actor, conference_id=conference_id, data=model.parse(form))
    except ValidationFailed as exc:
        # The form's rules only for someone who may use it (R2).
        operations.conference_for(session=db, actor=actor, conference_id=conference_id, permission=permission)
        return _answer(conference_id, 422, **{f"{form_name}_form": form, f"{form_name}_errors": exc.errors})
    return see_other(url_for(".conference", conference_id=conference_id, done=done) + anchor)


@blueprint.route("/conferences/<int:conference_id>/close", methods=["POST"])
def close(conference_id: int) -> Response:
    """Close the conference: the plan finalised, 30 minutes kept for it, the review date set."""
    return _post(
        conference_id,
        CLOSE_FIELDS,
        CloseInput,
        lambda data, **kw: operations.close(closing=data, **kw),
        "close",
        operations.CHAIR,
        "closed",
        "#close",
    )


@blueprint.route("/conferences/<int:conference_id>/review", methods=["POST"])
def move_review(conference_id: int) -> Response:
    """Move the review, with the chair's express consent, within two weeks of the missed date."""
    return _post(
        conference_id,
        MOVE_FIELDS,
        MoveReviewInput,
        lambda data, **kw: operations.move_review(move=data, **kw),
        "move",
        operations.CHAIR,
        "moved",
        "#review",
    )


@blueprint.route("/conferences/<int:conference_id>/schedule", methods=["POST"])
def schedule(conference_id: int) -> Response:
    """The convenor sets the conference's date."""
    return _post(
        conference_id,
        SCHEDULE_FIELDS,
        ScheduleInput,
        lambda data, **kw: operations.schedule(when=data, **kw),
        "schedule",
        operations.CONVENE,
        "scheduled",
        "#about",
    )
