"""Co-writing: the young person (and trusted adults they allow) add, change, remove and reorder ideas.

Every route works as a plain form post (then a redirect back to the plan with a status) and with
htmx (the "new ideas" part of the page comes back in place). Each view decides which, once, at
the end, in `_answer` or `_done`. The service layer checks who may do what (app.plans.operations).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import request_session
from app.errors import Conflict, NotFound, ValidationFailed
from app.family.views import opened_form, plan_page
from app.plans import operations, queries
from app.plans.models import ChildStatement, EmergencyContact, Place
from app.text import parse_id

blueprint = Blueprint("family_cowrite", __name__)

# A person can type at most this much into a statement box before we stop echoing it back.
MAX_ECHO = 2000
# Status codes a plain form post is redirected back with (a code, never any of the plan's words: R18).
DONE = frozenset({"added", "saved", "removed", "moved"})


def _is_htmx() -> bool:
    return bool(current_app.htmx)  # type: ignore[attr-defined]  # set by flask_htmx.HTMX


def _form() -> dict[str, str]:
    """Only the fields a statement has; anything else in the request is ignored (R5)."""
    return {name: request.form.get(name, "")[:MAX_ECHO] for name in ("moment", "kind", "text")}


def _revision() -> int:
    raw = request.form.get("revision", "")
    # A missing or garbled revision can never match, so it ends as a conflict, not a guess.
    revision = parse_id(raw)
    return -1 if revision is None else revision


def _answer(child_id: int, editor: dict[str, Any], status: int = 200) -> Response:
    """The new-ideas part for htmx, or the whole plan page; decided here, once."""
    if _is_htmx():
        ideas = queries.new_ideas_since_agreed(session=request_session(), actor=current_user.actor, child_id=child_id)
        body = render_template("family/_new_ideas_response.html", ideas=ideas, editor=editor, child_id=child_id)
    else:
        body = plan_page(child_id, editor=editor)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def _refused(child_id: int, editor: dict[str, Any], status: int) -> Response:
    # The refused write changed nothing (validation and revision checks come before any change),
    # so keep the audit trail of the attempt (R21) and show the form again.
    request_session().commit()
    return _answer(child_id, editor, status)


def _done(child_id: int, code: str, focus: str = "") -> Response:
    request_session().commit()
    if _is_htmx():
        return _answer(child_id, {"done": code, "focus": focus})
    response = redirect(url_for("family.plan", child_id=child_id, done=code, _anchor="new-ideas"), code=303)
    response.vary.add("HX-Request")
    return response


def _idea(child_id: int, statement_id: int) -> queries.Idea:
    """An idea this person may change, as the page shows it."""
    # Ask the service first: it checks (and audits) the right to co-write before anything is shown.
    operations.own_draft_statement(
        session=request_session(), actor=current_user.actor, child_id=child_id, statement_id=statement_id
    )
    ideas = queries.new_ideas_since_agreed(session=request_session(), actor=current_user.actor, child_id=child_id)
    idea = ideas.find(statement_id)
    if idea is None or not idea.can_change:
        raise NotFound()
    return idea


def _current(statement_id: int) -> ChildStatement | None:
    return request_session().get(ChildStatement, statement_id)


@blueprint.get("/c/<int:child_id>/statements")
def ideas(child_id: int) -> Response:
    """The new ideas on their own (htmx: open a form, or cancel one), or the plan page."""
    return _answer(child_id, opened_form(request.args))


@blueprint.post("/c/<int:child_id>/statements")
def add(child_id: int) -> Response:
    form = _form()
    try:
        statement = operations.add_statement(
            session=request_session(), actor=current_user.actor, child_id=child_id, **form
        )
    except ValidationFailed as exc:
        return _refused(child_id, {"adding": form, "errors": exc.errors, "focus": "new-text"}, 422)
    return _done(child_id, "added", focus=f"change-{statement.id}")


@blueprint.get("/c/<int:child_id>/statements/<int:statement_id>/edit")
def edit(child_id: int, statement_id: int) -> Response:
    """The idea with its edit form open."""
    idea = _idea(child_id, statement_id)
    s = idea.statement
    form = {"moment": s.moment, "kind": s.kind, "text": s.text, "revision": str(s.revision)}
    return _answer(child_id, {"editing": statement_id, "form": form, "focus": f"edit-{statement_id}-text"})


@blueprint.post("/c/<int:child_id>/statements/<int:statement_id>")
def save(child_id: int, statement_id: int) -> Response:
    form = _form()
    revision = _revision()
    try:
        operations.edit_statement(
            session=request_session(),
            actor=current_user.actor,
            child_id=child_id,
            statement_id=statement_id,
            edit=operations.StatementEdit(
                expected_revision=revision, text=form["text"], moment=form["moment"], kind=form["kind"]
            ),
        )
    except ValidationFailed as exc:
        editor = {"editing": statement_id, "form": {**form, "revision": str(revision)}, "errors": exc.errors}
        return _refused(child_id, {**editor, "focus": f"edit-{statement_id}-text"}, 422)
    except Conflict:
        return _refused(child_id, _conflict(statement_id, form), 409)
    return _done(child_id, "saved", focus=f"change-{statement_id}")


def _conflict(statement_id: int, form: dict[str, str]) -> dict[str, Any]:
    """Both texts: what is saved now, and what this person typed (to save over it, or not)."""
    current = _current(statement_id)
    if current is None:
        raise NotFound()
    # The form now carries the saved revision, so saving again means "keep mine" on purpose.
    return {
        "editing": statement_id,
        "form": {**form, "revision": str(current.revision)},
        "conflict": {"saved_text": current.text},
        "focus": f"edit-{statement_id}-text",
    }


@blueprint.route("/c/<int:child_id>/statements/<int:statement_id>/delete", methods=["GET", "POST"])
def delete(child_id: int, statement_id: int) -> Response:
    """Ask first, then take the idea out of the draft."""
    if request.method == "GET":
        idea = _idea(child_id, statement_id)
        editor = {"deleting": statement_id, "revision": str(idea.statement.revision), "focus": f"keep-{statement_id}"}
        return _answer(child_id, editor)
    try:
        operations.delete_statement(
            session=request_session(),
            actor=current_user.actor,
            child_id=child_id,
            statement_id=statement_id,
            expected_revision=_revision(),
        )
    except Conflict:
        current = _current(statement_id)
        if current is None:
            raise NotFound() from None
        editor = {
            "deleting": statement_id,
            "revision": str(current.revision),
            "conflict": {"saved_text": current.text},
            "focus": f"keep-{statement_id}",
        }
        return _refused(child_id, editor, 409)
    return _done(child_id, "removed", focus="open-idea")


@blueprint.post("/c/<int:child_id>/statements/<int:statement_id>/move")
def move(child_id: int, statement_id: int) -> Response:
    """Move one of my ideas up or down among my new ideas of the same kind."""
    db = request_session()
    shown = queries.new_ideas_since_agreed(session=db, actor=current_user.actor, child_id=child_id).idea_ids
    direction = request.form.get("direction", "")
    try:
        operations.move_statement(
            session=db,
            actor=current_user.actor,
            child_id=child_id,
            statement_id=statement_id,
            direction=direction,
            expected_revision=_revision(),
            among=shown,
        )
    except ValidationFailed as exc:
        return _refused(child_id, {"errors": exc.errors}, 422)
    except Conflict:
        return _refused(child_id, {"stale": True}, 409)
    return _done(child_id, "moved", focus=f"move-{statement_id}")


# --- Safe places and people to call (issue 4) -----------------------------------------------------
#
# Added like ideas, taken out (after a confirm step) only by the person who added them. A place
# added here is always "safe": no safety field is read from the form (R5).

FamilyModel = type[Place] | type[EmergencyContact]
ADDITIONS: dict[str, tuple[FamilyModel, tuple[str, ...]]] = {
    "place": (Place, ("name", "notes")),
    "contact": (EmergencyContact, ("name", "phone", "relationship")),
}


def _fields(kind: str) -> dict[str, str]:
    """Only the fields a place or contact has; anything else in the request is ignored (R5)."""
    return {name: request.form.get(name, "")[:MAX_ECHO] for name in ADDITIONS[kind][1]}


def _first_in_error(kind: str, errors: dict[str, str]) -> str:
    """The id of the first field (in the form's order) that needs fixing: focus goes straight there."""
    return next((f"new-{kind}-{name}" for name in ADDITIONS[kind][1] if name in errors), f"new-{kind}-name")


def _add_addition(child_id: int, kind: str) -> Response:
    """Add a safe place or someone to call; on bad input, the form again with what was typed."""
    form = _fields(kind)
    add = operations.add_place if kind == "place" else operations.add_contact
    try:
        add(session=request_session(), actor=current_user.actor, child_id=child_id, **form)
    except ValidationFailed as exc:
        editor = {f"adding_{kind}": form, f"{kind}_errors": exc.errors, "focus": _first_in_error(kind, exc.errors)}
        return _refused(child_id, editor, 422)
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
    if request.method == "GET":
        item = operations.own_draft_item(
            session=db, actor=current_user.actor, child_id=child_id, model=model, item_id=item_id
        )
        editor = {f"deleting_{kind}": item_id, "revision": str(item.revision), "focus": f"keep-{kind}-{item_id}"}
        return _answer(child_id, editor)
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
        editor = {
            f"deleting_{kind}": item_id,
            "revision": str(current.revision),
            "stale": True,
            "focus": f"keep-{kind}-{item_id}",
        }
        return _refused(child_id, editor, 409)
    return _done(child_id, "removed", focus=f"open-{kind}")


@blueprint.route("/c/<int:child_id>/places/<int:place_id>/delete", methods=["GET", "POST"])
def delete_place(child_id: int, place_id: int) -> Response:
    return _delete_addition(child_id, "place", place_id)


@blueprint.route("/c/<int:child_id>/contacts/<int:contact_id>/delete", methods=["GET", "POST"])
def delete_contact(child_id: int, contact_id: int) -> Response:
    return _delete_addition(child_id, "contact", contact_id)
