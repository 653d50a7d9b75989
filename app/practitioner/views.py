"""Practitioner pages: sign in, caseload, a child's plan with its history, invitations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import segno
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import timeutil
from app.access import policy
from app.agency_actions.queries import update_histories
from app.auth import invitations
from app.auth.inputs import InvitationInput, InvitationRequest, NewPhoneInvitation
from app.auth.models import AccountKind
from app.auth.practitioner_accounts import authenticate_practitioner
from app.commitments.queries import with_progress
from app.db import request_session
from app.errors import SignInFailed, ValidationFailed
from app.incidents.queries import review_state_of
from app.inputs import parse_id
from app.notices.queries import my_notices
from app.people import queries as people_queries
from app.people.models import FamilyRole
from app.plans.read_model import practitioner_plan, practitioner_view, shown_version
from app.plans.reading import LIST_MODELS, PROGRESS_LISTS, read_plan
from app.web import signin
from app.web.htmx import part_or_page
from app.web.limits import SIGN_IN_LIMIT, practitioner_limiter
from app.web.users import PractitionerUser
from app.worktray.deadlines import mapping_deadlines
from app.worktray.inputs import MEETING_TYPES, ROLES, TEAM, parse_filters
from app.worktray.queries import work_tray
from app.worktray.sections import meetings_i_chair, my_agency_actions

blueprint = Blueprint("practitioner", __name__)

# What a child's plan page uses besides "plan.read_full": recorded in the one audit row of each view.
PLAN_PAGE_ALSO = ("plan.history",)


@blueprint.route("/sign-in", methods=["GET", "POST"])
@practitioner_limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def sign_in() -> Any:
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(url_for("practitioner.caseload"))
        if getattr(current_user, "record", None) is not None:
            # Password done, passkey not yet: carry on where they left off.
            return redirect(url_for("practitioner_2fa.confirm"))
        return render_template("practitioner/sign_in.html", email="", error=None)
    email = request.form.get("email", "")[:254]
    password = request.form.get("password", "")[:1024]
    db = request_session()
    try:
        practitioner = authenticate_practitioner(session=db, email=email, password=password)
    except SignInFailed:
        error = _("That email and password did not match an account. Check them and try again.")
        return render_template("practitioner/sign_in.html", email=email, error=error), 401
    # The password opens only a partial session: the passkey step completes it (R11).
    signin.begin(
        account_kind=AccountKind.PRACTITIONER,
        account_id=practitioner.id or 0,
        make_user=lambda record, raw: PractitionerUser(practitioner, record, raw),
        second_factor_done=False,
    )
    return redirect(url_for("practitioner_2fa.confirm"), code=303)


@blueprint.post("/sign-out")
def sign_out() -> Any:
    """Public, so a half-signed-in practitioner (password done, passkey not) can also leave."""
    signin.end(current_user)
    return redirect(url_for("practitioner.sign_in"), code=303)


@blueprint.get("/")
def caseload() -> Any:
    """The work tray: a page of the caseload with its flags, filtered and sorted by GET parameters;
    htmx swaps the tray in place, a plain request gets the whole page."""
    db = request_session()
    actor = current_user.actor
    filters = parse_filters(request.args)
    tray = work_tray(session=db, actor=actor, filters=filters)

    def part() -> str:
        return render_template("practitioner/_work_tray.html", tray=tray, me=current_user.practitioner)

    def page() -> str:
        return render_template(
            "practitioner/caseload.html",
            tray=tray,
            me=current_user.practitioner,
            chaired=meetings_i_chair(session=db, actor=actor),
            # Review reminders and overdue notices the jobs wrote for this person (app/notices).
            notices=my_notices(session=db, actor=actor),
            partner_actions=my_agency_actions(session=db, actor=actor),
            # Mapping meetings to hold, late first, for those who convene them (None: not theirs).
            mappings=mapping_deadlines(db, actor, timeutil.today()),
            roles=ROLES,
            team=TEAM,
            meeting_types=MEETING_TYPES,
        )

    return part_or_page(part, page)


@blueprint.get("/children/<int:child_id>")
def child_plan(child_id: int) -> Any:
    """The working draft of the child's plan, with the people involved and the version history."""
    return _render_plan(child_id, version_number=None)


@blueprint.get("/children/<int:child_id>/versions/<int:number>")
def child_plan_version(child_id: int, number: int) -> Any:
    return _render_plan(child_id, version_number=number)


def _render_plan(child_id: int, version_number: int | None) -> Any:
    db = request_session()
    actor = current_user.actor
    # One audited decision for the plan, its history and the people around the child, and the
    # plan, its versions and their lists read once (app.plans.reading).
    reading = read_plan(
        session=db, actor=actor, child_id=child_id, permission="plan.read_full", also=PLAN_PAGE_ALSO, every_version=True
    )
    shown = shown_version(reading, version_number)
    agreed = reading.agreed
    reading.load([(shown.id, LIST_MODELS), (agreed.id if agreed else None, PROGRESS_LISTS)], workers=True)
    view = with_progress(session=db, view=practitioner_view(reading, version_number), reading=reading)
    return render_template(
        "practitioner/child_plan.html",
        view=view,
        history=reading.versions,
        people=people_queries.people_from(reading.links, reading.workers),
        me=current_user.practitioner,
        live_version=reading.live_version,
        # The agreed plan's review as it stands (an incident may have brought it forward).
        review=review_state_of(db, reading.plan, agreed, timeutil.today(), reading),
        # How each agency's actions are going, in the partners' words (app.agency_actions).
        agency_updates=update_histories(
            session=db, actions=[*view.agency_safety_actions, *view.agency_disrupt_actions]
        ),
    )


@blueprint.route("/children/<int:child_id>/invitations", methods=["GET", "POST"])
def invite(child_id: int) -> Any:
    """Invite the young person, a parent/carer or a trusted adult to see the plan on their phone."""
    db = request_session()
    actor = current_user.actor
    view = practitioner_plan(session=db, actor=actor, child_id=child_id)
    people = [p for p in people_queries.people_around_child(session=db, actor=actor, child_id=child_id) if p.member_id]
    # Everything typed comes back on a refusal, whole (the request limit bounds it).
    form = {name: request.form.get(name, "") for name in ("role", "display_name", "relationship")}
    form["who"] = request.form.get("who", "new")

    def page(errors: dict[str, Any], status: int = 200) -> Any:
        return render_template(
            "practitioner/invite.html", view=view, form=form, errors=errors, roles=list(FamilyRole), people=people
        ), status

    if request.method == "GET":
        # The form only for those who may send it: a read-only reader is refused here as at the post.
        policy.require("invitation.create", session=db, actor=actor, child_id=child_id)
        return page({})
    settings = current_app.config["SAFER_PLAN"]
    try:
        invitation, raw = invitations.create_invitation(
            session=db,
            actor=actor,
            child_id=child_id,
            request=_invitation_request(form),
            valid_for=timedelta(hours=settings.invitation_valid_hours),
        )
    except ValidationFailed as exc:
        # The form is parsed before the service runs: only someone who may invite here learns
        # what it accepts; anyone else gets "not found", audited (R2).
        policy.require("invitation.create", session=db, actor=actor, child_id=child_id)
        return page(exc.errors, 422)
    link = f"{settings.public_origin}/join/{raw}"
    qr = segno.make(link, error="m").svg_data_uri(scale=5, border=2)
    return render_template("practitioner/invitation_created.html", view=view, invitation=invitation, link=link, qr=qr)


def _invitation_request(form: dict[str, str]) -> InvitationRequest:
    """Someone new (the form's fields), or a new phone for someone already here ("who" is their id)."""
    if form["who"] in ("", "new"):
        return InvitationInput.parse(form)
    # A garbled id is no one: the service says "choose someone who is already in the plan".
    return NewPhoneInvitation(member_id=parse_id(form["who"]) or 0)
