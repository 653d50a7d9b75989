"""Parents and carers (family door): mark one of my commitments done (or undo that), or comment.

Every route works as a plain form post (then back to the plan with a status code in the address)
and with htmx (the one commitment comes back in place, its status line filled out of band). The
view decides which once, at the end, in `_answer`. The service checks who may do what
(app.commitments.operations); the door commits, or rolls back a refusal keeping its audit.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.commitments import operations
from app.commitments.editor import CommitmentEditor
from app.commitments.inputs import CommentInput
from app.commitments.queries import with_progress
from app.cowriting.editor import Editor
from app.db import request_session
from app.errors import Conflict, NotFound, ValidationFailed
from app.family.plan_page import plan_page
from app.inputs import parse_id
from app.plans.read_model import family_plan
from app.web.htmx import is_htmx, part_or_page, see_other

blueprint = Blueprint("family_commitments", __name__)


def _answer(child_id: int, commitment_id: int, editor: CommitmentEditor, status: int = 200) -> Response:
    """The one commitment for htmx, or the whole plan page; decided here, once."""

    def part() -> str:
        db = request_session()
        view = with_progress(session=db, view=family_plan(session=db, actor=current_user.actor, child_id=child_id))
        commitment = next((c for c in view.carer_commitments if c.id == commitment_id), None)
        if commitment is None:
            raise NotFound()
        return render_template(
            "commitments/_commitment_response.html", view=view, c=commitment, commitment_editor=editor
        )

    return part_or_page(part, lambda: plan_page(child_id, editor=Editor(), commitment_editor=editor), status)


def _done(child_id: int, commitment_id: int, code: str) -> Response:
    if is_htmx():
        return _answer(child_id, commitment_id, CommitmentEditor(commitment=commitment_id, done=code))
    return see_other(url_for("family.plan", child_id=child_id, done=code, _anchor=f"commitment-{commitment_id}"))


def _expected_latest() -> int:
    # A missing or garbled value can never match, so it ends as a conflict, not a guess.
    latest = parse_id(request.form.get("latest", ""))
    return -1 if latest is None else latest


@blueprint.post("/c/<int:child_id>/commitments/<int:commitment_id>/done")
def mark_done(child_id: int, commitment_id: int) -> Response:
    """Mark it done (done=1), or undo that (done=0)."""
    done = request.form.get("done", "1") != "0"
    operations.mark_done(
        session=request_session(), actor=current_user.actor, child_id=child_id, commitment_id=commitment_id, done=done
    )
    return _done(child_id, commitment_id, "marked" if done else "undone")


@blueprint.post("/c/<int:child_id>/commitments/<int:commitment_id>/comment")
def comment(child_id: int, commitment_id: int) -> Response:
    """Add, change or (empty) remove my comment."""
    text = request.form.get("comment", "")
    editor = CommitmentEditor(commitment=commitment_id, comment=text)
    try:
        written = CommentInput.parse({"comment": text, "expected_latest": _expected_latest()})
        operations.comment_on(
            session=request_session(),
            actor=current_user.actor,
            child_id=child_id,
            commitment_id=commitment_id,
            comment=written,
        )
    except ValidationFailed as exc:
        # Checked before the service: only the carer whose commitment it is gets the form back (R2).
        operations.own_commitment(
            session=request_session(), actor=current_user.actor, child_id=child_id, commitment_id=commitment_id
        )
        return _answer(child_id, commitment_id, replace(editor, errors=exc.errors), 422)
    except Conflict:
        return _answer(child_id, commitment_id, replace(editor, conflict=True), 409)
    return _done(child_id, commitment_id, "commented" if written.comment else "uncommented")
