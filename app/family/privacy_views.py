"""Family pages about privacy: who can see my plan, who looked at it, and my devices (R6, R10)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import policy, sharing
from app.audit import queries as audit_queries
from app.auth import devices
from app.db import request_session
from app.errors import NotFound
from app.people.queries import children_of_family_member
from app.plans.read_model import family_plan
from app.plans.sections import Section

blueprint = Blueprint("family_privacy", __name__)


def _child(child_id: int) -> Any:
    # Ask the policy first so that a refusal here is audited like every other (R21).
    policy.require("plan.read", session=request_session(), actor=current_user.actor, child_id=child_id)
    for child, link in children_of_family_member(session=request_session(), actor=current_user.actor):
        if child.id == child_id:
            return child, link
    raise NotFound()


@blueprint.get("/c/<int:child_id>/sharing")
def who_can_see(child_id: int) -> Any:
    """The young person chooses who sees what; everyone else sees what is shared with them."""
    db = request_session()
    child, _link = _child(child_id)
    if not policy.holds("sharing.choose", session=db, actor=current_user.actor, child_id=child_id):
        view = family_plan(session=db, actor=current_user.actor, child_id=child_id)
        return render_template(
            "family/shared_with_me.html", child=child, sections=view.sections, all_sections=list(Section)
        )
    return _sharing_page(child, saved=request.args.get("saved") == "1")


def _sharing_page(
    child: Any,
    *,
    saved: bool = False,
    conflict: sharing.SharingChanged | None = None,
    ticked: frozenset[str] = frozenset(),
) -> Any:
    """The choices as saved; or, after a conflict, as this person ticked them, with what changed."""
    db = request_session()
    people = sharing.sharing_overview(session=db, actor=current_user.actor, child_id=child.id)
    return render_template(
        "family/sharing.html",
        child=child,
        people=people,
        names={p.member_id: p.name for p in people},
        sections=list(Section),
        # The form states what it was made from, so a save from a page gone stale is a conflict (R24).
        seen=sharing.page_token(people),
        saved=saved,
        conflict=conflict,
        ticked=ticked,
    )


@blueprint.post("/c/<int:child_id>/sharing")
def choose(child_id: int) -> Any:
    db = request_session()
    chosen, ticked = sharing.chosen_from_form(request.form)
    try:
        sharing.choose_sharing(
            session=db, actor=current_user.actor, child_id=child_id, chosen=chosen, seen=request.form.get("seen")
        )
    except sharing.SharingChanged as exc:
        # Their choices come back ticked as they made them, against the page as it is now: saving
        # again keeps them on purpose; nothing was merged into what someone else chose.
        child, _link = _child(child_id)
        return _sharing_page(child, conflict=exc, ticked=frozenset(ticked)), 409
    return redirect(url_for("family_privacy.who_can_see", child_id=child_id, saved=1), code=303)


@blueprint.get("/c/<int:child_id>/history")
def history(child_id: int) -> Any:
    """Who looked at or changed my plan, in plain words."""
    child, _link = _child(child_id)
    entries = audit_queries.plan_history(session=request_session(), actor=current_user.actor, child_id=child_id)
    return render_template("family/history.html", child=child, entries=entries)


@blueprint.get("/c/<int:child_id>/devices")
def device_list(child_id: int) -> Any:
    child, _link = _child(child_id)
    found = devices.devices_for_child(session=request_session(), actor=current_user.actor, child_id=child_id)
    return render_template(
        "family/devices.html", child=child, devices=found, removed=request.args.get("removed") == "1"
    )


@blueprint.route("/c/<int:child_id>/devices/<int:passkey_id>/remove", methods=["GET", "POST"])
def remove_device(child_id: int, passkey_id: int) -> Any:
    """Ask first, then remove the key and sign that phone out everywhere."""
    db = request_session()
    child, _link = _child(child_id)
    found = devices.devices_for_child(session=db, actor=current_user.actor, child_id=child_id)
    device = next((d for d in found if d.passkey_id == passkey_id), None)
    if device is None:
        raise NotFound()
    if request.method == "GET":
        return render_template("family/remove_device.html", child=child, device=device)
    devices.remove_device(session=db, actor=current_user.actor, child_id=child_id, passkey_id=passkey_id)
    if device.is_this_device:
        # Removing the phone in your hand signs you out here too.
        return redirect(url_for("family.sign_in"), code=303)
    return redirect(url_for("family_privacy.device_list", child_id=child_id, removed=1), code=303)
