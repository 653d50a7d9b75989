"""An agency partner's page (practitioner door): only their agency's actions in the child's plan."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.agency_actions.operations import (
    AgencyActionDone,
    AgencyActionEdit,
    AgencyActionNote,
    add_update,
    mark_my_agency_action_done,
    update_my_agency_action,
)
from app.agency_actions.queries import AgencyActionsView, actions_for_my_agency, partner_agency, update_histories
from app.db import request_session
from app.errors import Conflict, NotFound, ValidationFailed
from app.inputs import parse_id
from app.web.htmx import is_htmx, part_or_page, see_other

blueprint = Blueprint("practitioner_agency_actions", __name__)


@blueprint.route("/children/<int:child_id>/agency-actions", methods=["GET", "POST"])
def page(child_id: int) -> Any:
    """The actions, each with a form; after a refusal, that action's form again with what was typed."""
    db = request_session()
    actor = current_user.actor
    errors: dict[str, Any] = {}
    conflict = False
    status = 200
    # Everything typed comes back on a refusal, whole (the request limit bounds it).
    typed = {name: request.form.get(name, "") for name in ("action", "due_on", "repeats")}
    editing = parse_id(request.form.get("action_id", "")) or 0
    # A missing or garbled revision can never match, so it ends as a conflict, not a guess.
    revision = parse_id(request.form.get("revision", ""))
    revision = -1 if revision is None else revision
    if request.method == "POST":
        try:
            edit = AgencyActionEdit.parse({**typed, "expected_revision": revision})
            update_my_agency_action(session=db, actor=actor, child_id=child_id, action_id=editing, edit=edit)
            return see_other(url_for("practitioner_agency_actions.page", child_id=child_id, saved=1))
        except ValidationFailed as exc:
            # Checked before the service: only someone who may edit here gets the form back (R2).
            partner_agency(db, actor, child_id, "agency_actions.edit_own")
            errors, status = exc.errors, 422
        except Conflict:
            conflict, status = True, 409
    view = actions_for_my_agency(session=db, actor=actor, child_id=child_id)
    saved = next((a for a in view.actions if a.id == editing), None)
    if status != 200 and saved is None:
        raise NotFound()  # as the service answers for an action that is not this agency's
    return _render(
        view,
        errors=errors,
        conflict=conflict,
        # The refused action's boxes show what was typed. After a conflict its form carries the
        # revision saved now, so saving again replaces it on purpose; after a 422, the revision
        # the person started from, so someone else's change in between is still caught.
        typed=typed if saved is not None else None,
        editing=editing,
        revision=saved.revision if conflict and saved is not None else revision,
        saved=saved if conflict else None,
        done=request.args.get("saved") == "1",
        marked=request.args.get("marked") == "1",
        noted=request.args.get("noted") == "1",
    ), status


def _render(view: AgencyActionsView, **state: Any) -> str:
    """The partner's page: every action with its form, its status and its updates; `state` says what
    the last request left (a refusal, a conflict, a confirmation)."""
    page_state: dict[str, Any] = {
        "errors": {},
        "conflict": False,
        "typed": None,
        "editing": 0,
        "revision": -1,
        "saved": None,
        "done": False,
        "marked": False,
        "noted": False,
        "done_conflict": None,
        "note_errors": {},
        "note_typed": "",
        "noting": 0,
    }
    return render_template(
        "agency_actions/agency_actions.html",
        view=view,
        updates=update_histories(session=request_session(), actions=view.actions),
        **{**page_state, **state},
    )


@blueprint.post("/children/<int:child_id>/agency-actions/<int:action_id>/updates")
def add_note(child_id: int, action_id: int) -> Any:
    """Say how one of my agency's actions is going. A refusal shows the page again with the words kept."""
    db = request_session()
    actor = current_user.actor
    typed = request.form.get("note", "")
    try:
        note = AgencyActionNote.parse({"note": typed})
    except ValidationFailed as exc:
        # As the service would: only a partner of this agency, on this action, sees the form again (R2).
        view = actions_for_my_agency(session=db, actor=actor, child_id=child_id)
        partner_agency(db, actor, child_id, "agency_actions.edit_own")
        if not any(a.id == action_id for a in view.actions):
            raise NotFound() from exc
        return _render(view, note_errors=exc.errors, note_typed=typed, noting=action_id), 422
    add_update(session=db, actor=actor, child_id=child_id, action_id=action_id, update=note)
    return see_other(url_for("practitioner_agency_actions.page", child_id=child_id, noted=1) + f"#updates-{action_id}")


@blueprint.post("/children/<int:child_id>/agency-actions/<int:action_id>/done")
def done(child_id: int, action_id: int) -> Any:
    """Mark one of my agency's actions done: a plain POST goes back to the page; htmx gets the action's status."""
    db = request_session()
    actor = current_user.actor
    # A missing or garbled revision can never match, so it ends as a conflict, not a guess.
    revision = parse_id(request.form.get("revision", ""))
    try:
        mark = AgencyActionDone.parse({"expected_revision": -1 if revision is None else revision})
        mark_my_agency_action_done(session=db, actor=actor, child_id=child_id, action_id=action_id, done=mark)
    except Conflict:
        return _status_answer(child_id, action_id, conflict=True)
    if is_htmx():
        return _status_answer(child_id, action_id, conflict=False)
    return see_other(url_for("practitioner_agency_actions.page", child_id=child_id, marked=1) + f"#action-{action_id}")


def _status_answer(child_id: int, action_id: int, *, conflict: bool) -> Response:
    """The action's status for htmx (swapped in place), or the whole page after a conflict: what is
    saved now is shown, never overwritten (409)."""
    db = request_session()
    view = actions_for_my_agency(session=db, actor=current_user.actor, child_id=child_id)
    action = next((a for a in view.actions if a.id == action_id), None)
    if action is None:
        raise NotFound()

    def part() -> str:
        return render_template(
            "agency_actions/_action_status.html",
            a=action,
            view=view,
            status_conflict=conflict,
            just_marked=not conflict,
        )

    def page() -> str:
        return _render(view, done_conflict=action)

    return part_or_page(part, page, 409 if conflict else 200)
