"""The practitioner's "API tokens" page: list, make (shown once) and revoke their own tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from app.api import operations
from app.api.door import API_PREFIX
from app.api.inputs import MAX_TOKEN_DAYS, TokenInput, latest_expiry
from app.api.models import TokenScope
from app.db import request_session
from app.errors import ValidationFailed
from app.timeutil import today, utcnow
from app.web.htmx import see_other

blueprint = Blueprint("practitioner_api_tokens", __name__)

FIELDS = ("name", "scope", "expires_on")
# The expiry a new token is offered: a month, the most a typical sync needs between renewals.
SUGGESTED_DAYS = 30


def _page(
    form: dict[str, str], errors: dict[str, Any], *, created: operations.NewToken | None = None, status: int = 200
) -> Any:
    tokens = operations.my_tokens(session=request_session(), actor=current_user.actor)
    return render_template(
        "api/tokens.html",
        tokens=tokens,
        form=form,
        errors=errors,
        created=created,
        scopes=list(TokenScope),
        read_scope=TokenScope.READ,
        now=utcnow(),
        earliest=today().isoformat(),
        latest=latest_expiry().isoformat(),
        max_days=MAX_TOKEN_DAYS,
        revoked=request.args.get("revoked") == "1",
        # Another door's page: its path, since this door's url_for knows only its own routes.
        api_docs_url=f"{API_PREFIX}/docs",
    ), status


@blueprint.route("/account/tokens", methods=["GET", "POST"])
def page() -> Any:
    """The list and the form; after a successful POST the new token is shown on this answer only."""
    if request.method == "GET":
        suggested = (today() + timedelta(days=SUGGESTED_DAYS)).isoformat()
        return _page({"name": "", "scope": TokenScope.READ.value, "expires_on": suggested}, {})
    form = {name: request.form.get(name, "") for name in FIELDS}
    try:
        created = operations.create_token(
            session=request_session(), actor=current_user.actor, token=TokenInput.parse(form)
        )
    except ValidationFailed as exc:
        return _page(form, exc.errors, status=422)
    # Not a redirect: the raw token exists only in this answer (no-store), never in a URL or a session.
    return _page({"name": "", "scope": TokenScope.READ.value, "expires_on": form["expires_on"]}, {}, created=created)


@blueprint.route("/account/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
def revoke(token_id: int) -> Any:
    """Confirm, then revoke one of one's own tokens."""
    db = request_session()
    if request.method == "GET":
        token = operations.my_live_token(session=db, actor=current_user.actor, token_id=token_id)
        return render_template("api/revoke.html", token=token)
    operations.revoke_token(session=db, actor=current_user.actor, token_id=token_id)
    return see_other(url_for("practitioner_api_tokens.page", revoked=1))
