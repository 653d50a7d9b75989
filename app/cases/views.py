"""Case pages (practitioner door): add a young person, and the case team of one.

Every form works as a plain post (then a redirect, 303) and with htmx (the form or the team comes
back in place). A refusal gives back everything typed with a message per field. Each view decides
once, at the end, which answer to give (app.web.htmx). Who may do what is the service's question
(app.cases.operations asks the policy); the door commits, or rolls back a refusal keeping its audit.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.access import policy
from app.cases import operations, queries
from app.cases.inputs import NewYoungPerson
from app.db import request_session
from app.errors import NotFound, ValidationFailed
from app.incidents import queries as incident_queries
from app.incidents.inputs import KIND_NAMES
from app.people.inputs import AssignmentInput
from app.people.models import Child
from app.plans.models import MeetingType
from app.web.htmx import is_htmx, part_or_page, see_other

blueprint = Blueprint("practitioner_cases", __name__)

NEW_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "school",
    "meeting_type",
    "open_to_csw",
    "different_person",
)
TEAM_FIELDS = ("practitioner_id", "case_role")
# Status codes a plain post is redirected back with (codes, never anyone's name: R18).
DONE = frozenset({"opened", "added", "removed", "incident"})


def _typed(names: tuple[str, ...]) -> dict[str, str]:
    """Only the named fields of the form, whole (the request limit bounds them); the rest is ignored (R5)."""
    return {name: request.form.get(name, "") for name in names}


def _htmx_redirect(location: str) -> Response:
    """htmx follows this in the browser (a 303 would be followed inside the request and swapped in)."""
    response = make_response("", 200)
    response.headers["HX-Redirect"] = location
    response.vary.add("HX-Request")
    return response


@blueprint.route("/children/new", methods=["GET", "POST"])
def new_young_person() -> Response:
    """Add a young person: the worker who adds them holds the case, with an empty draft plan."""
    db, actor = request_session(), current_user.actor
    form = _typed(NEW_FIELDS)
    if request.method == "GET":
        # The form only for those who may send it: anyone else is refused here as at the post.
        policy.require("children.add", session=db, actor=actor)
        return _new_answer(form, {}, [])
    try:
        case = operations.add_young_person(session=db, actor=actor, person=NewYoungPerson.parse(form))
    except operations.PossibleDuplicate as exc:
        return _new_answer(form, exc.errors, exc.matches, 409)
    except ValidationFailed as exc:
        # The form is parsed before the service asks: only someone who may add a young person
        # learns what it accepts; anyone else gets "not found", audited (R2).
        policy.require("children.add", session=db, actor=actor)
        return _new_answer(form, exc.errors, [], 422)
    location = url_for("practitioner_cases.team", child_id=case.child.id, done="opened")
    return _htmx_redirect(location) if is_htmx() else see_other(location)


def _new_answer(form: dict[str, str], errors: dict[str, Any], matches: list[Child], status: int = 200) -> Response:
    context = {
        "form": form,
        "errors": errors,
        "matches": matches,
        "meeting_types": list(MeetingType),
    }
    return part_or_page(
        lambda: render_template("cases/_new_form.html", **context),
        lambda: render_template("cases/new.html", **context),
        status,
    )


@blueprint.route("/children/<int:child_id>/team", methods=["GET", "POST"])
def team(child_id: int) -> Response:
    """Who holds which case role; those who manage the team add someone from the directory here."""
    db, actor = request_session(), current_user.actor
    form = _typed(TEAM_FIELDS)
    errors: dict[str, Any] = {}
    status = 200
    done = request.args.get("done", "")
    if request.method == "POST":
        try:
            member = AssignmentInput.parse(form)
            operations.add_to_team(session=db, actor=actor, child_id=child_id, member=member)
        except ValidationFailed as exc:
            # As above: the form's rules only for someone who may use it (R2).
            policy.require("case.manage_team", session=db, actor=actor, child_id=child_id)
            errors, status = exc.errors, 422
        else:
            if not is_htmx():
                return see_other(url_for("practitioner_cases.team", child_id=child_id, done="added"))
            form, done = dict.fromkeys(TEAM_FIELDS, ""), "added"
    return _team_answer(child_id, form, errors, done if done in DONE else "", status)


def _team_answer(child_id: int, form: dict[str, str], errors: dict[str, Any], done: str, status: int) -> Response:
    db, actor = request_session(), current_user.actor
    view = queries.case_team(session=db, actor=actor, child_id=child_id)
    context = {
        "view": view,
        "directory": queries.directory(session=db, child_id=child_id) if view.manages else [],
        "case_roles": queries.CASE_ROLE_ORDER,
        "form": form,
        "errors": errors,
        "done": done,
        # Incidents (app.incidents), newest first, under the team; only the page shows them, not the team part.
        "incidents": [] if is_htmx() else incident_queries.child_incidents(session=db, actor=actor, child_id=child_id),
        "records_incidents": policy.holds("incident.record", session=db, actor=actor, child_id=child_id),
        "incident_kinds": KIND_NAMES,
    }
    return part_or_page(
        lambda: render_template("cases/_team.html", **context),
        lambda: render_template("cases/team.html", **context),
        status,
    )


@blueprint.route("/children/<int:child_id>/team/<int:assignment_id>/remove", methods=["GET", "POST"])
def remove_from_team(child_id: int, assignment_id: int) -> Response:
    """Ask first, then take someone off the case (never the last allocated worker: the page says why)."""
    db, actor = request_session(), current_user.actor
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            removed = operations.remove_from_team(
                session=db, actor=actor, child_id=child_id, assignment_id=assignment_id
            )
        except ValidationFailed as exc:
            errors, status = exc.errors, 422
        else:
            if removed.practitioner_id == actor.account_id:
                # They took themselves off the case: its pages are no longer theirs to open.
                return see_other(url_for("practitioner.caseload"))
            return see_other(url_for("practitioner_cases.team", child_id=child_id, done="removed"))
    else:
        # Asked only of those who may remove someone: a read-only reader is refused here as at the post.
        policy.require("case.manage_team", session=db, actor=actor, child_id=child_id)
    view = queries.case_team(session=db, actor=actor, child_id=child_id)
    member = view.find(assignment_id)
    if member is None:
        raise NotFound()
    if not member.removable:
        # Say why at once, rather than offer a button that can only be refused.
        errors = {"__all__": operations.LAST_ALLOCATED}
    page = render_template("cases/remove.html", view=view, member=member, errors=errors, me=actor.account_id)
    response = make_response(page, status)
    response.vary.add("HX-Request")
    return response
