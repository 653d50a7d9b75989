"""The agenda of seed 000 as a guided flow: one step a page ("Step 3 of 10"), each a plain form that
saves and moves on to the next. The last step, safeguarding and welfare planning, also takes the
plan's actions in the four domains and the times its discussion started and ended.
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.conferences import operations, queries
from app.conferences.agenda import PRESENTATION, STEP_COUNT, STEPS
from app.conferences.inputs import STEP_INPUTS, ActionInput, PlanTimesInput
from app.conferences.views import blueprint, page, typed
from app.db import request_session
from app.errors import NotFound, ValidationFailed
from app.web.htmx import see_other

ACTION_FIELDS = ("domain", "action", "owner", "due_on")
TIME_FIELDS = ("plan_started", "plan_ended")


def _step(number: int) -> Any:
    if not 1 <= number <= STEP_COUNT:
        raise NotFound()
    return STEPS[number - 1]


def _answer(conference_id: int, number: int, status: int = 200, **forms: Any) -> Response:
    db, actor = request_session(), current_user.actor
    step = _step(number)
    view = queries.conference_page(session=db, actor=actor, conference_id=conference_id)
    conference = view.row.conference
    context: dict[str, Any] = {
        "view": view,
        "step": step,
        "presentation_starts": PRESENTATION[0].name,
        "number": number,
        "saved": request.args.get("saved") == "1" and status == 200,
        "notes_form": {h.name: view.notes.get(h.name, "") for h in step.headings},
        "notes_errors": {},
        "theirs": False,
        "action_form": dict.fromkeys(ACTION_FIELDS, ""),
        "action_errors": {},
        "times_form": {
            "plan_started": conference.plan_started.strftime("%H:%M") if conference.plan_started else "",
            "plan_ended": conference.plan_ended.strftime("%H:%M") if conference.plan_ended else "",
        },
        "times_errors": {},
    }
    context.update(forms)
    return page("conferences/step.html", status, **context)


def _refused(
    conference_id: int, number: int, form_name: str, form: dict[str, str], exc: ValidationFailed, theirs: bool = False
) -> Response:
    db, actor = request_session(), current_user.actor
    # The form's rules only for someone who may use it (R2).
    operations.conference_for(session=db, actor=actor, conference_id=conference_id, permission=operations.CHAIR)
    forms = {f"{form_name}_form": form, f"{form_name}_errors": exc.errors, "theirs": theirs}
    return _answer(conference_id, number, 422, **forms)


@blueprint.route("/conferences/<int:conference_id>/steps/<int:number>", methods=["GET", "POST"])
def step(conference_id: int, number: int) -> Response:
    """One step of the agenda; saving moves on to the next (the last goes back to the conference)."""
    if request.method == "GET":
        return _answer(conference_id, number)
    db, actor = request_session(), current_user.actor
    current = _step(number)
    form = typed((*(h.name for h in current.headings), "revision"))
    try:
        notes = STEP_INPUTS[current.key].parse(form)
        operations.save_step(session=db, actor=actor, conference_id=conference_id, step=number, notes=notes)
    except ValidationFailed as exc:
        # The form shows the revision as it is now, so a second save (having seen theirs) goes through.
        return _refused(conference_id, number, "notes", form, exc, theirs=exc.errors.get("__all__") is not None)
    if number < STEP_COUNT:
        return see_other(url_for(".step", conference_id=conference_id, number=number + 1))
    return see_other(url_for(".step", conference_id=conference_id, number=number, saved="1") + "#plan")


@blueprint.route("/conferences/<int:conference_id>/actions", methods=["POST"])
def add_action(conference_id: int) -> Response:
    """An action of the plan: its domain, what, who and by when."""
    db, actor = request_session(), current_user.actor
    form = typed(ACTION_FIELDS)
    try:
        action = ActionInput.parse(form)
        operations.add_action(session=db, actor=actor, conference_id=conference_id, action=action)
    except ValidationFailed as exc:
        return _refused(conference_id, STEP_COUNT, "action", form, exc)
    return see_other(url_for(".step", conference_id=conference_id, number=STEP_COUNT, saved="1") + "#plan")


@blueprint.route("/conferences/<int:conference_id>/plan-times", methods=["POST"])
def plan_times(conference_id: int) -> Response:
    """When the discussion of the plan started and ended."""
    db, actor = request_session(), current_user.actor
    form = typed(TIME_FIELDS)
    try:
        times = PlanTimesInput.parse(form)
        operations.record_plan_times(session=db, actor=actor, conference_id=conference_id, times=times)
    except ValidationFailed as exc:
        return _refused(conference_id, STEP_COUNT, "times", form, exc)
    return see_other(url_for(".step", conference_id=conference_id, number=STEP_COUNT, saved="1") + "#plan-time")
