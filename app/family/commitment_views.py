"""Parents and carers: mark one of my commitments done (or undo that), or add a comment.

Every route works as a plain form post (then back to the plan with a status code in the address)
and with htmx (the one commitment comes back in place, its status line filled out of band). The
view decides which once, at the end, in `_answer`. The service checks who may do what
(app.plans.commitments).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import request_session
from app.errors import Conflict, NotFound, ValidationFailed
from app.family.views import plan_page
from app.plans import commitments, queries

blueprint = Blueprint("family_commitments", __name__)

# At most this much of a comment is echoed back into the form after a refusal.
MAX_ECHO = 2000


def _is_htmx() -> bool:
    return bool(current_app.htmx)  # type: ignore[attr-defined]  # set by flask_htmx.HTMX


def _answer(child_id: int, commitment_id: int, editor: dict[str, Any], status: int = 200) -> Response:
    """The one commitment for htmx, or the whole plan page; decided here, once."""
    db = request_session()
    if _is_htmx():
        view = queries.family_plan(session=db, actor=current_user.actor, child_id=child_id)
        commitment = next((c for c in view.carer_commitments if c.id == commitment_id), None)
        if commitment is None:
            raise NotFound()
        body = render_template(
            "family/_commitment_response.html", view=view, c=commitment, editor=editor, child_id=child_id
        )
    else:
        body = plan_page(child_id, editor=editor)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def _done(child_id: int, commitment_id: int, code: str) -> Response:
    request_session().commit()
    if _is_htmx():
        return _answer(child_id, commitment_id, {"done": code, "commitment": commitment_id})
    response = redirect(
        url_for("family.plan", child_id=child_id, done=code, _anchor=f"commitment-{commitment_id}"), code=303
    )
    response.vary.add("HX-Request")
    return response


def _expected_latest() -> int:
    raw = request.form.get("latest", "")
    # A missing or garbled value can never match, so it ends as a conflict, not a guess.
    return int(raw) if raw.isdigit() and len(raw) < 10 else -1


@blueprint.post("/c/<int:child_id>/commitments/<int:commitment_id>/done")
def mark_done(child_id: int, commitment_id: int) -> Response:
    """Mark it done (done=1), or undo that (done=0)."""
    done = request.form.get("done", "1") != "0"
    commitments.mark_done(
        session=request_session(),
        actor=current_user.actor,
        child_id=child_id,
        commitment_id=commitment_id,
        done=done,
    )
    return _done(child_id, commitment_id, "marked" if done else "undone")


@blueprint.post("/c/<int:child_id>/commitments/<int:commitment_id>/comment")
def comment(child_id: int, commitment_id: int) -> Response:
    """Add, change or (empty) remove my comment."""
    text = request.form.get("comment", "")[:MAX_ECHO]
    db = request_session()
    try:
        commitments.comment_on(
            session=db,
            actor=current_user.actor,
            child_id=child_id,
            commitment_id=commitment_id,
            text=text,
            expected_latest=_expected_latest(),
        )
    except ValidationFailed as exc:
        # Nothing was written; keep the audit trail of the attempt (R21) and show the form again.
        db.commit()
        editor = {"commitment": commitment_id, "comment": text, "errors": exc.errors}
        return _answer(child_id, commitment_id, editor, 422)
    except Conflict:
        db.commit()
        editor = {"commitment": commitment_id, "comment": text, "conflict": True}
        return _answer(child_id, commitment_id, editor, 409)
    return _done(child_id, commitment_id, "commented" if text.strip() else "uncommented")
