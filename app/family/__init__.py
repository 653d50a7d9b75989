"""The family front door: the young person's app, and what parents and trusted adults see."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.auth.models import AccountKind
from app.auth.sessions import SessionLimits
from app.config import Settings
from app.db import Database
from app.family.language_views import blueprint as language
from app.family.language_views import family_locale
from app.people.models import FamilyMember
from app.web import signin
from app.web.cookie_door import build_cookie_door
from app.web.limits import family_limiter
from app.web.users import FamilyUser

# Endpoints anyone may reach: signing in, joining from an invitation, the quick exit, and the
# manifest and service worker (no personal data; the browser fetches them without asking anyone).
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "family_pwa.manifest",
        "family_pwa.service_worker",
        "family.sign_in",
        "family.sign_in_options",
        "family.sign_in_verify",
        "family.join",
        "family.join_options",
        "family.join_verify",
        "family.quick_exit",
    }
)
# Present only in development (see family.dev_views): the newcomer's way in as each demo person.
DEVELOPMENT_ENDPOINTS = frozenset({"family_dev.dev_sign_in"})


def _load_user(raw_token: str) -> FamilyUser | None:
    found = signin.load(raw_token, AccountKind.FAMILY, FamilyMember)
    if found is None:
        return None
    record, member = found
    if member is None or member.disabled_at is not None:
        return None
    return FamilyUser(member, record, raw_token)


def create_family_app(settings: Settings, database: Database) -> Flask:
    """The family door: cookie `daybook`, passkey sign-in, mobile-first pages."""
    allowlist = PUBLIC_ENDPOINTS | (DEVELOPMENT_ENDPOINTS if settings.is_development else frozenset())
    app = build_cookie_door(
        settings=settings,
        door=settings.family,
        database=database,
        limiter=family_limiter,
        allowlist=allowlist,
        load_user=_load_user,
        sign_in_endpoint="family.sign_in",
        session_limits=SessionLimits(
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(days=settings.family_session_absolute_days),
        ),
        self_cached_endpoints=frozenset({"family_pwa.manifest", "family_pwa.service_worker"}),
        locale_selector=family_locale,
    )
    from app.commitments.views import blueprint as commitment_updates
    from app.cowriting.views import blueprint as cowrite
    from app.family.lock_views import blueprint as lock
    from app.family.lock_views import refuse_while_locked
    from app.family.passkey_views import blueprint as add_passkey
    from app.family.privacy_views import blueprint as privacy
    from app.family.pwa_views import blueprint as pwa
    from app.family.reading_views import blueprint as reading
    from app.family.views import blueprint
    from app.live.views import family_blueprint as live
    from app.meetings.facilitation_views import blueprint as facilitation
    from app.meetings.family_views import blueprint as meetings
    from app.push.views import blueprint as push
    from app.whats_new.views import blueprint as whats_new

    # After deny-by-default (registered by build_cookie_door): a locked session sees only the lock screen.
    app.before_request(refuse_while_locked)
    app.register_blueprint(blueprint)
    app.register_blueprint(privacy)
    app.register_blueprint(pwa)
    app.register_blueprint(lock)
    app.register_blueprint(cowrite)
    app.register_blueprint(whats_new)
    app.register_blueprint(commitment_updates)
    app.register_blueprint(add_passkey)
    app.register_blueprint(reading)
    app.register_blueprint(language)
    app.register_blueprint(live)
    app.register_blueprint(meetings)
    app.register_blueprint(facilitation)
    app.register_blueprint(push)
    if settings.is_development:
        from app.family.dev_views import dev_blueprint

        app.register_blueprint(dev_blueprint)
    return app
