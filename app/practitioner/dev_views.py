"""Development only: sign in as a demo practitioner without the passkey step, once per printed link.

Registered only when SAFER_PLAN_ENV=development (see app.practitioner); `make run` prints the links.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, url_for

from app.auth.models import AccountKind
from app.db import request_session
from app.demo.dev_links import redeem_dev_link
from app.people.models import Practitioner
from app.web import signin
from app.web.users import PractitionerUser

dev_blueprint = Blueprint("practitioner_dev", __name__)


@dev_blueprint.get("/dev/sign-in/<token>")
def dev_sign_in(token: str) -> Any:
    db = request_session()
    account_id = redeem_dev_link(session=db, raw_token=token, account_kind=AccountKind.PRACTITIONER)
    practitioner = db.get(Practitioner, account_id) if account_id is not None else None
    if practitioner is None or not practitioner.active:
        abort(404)
    signin.begin(
        account_kind=AccountKind.PRACTITIONER,
        account_id=practitioner.id or 0,
        make_user=lambda record, raw: PractitionerUser(practitioner, record, raw),
    )
    return redirect(url_for("practitioner.caseload"))
