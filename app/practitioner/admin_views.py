"""Admin pages: practitioner accounts. Admins manage accounts but never see plans."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.inputs import AccountInput
from app.db import request_session
from app.errors import NotFound, ValidationFailed
from app.people import accounts
from app.people.models import Agency, PractitionerRole

blueprint = Blueprint("practitioner_admin", __name__)

FIELDS = ("email", "display_name", "role", "agency", "team", "password")


def _page(form: dict[str, str], errors: dict[str, Any], status: int = 200) -> Any:
    people = accounts.list_accounts(session=request_session(), actor=current_user.actor)
    return render_template(
        "practitioner/accounts.html",
        people=people,
        form=form,
        errors=errors,
        roles=list(PractitionerRole),
        agencies=list(Agency),
        me=current_user.practitioner,
        added=request.args.get("added") == "1",
    ), status


@blueprint.route("/admin/accounts", methods=["GET", "POST"])
def account_list() -> Any:
    # Everything typed comes back on a refusal, whole (the request limit bounds it), but the
    # password: a page never carries one back.
    form = {name: request.form.get(name, "") for name in FIELDS}
    if request.method == "GET":
        return _page({**form, "password": ""}, {})
    db = request_session()
    try:
        accounts.add_account(session=db, actor=current_user.actor, account=AccountInput.parse(form))
    except ValidationFailed as exc:
        # _page lists the accounts, which only an admin may: anyone else gets "not found",
        # audited, and never learns what this form would accept (R2).
        return _page({**form, "password": ""}, exc.errors, 422)
    return redirect(url_for("practitioner_admin.account_list", added=1), code=303)


@blueprint.route("/admin/accounts/<int:practitioner_id>/active", methods=["GET", "POST"])
def switch(practitioner_id: int) -> Any:
    """Confirm, then switch an account off or on."""
    db = request_session()
    people = accounts.list_accounts(session=db, actor=current_user.actor)
    person = next((p for p in people if p.id == practitioner_id and p.id != current_user.practitioner.id), None)
    if person is None:
        raise NotFound()
    if request.method == "GET":
        return render_template("practitioner/account_switch.html", person=person)
    accounts.set_active(session=db, actor=current_user.actor, practitioner_id=practitioner_id, active=not person.active)
    return redirect(url_for("practitioner_admin.account_list"), code=303)
