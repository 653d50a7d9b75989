"""Development only: single-use links that sign a newcomer in as each demo person.

This blueprint is registered only when SAFER_PLAN_ENV=development (see app.family), so the route
does not exist anywhere else. The links are printed when `make run` starts.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, url_for

from app.auth.models import AccountKind
from app.db import request_session
from app.demo.dev_links import redeem_dev_link
from app.people.models import FamilyMember
from app.web import signin
from app.web.users import FamilyUser

dev_blueprint = Blueprint("family_dev", __name__)


@dev_blueprint.get("/dev/sign-in/<token>")
def dev_sign_in(token: str) -> Any:
    db = request_session()
    member_id = redeem_dev_link(session=db, raw_token=token, account_kind=AccountKind.FAMILY)
    member = db.get(FamilyMember, member_id) if member_id is not None else None
    if member is None:
        abort(404)
    signin.begin(
        account_kind=AccountKind.FAMILY,
        account_id=member.id or 0,
        make_user=lambda record, raw: FamilyUser(member, record, raw),
    )
    return redirect(url_for("family.home"))
