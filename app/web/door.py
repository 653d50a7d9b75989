"""Build one front door (a Flask app) from the shared settings.

Both doors are built by `build_door`, so the cookie flags, CSP, CSRF, deny-by-default and error
handling are the same code; only the `DoorSettings` differ.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from flask_babel import Babel, get_locale
from flask_compress import Compress
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from app.audit.operations import forget_pending, pending_denials
from app.auth.passkeys import RelyingParty
from app.auth.sessions import SessionLimits
from app.config import PROJECT_ROOT, DoorSettings, Settings
from app.db import Database, close_request_session
from app.errors import Conflict, DomainError, Frozen, NotFound, ValidationFailed
from app.web import ceremony, labels
from app.web.headers import apply_security_headers

log = logging.getLogger(__name__)

SUPPORTED_LOCALES = ("en",)
# Versioned static files (`?v=<content hash>`) never change, so phones keep them for a year.
STATIC_MAX_AGE = 365 * 24 * 3600


@functools.lru_cache(maxsize=256)
def static_version(static_folder: str, filename: str) -> str | None:
    """A short hash of a static file's bytes, for cache-busting URLs; None if there is no such file."""
    path = Path(static_folder) / filename
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return None


def _select_locale() -> str | None:
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or "en"


def build_door(
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
) -> Flask:
    """A Flask app for one door, with everything a door must have before any view is added."""
    app = Flask(
        f"app.{door.name}",
        root_path=str(PROJECT_ROOT / "app"),
        template_folder="templates",
        static_folder="static",
    )
    app.config.update(
        SECRET_KEY=door.secret_key,
        SESSION_COOKIE_NAME=door.cookie_name,
        SESSION_COOKIE_SECURE=settings.cookies_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_PATH="/",
        PERMANENT_SESSION_LIFETIME=session_limits.absolute,
        MAX_CONTENT_LENGTH=256 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # the token is tied to the (server-side, time-limited) session
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        BABEL_TRANSLATION_DIRECTORIES=str(PROJECT_ROOT / "translations"),
        BABEL_DEFAULT_LOCALE="en",
        BABEL_DEFAULT_TIMEZONE="Europe/London",
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        # No X-RateLimit-* headers on every answer: browsers ignore them and, on a phone with poor
        # signal, they cost ~100 bytes a page (HTTP/1.1 sends headers uncompressed). A refusal
        # still says when to try again (Retry-After in _error_page).
        RATELIMIT_HEADERS_ENABLED=False,
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(days=1),
        TRAP_HTTP_EXCEPTIONS=False,
        SAFER_PLAN=settings,
        DOOR=door,
        RELYING_PARTY=RelyingParty(
            rp_id=settings.rp_id,
            rp_name=settings.neutral_app_name,
            origin=settings.public_origin,
            challenge_ttl=timedelta(seconds=settings.webauthn_challenge_seconds),
        ),
        SESSION_LIMITS=session_limits,
        # Text is sent compressed: a phone on poor signal pays about a quarter of the bytes.
        # BREACH needs an attacker to make the victim's browser send authenticated requests that
        # reflect their input; SameSite=Strict cookies mean cross-site requests carry no session.
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_ALGORITHM_STREAMING=["br", "gzip"],  # static files are streamed from disk
        # Brotli 10 makes a plan page about a fifth smaller than the default 4, for ~5 ms of CPU.
        COMPRESS_BR_LEVEL=10,
        COMPRESS_MIMETYPES=[
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "application/manifest+json",
        ],
        COMPRESS_MIN_SIZE=500,
    )
    app.extensions["safer_plan_db"] = database
    app.teardown_appcontext(close_request_session)

    CSRFProtect(app)
    Babel(app, locale_selector=_select_locale)
    HTMX(app)
    Compress(app)
    limiter.init_app(app)

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

    @app.after_request
    def commit_audit_trail(response: Response) -> Response:
        """Successful requests commit what they recorded (reads are audited too, R21)."""
        session = g.get("db_session")
        if session is not None and response.status_code < 400:
            session.commit()
            forget_pending(session)
        return response

    @app.url_defaults
    def version_static_urls(endpoint: str, values: dict[str, Any]) -> None:
        """url_for('static', ...) adds ?v=<content hash>, so a changed file gets a new URL."""
        if endpoint == "static" and "filename" in values and app.static_folder:
            version = static_version(app.static_folder, values["filename"])
            if version:
                values.setdefault("v", version)

    @app.after_request
    def headers(response: Response) -> Response:
        ok = response.status_code == 200
        is_static = request.endpoint == "static" and ok
        if is_static and app.static_folder and request.view_args:
            version = static_version(app.static_folder, str(request.view_args.get("filename", "")))
            if version and request.args.get("v") == version:
                response.cache_control.max_age = STATIC_MAX_AGE
                response.cache_control.immutable = True
        # A few endpoints (the web app manifest, the service worker) set their own Cache-Control.
        own_caching = ok and request.endpoint in self_cached_endpoints
        return apply_security_headers(response, no_store=True, is_static=is_static or own_caching)

    @app.context_processor
    def globals_for_templates() -> dict[str, Any]:
        return {"app_name": settings.neutral_app_name, "door": door.name, "get_locale": get_locale}

    labels.install(app)
    ceremony.install(app)
    _register_error_handlers(app)
    return app


def _unauthorized(sign_in_endpoint: str) -> Callable[[], Response]:
    def handler() -> Response:
        from flask import redirect, url_for

        # Pages get a redirect to sign-in; htmx, fetch and JSON callers get a plain 401 to act on.
        wants_json = request.accept_mimetypes.best == "application/json" or request.is_json
        wants_html = request.method == "GET" and not request.headers.get("HX-Request") and not wants_json
        if wants_html:
            return redirect(url_for(sign_in_endpoint))  # type: ignore[return-value]
        response = jsonify(error="sign in first")
        response.status_code = 401
        return response

    return handler


def _roll_back_keeping_denials() -> None:
    """Undo the refused request's work, but keep (re-write) the denials it recorded (R21)."""
    session = g.get("db_session")
    if session is None:
        return
    denials = pending_denials(session)
    session.rollback()
    forget_pending(session)
    if denials:
        session.add_all(denials)
        try:
            session.commit()
        except Exception:
            session.rollback()  # leave the session usable for rendering the error page
            raise


def _error_page(status: int) -> Response:
    """A generic page: no detail, no traceback, nothing from the request (R22)."""
    try:
        _roll_back_keeping_denials()
    except Exception:  # the database may be what failed; the error page must still be sent
        log.exception("could not record denials for a %s response", status)
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        response = jsonify(error=_ERROR_WORDS.get(status, "error"))
    else:
        try:
            body = render_template("errors/error.html", status=status)
        except Exception:  # the error page itself must never fail: fall back to plain words
            log.error("error page failed to render for status %s", status)
            body = "Something went wrong."
        response = Response(body, mimetype="text/html")
    response.status_code = status
    if status == 429:
        # Every limit counts per minute (app/web/limits.py), so a minute is always long enough.
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


RETRY_AFTER_SECONDS = 60
_ERROR_WORDS = {
    400: "bad request",
    401: "sign in first",
    403: "not allowed",
    404: "not found",
    405: "method not allowed",
    409: "conflict",
    413: "too large",
    422: "invalid",
    429: "too many requests",
    500: "server error",
}


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError) -> Response:
        return _error_page(400)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        return _error_page(exc.code or 500)

    @app.errorhandler(NotFound)
    def not_found(_exc: NotFound) -> Response:
        return _error_page(404)

    @app.errorhandler(Conflict)
    @app.errorhandler(Frozen)
    def conflict(_exc: DomainError) -> Response:
        return _error_page(409)

    @app.errorhandler(ValidationFailed)
    def invalid(_exc: ValidationFailed) -> Response:
        return _error_page(422)

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> Response:
        # Log the type only: messages can carry values from the request (R21 keeps logs clean).
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.endpoint)
        return _error_page(500)
