"""A front door people sign in to with a cookie: the family and practitioner doors.

On top of every door's base (app.web.door): its own session cookie, CSRF protection, Flask-Login
over server-side session records, htmx, passkey ceremonies, and deny by default: one
`before_request` allowlist, not a decorator someone forgets (R1).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask, Response, jsonify, redirect, request, url_for
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from app.access import policy
from app.auth.passkeys import RelyingParty
from app.auth.sessions import SessionLimits
from app.config import DoorSettings, Settings
from app.db import Database, request_session
from app.people.models import FamilyRole
from app.web import ceremony
from app.web.door import build_door, english, error_page, wants_json


def build_cookie_door(
    *,
    settings: Settings,
    door: DoorSettings,
    database: Database,
    limiter: Limiter,
    allowlist: frozenset[str],
    load_user: Callable[[str], Any],
    sign_in_endpoint: str,
    session_limits: SessionLimits,
    self_cached_endpoints: frozenset[str] = frozenset(),
    locale_selector: Callable[[], str] = english,
) -> Flask:
    """A door with its own cookie and sign-in, everything in it behind sign-in but `allowlist`."""
    app = build_door(
        settings=settings,
        door=door,
        database=database,
        limiter=limiter,
        self_cached_endpoints=self_cached_endpoints,
        locale_selector=locale_selector,
    )
    app.config.update(
        SESSION_COOKIE_NAME=door.cookie_name,
        SESSION_COOKIE_SECURE=settings.cookies_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_PATH="/",
        PERMANENT_SESSION_LIFETIME=session_limits.absolute,
        WTF_CSRF_TIME_LIMIT=None,  # the token is tied to the (server-side, time-limited) session
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        RELYING_PARTY=RelyingParty(
            rp_id=settings.rp_id,
            rp_name=settings.neutral_app_name,
            origin=settings.public_origin,
            challenge_ttl=timedelta(seconds=settings.webauthn_challenge_seconds),
        ),
        SESSION_LIMITS=session_limits,
    )
    CSRFProtect(app)
    HTMX(app)

    login_manager = LoginManager(app)
    # Sessions are server-side records; Flask-Login's IP/agent fingerprint would sign phones
    # out every time they change mast, so it is off and the record is the source of truth.
    login_manager.session_protection = None
    login_manager.user_loader(load_user)
    login_manager.login_view = sign_in_endpoint

    @app.before_request
    def deny_by_default() -> Response | None:
        """Every endpoint needs a signed-in person unless it is on the door's allowlist (R1)."""
        endpoint = request.endpoint
        if endpoint is None or endpoint in allowlist:
            return None
        if current_user.is_authenticated:
            return None
        return login_manager.unauthorized()

    login_manager.unauthorized_handler(_unauthorized(sign_in_endpoint))

    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError) -> Response:
        return error_page(400)

    # Templates (macros included) ask the policy, never a role name: `holds("audit.search")`,
    # `holds("plan.edit", child_id=1)`; wording that depends on a family role names it by its enum.
    app.jinja_env.globals.update(holds=_holds, FamilyRole=FamilyRole)

    ceremony.install(app)
    return app


def _holds(permission: str, *, child_id: int | None = None) -> bool:
    """Whether the signed-in person holds `permission` (not audited: it only shows or hides controls)."""
    if not current_user.is_authenticated:
        return False
    return policy.holds(permission, session=request_session(), actor=current_user.actor, child_id=child_id)


def _unauthorized(sign_in_endpoint: str) -> Callable[[], Response]:
    def handler() -> Response:
        # Pages get a redirect to sign-in; htmx, fetch and JSON callers get a plain 401 to act on.
        wants_html = request.method == "GET" and not request.headers.get("HX-Request") and not wants_json()
        if wants_html:
            return redirect(url_for(sign_in_endpoint))  # type: ignore[return-value]
        response = jsonify(error="sign in first")
        response.status_code = 401
        return response

    return handler
