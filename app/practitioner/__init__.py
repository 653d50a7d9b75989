"""The practitioner front door: caseloads, plans and invitations, behind a separate sign-in."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.auth.models import AccountKind
from app.auth.sessions import SessionLimits
from app.config import Settings
from app.db import Database
from app.people.models import Practitioner
from app.web import signin
from app.web.cookie_door import build_cookie_door
from app.web.limits import practitioner_limiter
from app.web.users import PractitionerUser

# Endpoints reachable without a full sign-in: the password step, the passkey step and sign-out.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "practitioner.sign_in",
        "practitioner.sign_out",
        "practitioner_2fa.confirm",
        "practitioner_2fa.options",
        "practitioner_2fa.verify",
    }
)
# Present only in development (see practitioner.dev_views).
DEVELOPMENT_ENDPOINTS = frozenset({"practitioner_dev.dev_sign_in"})


def _load_user(raw_token: str) -> PractitionerUser | None:
    found = signin.load(raw_token, AccountKind.PRACTITIONER, Practitioner)
    if found is None:
        return None
    record, practitioner = found
    if practitioner is None or not practitioner.active:
        return None
    return PractitionerUser(practitioner, record, raw_token)


def create_practitioner_app(settings: Settings, database: Database) -> Flask:
    """The practitioner door, mounted under /practitioner with its own cookie and secret."""
    app = build_cookie_door(
        settings=settings,
        door=settings.practitioner,
        database=database,
        limiter=practitioner_limiter,
        allowlist=PUBLIC_ENDPOINTS | (DEVELOPMENT_ENDPOINTS if settings.is_development else frozenset()),
        load_user=_load_user,
        sign_in_endpoint="practitioner.sign_in",
        session_limits=SessionLimits(
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_absolute_hours),
        ),
    )
    from app.agency_actions.views import blueprint as agency_actions
    from app.api.token_views import blueprint as api_tokens
    from app.cases.views import blueprint as cases
    from app.concerns.views import blueprint as concerns
    from app.conferences import step_views  # noqa: F401 - adds the agenda's steps to the conferences blueprint
    from app.conferences.views import blueprint as conferences
    from app.contexts.views import blueprint as contexts
    from app.drafting.views import blueprint as drafting
    from app.hub.views import blueprint as hub
    from app.incidents.views import blueprint as incidents
    from app.live.views import practitioner_blueprint as live
    from app.mace.views import blueprint as mace
    from app.mapping.views import blueprint as mapping
    from app.meetings import run_views  # noqa: F401 - adds the running pages to the meetings blueprint
    from app.meetings.practitioner_views import blueprint as meetings
    from app.notices.views import blueprint as notices
    from app.practitioner.access_views import blueprint as access
    from app.practitioner.admin_views import blueprint as admin
    from app.practitioner.second_factor_views import blueprint as second_factor
    from app.practitioner.views import blueprint
    from app.themes.views import blueprint as themes

    app.register_blueprint(blueprint)
    app.register_blueprint(second_factor)
    app.register_blueprint(access)
    app.register_blueprint(admin)
    app.register_blueprint(agency_actions)
    app.register_blueprint(drafting)
    app.register_blueprint(live)
    app.register_blueprint(api_tokens)
    app.register_blueprint(cases)
    app.register_blueprint(meetings)
    app.register_blueprint(concerns)
    app.register_blueprint(hub)
    app.register_blueprint(mace)
    app.register_blueprint(mapping)
    app.register_blueprint(themes)
    app.register_blueprint(contexts)
    app.register_blueprint(incidents)
    app.register_blueprint(conferences)
    app.register_blueprint(notices)
    if settings.is_development:
        from app.practitioner.dev_views import dev_blueprint

        app.register_blueprint(dev_blueprint)
    return app
