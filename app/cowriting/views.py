"""Co-writing pages (family door): the young person, and trusted adults they allow, add, change,
remove and reorder ideas, and add safe places and people to call.

The young person may also take out anyone's idea that is not agreed yet (their plan, their say).

Every route works as a plain form post (then a redirect back to the plan with a status) and with
htmx (the "new ideas" part of the page comes back in place). Each view decides which, once, at
the end, in `_answer` or `_done`. The service layer checks who may do what
(app.cowriting.operations); the door commits, or rolls back a refusal keeping its audit.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.access import policy
from app.cowriting import operations, queries
from app.cowriting.editor import Editor
from app.cowriting.inputs import IdeaEdit, IdeaInput, PersonToCallInput, SafePlaceInput
from app.db import request_session
from app.errors import Conflict, NotFound, ValidationFailed
from app.family.plan_page import opened_form, plan_page
from app.inputs import Input, parse_id
from app.plans.models import ChildStatement, EmergencyContact, Place
from app.web.htmx import is_htmx, part_or_page, see_other

blueprint = Blueprint("family_cowrite", __name__)

# Status codes a plain form post is redirected back with (a code, never any of the plan's words: R18).
DONE = frozenset({"added", "saved", "removed", "moved"})
# The right every co-writing write needs (the service asks for it too).
COWRITE = "statements.cowrite"


def _typed(*names: str) -> dict[str, str]:
    """Only the named fields of the form; anything else in the request is ignored (R5)."""
    return {name: request.form.get(name, "") for name in names}


def _revision() -> int:
    # A missing or garbled revision can never match, so it ends as a conflict, not a guess.
    revision = parse_id(request.form.get("revision", ""))
    return -1 if revision is None else revision


def _answer(child_id: int, editor: Editor, status: int = 200) -> Response:
    """The new-ideas part for htmx, or the whole plan page; decided here, once."""

    def part() -> str:
        ideas = queries.new_ideas_since_agreed(session=request_session(), actor=current_user.actor, child_id=child_id)
        return render_template("cowriting/_new_ideas_response.html", ideas=ideas, editor=editor, child_id=child_id)

    return part_or_page(part, lambda: plan_page(child_id, editor=editor), status)


def _refused_input(child_id: int, editor: Editor) -> Response:
    """The form again with what was typed and what to change, for someone who may write here.

    Input is checked before the service runs, so ask the policy first: anyone else gets "not
    found" (audited) rather than learning what this form would accept (R2).
    """
    policy.require(COWRITE, session=request_session(), actor=current_user.actor, child_id=child_id)
    return _answer(child_id, editor, 422)


def _done(child_id: int, code: str, focus: str = "") -> Response:
    if is_htmx():
        return _answer(child_id, Editor(done=code, focus=focus))
    return see_other(url_for("family.plan", child_id=child_id, done=code, _anchor="new-ideas"))


def _idea(child_id: int, statement_id: int, *, taking_out: bool = False) -> queries.Idea:
    """An idea this person may change (or, `taking_out`, take out of the draft), as the page shows it."""
    # Ask the service first: it checks (and audits) the right to co-write before anything is shown.
    may = operations.statement_to_take_out if taking_out else operations.own_draft_statement
    may(session=request_session(), actor=current_user.actor, child_id=child_id, statement_id=statement_id)
    ideas = queries.new_ideas_since_agreed(session=request_session(), actor=current_user.actor, child_id=child_id)
    idea = ideas.find(statement_id)
    if idea is None or not (idea.can_take_out if taking_out else idea.can_change):
        raise NotFound()
    return idea


@blueprint.get("/c/<int:child_id>/statements")
def ideas(child_id: int) -> Response:
    """The new ideas on their own (htmx: open a form, or cancel one), or the plan page."""
    return _answer(child_id, opened_form(request.args))


@blueprint.post("/c/<int:child_id>/statements")
def add(child_id: int) -> Response:
    typed = _typed("moment", "kind", "text")
    try:
        idea = IdeaInput.parse(typed)
        statement = operations.add_statement(
            session=request_session(), actor=current_user.actor, child_id=child_id, idea=idea
        )
    except ValidationFailed as exc:
        return _refused_input(child_id, Editor(open="idea", typed=typed, errors=exc.errors, focus="new-text"))
    return _done(child_id, "added", focus=f"change-{statement.id}")


@blueprint.get("/c/<int:child_id>/statements/<int:statement_id>/edit")
def edit(child_id: int, statement_id: int) -> Response:
    """The idea with its edit form open."""
    s = _idea(child_id, statement_id).statement
    typed = {"moment": s.moment, "kind": s.kind, "text": s.text}
    editor = Editor(editing=statement_id, typed=typed, revision=str(s.revision), focus=f"edit-{statement_id}-text")
    return _answer(child_id, editor)


@blueprint.post("/c/<int:child_id>/statements/<int:statement_id>")
def save(child_id: int, statement_id: int) -> Response:
    typed = _typed("moment", "kind", "text")
    revision = _revision()
    editor = Editor(editing=statement_id, typed=typed, revision=str(revision), focus=f"edit-{statement_id}-text")
    try:
        edit = IdeaEdit.parse({**typed, "expected_revision": revision})
        operations.edit_statement(
            session=request_session(), actor=current_user.actor, child_id=child_id, statement_id=statement_id, edit=edit
        )
    except ValidationFailed as exc:
        return _refused_input(child_id, replace(editor, errors=exc.errors))
    except Conflict:
        return _answer(child_id, _conflict(editor, statement_id), 409)
    return _done(child_id, "saved", focus=f"change-{statement_id}")


def _conflict(editor: Editor, statement_id: int) -> Editor:
    """Both texts: what is saved now, and what this person typed (to save over it, or not)."""
    current = request_session().get(ChildStatement, statement_id)
    if current is None:
        raise NotFound()
    # The form now carries the saved revision, so saving again means "keep mine" on purpose.
    return replace(editor, revision=str(current.revision), saved_text=current.text)


@blueprint.route("/c/<int:child_id>/statements/<int:statement_id>/delete", methods=["GET", "POST"])
def delete(child_id: int, statement_id: int) -> Response:
    """Ask first, then take the idea out of the draft (the young person: any idea not agreed yet)."""
    asking = Editor(deleting=statement_id, deleting_kind="idea", focus=f"keep-{statement_id}")
    if request.method == "GET":
        idea = _idea(child_id, statement_id, taking_out=True)
        return _answer(child_id, replace(asking, revision=str(idea.statement.revision)))
    try:
        operations.delete_statement(
            session=request_session(),
            actor=current_user.actor,
            child_id=child_id,
            statement_id=statement_id,
            expected_revision=_revision(),
        )
    except Conflict:
        current = request_session().get(ChildStatement, statement_id)
        if current is None:
            raise NotFound() from None
        return _answer(child_id, replace(asking, revision=str(current.revision), saved_text=current.text), 409)
    return _done(child_id, "removed", focus="open-idea")


@blueprint.post("/c/<int:child_id>/statements/<int:statement_id>/move")
def move(child_id: int, statement_id: int) -> Response:
    """Move one of my ideas up or down among my new ideas of the same kind."""
    db = request_session()
    shown = queries.new_ideas_since_agreed(session=db, actor=current_user.actor, child_id=child_id).idea_ids
    try:
        operations.move_statement(
            session=db,
            actor=current_user.actor,
            child_id=child_id,
            statement_id=statement_id,
            direction=request.form.get("direction", ""),
            expected_revision=_revision(),
            among=shown,
        )
    except ValidationFailed as exc:
        return _refused_input(child_id, Editor(errors=exc.errors))
    except Conflict:
        return _answer(child_id, Editor(stale=True), 409)
    return _done(child_id, "moved", focus=f"move-{statement_id}")


# --- Safe places and people to call -----------------------------------------------------------------
#
# Added like ideas, taken out (after a confirm step) only by the person who added them. A place
# added here is always "safe": no safety field is read from the form (R5).

FamilyModel = type[Place] | type[EmergencyContact]
ADDITIONS: dict[str, tuple[FamilyModel, type[Input]]] = {
    "place": (Place, SafePlaceInput),
    "contact": (EmergencyContact, PersonToCallInput),
}


def _first_in_error(kind: str, fields: tuple[str, ...], errors: dict[str, Any]) -> str:
    """The id of the first field (in the form's order) that needs fixing: focus goes straight there."""
    return next((f"new-{kind}-{name}" for name in fields if name in errors), f"new-{kind}-name")


def _add_addition(child_id: int, kind: str) -> Response:
    """Add a safe place or someone to call; on bad input, the form again with what was typed."""
    model_input = ADDITIONS[kind][1]
    fields = tuple(model_input.model_fields)
    typed = _typed(*fields)
    db, actor = request_session(), current_user.actor
    try:
        if model_input is SafePlaceInput:
            operations.add_place(session=db, actor=actor, child_id=child_id, place=SafePlaceInput.parse(typed))
        else:
            operations.add_contact(session=db, actor=actor, child_id=child_id, contact=PersonToCallInput.parse(typed))
    except ValidationFailed as exc:
        focus = _first_in_error(kind, fields, exc.errors)
        return _refused_input(child_id, Editor(open=kind, typed=typed, errors=exc.errors, focus=focus))
    return _done(child_id, "added", focus=f"open-{kind}")


@blueprint.post("/c/<int:child_id>/places")
def add_place(child_id: int) -> Response:
    return _add_addition(child_id, "place")


@blueprint.post("/c/<int:child_id>/contacts")
def add_contact(child_id: int) -> Response:
    return _add_addition(child_id, "contact")


def _delete_addition(child_id: int, kind: str, item_id: int) -> Response:
    """Ask first (GET), then take out a place or contact this person added (POST)."""
    model = ADDITIONS[kind][0]
    db = request_session()
    asking = Editor(deleting=item_id, deleting_kind=kind, focus=f"keep-{kind}-{item_id}")
    if request.method == "GET":
        item = operations.own_draft_item(
            session=db, actor=current_user.actor, child_id=child_id, model=model, item_id=item_id
        )
        return _answer(child_id, replace(asking, revision=str(item.revision)))
    try:
        operations.delete_item(
            session=db,
            actor=current_user.actor,
            child_id=child_id,
            model=model,
            item_id=item_id,
            expected_revision=_revision(),
        )
    except Conflict:
        current = db.get(model, item_id)
        if current is None:
            raise NotFound() from None
        return _answer(child_id, replace(asking, revision=str(current.revision), stale=True), 409)
    return _done(child_id, "removed", focus=f"open-{kind}")


@blueprint.route("/c/<int:child_id>/places/<int:place_id>/delete", methods=["GET", "POST"])
def delete_place(child_id: int, place_id: int) -> Response:
    return _delete_addition(child_id, "place", place_id)


@blueprint.route("/c/<int:child_id>/contacts/<int:contact_id>/delete", methods=["GET", "POST"])
def delete_contact(child_id: int, contact_id: int) -> Response:
    return _delete_addition(child_id, "contact", contact_id)
