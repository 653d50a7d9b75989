"""Practitioner pages about access: sharing locks, removing people and phones, break glass, audit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import removed, sharing
from app.access.break_glass import GRANT_LIFETIME, open_break_glass
from app.audit import queries as audit_queries
from app.auth import devices
from app.db import request_session
from app.errors import NotFound, ValidationFailed
from app.inputs import parse_id
from app.people import operations as people_ops
from app.plans.read_model import practitioner_plan
from app.plans.sections import Section

blueprint = Blueprint("practitioner_access", __name__)


def _int(value: str | None, default: int | None = None) -> int | None:
    parsed = parse_id(value)
    return default if parsed is None else parsed


@blueprint.get("/children/<int:child_id>/access")
def overview(child_id: int) -> Any:
    """Who can see what, with safety locks; people and phones that can be removed."""
    db = request_session()
    actor = current_user.actor
    view = practitioner_plan(session=db, actor=actor, child_id=child_id)
    people = sharing.sharing_overview(session=db, actor=actor, child_id=child_id)
    phones = devices.devices_for_child(session=db, actor=actor, child_id=child_id)
    # After a removal the redirect says whose (an id and a kind, never a name: R18): say so by name.
    just_removed = removed.just_removed(
        session=db, actor=actor, child_id=child_id, kind=request.args.get("removed"), who=_int(request.args.get("who"))
    )
    return render_template(
        "practitioner/access.html",
        view=view,
        people=people,
        devices=phones,
        sections=list(Section),
        removed=just_removed,
    )


@blueprint.post("/children/<int:child_id>/access/lock")
def lock(child_id: int) -> Any:
    member_id = _int(request.form.get("member_id"), 0) or 0
    db = request_session()
    sharing.set_lock(
        session=db,
        actor=current_user.actor,
        child_id=child_id,
        member_id=member_id,
        section=request.form.get("section", ""),
        locked=request.form.get("locked") == "1",
    )
    return redirect(url_for("practitioner_access.overview", child_id=child_id), code=303)


@blueprint.route("/children/<int:child_id>/access/<int:member_id>/remove", methods=["GET", "POST"])
def remove_person(child_id: int, member_id: int) -> Any:
    """Confirm, then end a family member's access to this plan."""
    db = request_session()
    actor = current_user.actor
    person = next(
        (p for p in sharing.sharing_overview(session=db, actor=actor, child_id=child_id) if p.member_id == member_id),
        None,
    )
    if person is None:
        raise NotFound()
    if request.method == "GET":
        view = practitioner_plan(session=db, actor=actor, child_id=child_id)
        return render_template("practitioner/remove_person.html", view=view, person=person)
    people_ops.revoke_family_link(session=db, actor=actor, child_id=child_id, member_id=member_id)
    return redirect(
        url_for("practitioner_access.overview", child_id=child_id, removed="person", who=member_id), code=303
    )


@blueprint.route("/children/<int:child_id>/devices/<int:passkey_id>/remove", methods=["GET", "POST"])
def remove_device(child_id: int, passkey_id: int) -> Any:
    db = request_session()
    actor = current_user.actor
    device = next(
        (
            d
            for d in devices.devices_for_child(session=db, actor=actor, child_id=child_id)
            if d.passkey_id == passkey_id
        ),
        None,
    )
    if device is None:
        raise NotFound()
    if request.method == "GET":
        view = practitioner_plan(session=db, actor=actor, child_id=child_id)
        return render_template("practitioner/remove_device.html", view=view, device=device)
    devices.remove_device(session=db, actor=actor, child_id=child_id, passkey_id=passkey_id)
    return redirect(
        url_for("practitioner_access.overview", child_id=child_id, removed="phone", who=passkey_id), code=303
    )


@blueprint.route("/break-glass", methods=["GET", "POST"])
def break_glass() -> Any:
    """Emergency read-only access to a child you are not linked to: reasoned, an hour, audited."""
    form = {"child_id": request.form.get("child_id", ""), "reason": request.form.get("reason", "")}
    if request.method == "GET":
        return render_template(
            "practitioner/break_glass.html", form=form, errors={}, minutes=int(GRANT_LIFETIME.total_seconds() // 60)
        )
    db = request_session()
    child_id = _int(form["child_id"])
    if child_id is None:
        errors = {"child_id": "missing"}
        return render_template(
            "practitioner/break_glass.html", form=form, errors=errors, minutes=int(GRANT_LIFETIME.total_seconds() // 60)
        ), 422
    try:
        open_break_glass(session=db, actor=current_user.actor, child_id=child_id, reason=form["reason"])
    except NotFound:
        # Same words whether the record is missing or not allowed: no existence oracle.
        errors = {"child_id": "not_found"}
        return render_template(
            "practitioner/break_glass.html", form=form, errors=errors, minutes=int(GRANT_LIFETIME.total_seconds() // 60)
        ), 404
    except ValidationFailed as exc:
        return render_template(
            "practitioner/break_glass.html",
            form=form,
            errors=exc.errors,
            minutes=int(GRANT_LIFETIME.total_seconds() // 60),
        ), 422
    return redirect(url_for("practitioner.child_plan", child_id=child_id), code=303)


@blueprint.get("/audit")
def audit_search() -> Any:
    """Search the audit log (managers and admins); 100 rows a page at most (R20)."""
    args = request.args
    result = audit_queries.search(
        session=request_session(),
        actor=current_user.actor,
        child_id=_int(args.get("child_id")),
        actor_label=args.get("actor", ""),
        kind=args.get("kind", ""),
        page=_int(args.get("page"), 1) or 1,
        per_page=_int(args.get("per_page"), 50) or 50,
    )
    return render_template("practitioner/audit.html", result=result, args=args)
