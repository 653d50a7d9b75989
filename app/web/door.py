"""What every front door has, whatever signs people in: one function builds it.

The family and practitioner doors (cookies, app.web.cookie_door) and the API door (tokens) are
all built on `build_door`, so the security headers, the error pages, compression and the one
transaction per request are the same code everywhere. The door owns the transaction (Indico's
`RH.process`): a request that ends below 400 is committed once; anything else is rolled back,
and what was asked to outlive the rollback (the audit of a refusal) is written again (R21).
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
from flask_babel import Babel, format_decimal, get_locale
from flask_compress import Compress
from flask_limiter import Limiter
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from app.audit.operations import write_audit_only
from app.config import PROJECT_ROOT, DoorSettings, Settings
from app.db import Database, close_request_session, forget_kept, roll_back_keeping
from app.errors import Conflict, DomainError, Frozen, NotFound, ValidationFailed
from app.inputs import LONGEST_TEXT, parse_id
from app.languages import DEFAULT_LANGUAGE
from app.web import dates, kept_urls, labels, request_translations, static_compression, template_runtime
from app.web.headers import apply_security_headers, trim_immutable

log = logging.getLogger(__name__)

# Versioned static files (`?v=<content hash>`) never change, so phones keep them for a year.
STATIC_MAX_AGE = 365 * 24 * 3600
# The largest request body any door reads; a bigger one is refused with 413 before a view runs.
# A form's boxes each take at most LONGEST_TEXT characters, and even written wholly in characters
# that a form sends as 12 bytes each (four-byte UTF-8, percent-encoded), ten full boxes fit
# (tests/unit/web): a 413 therefore always means some box holds far more than its own limit.
MAX_CONTENT_LENGTH = 256 * 1024


class IdConverter(BaseConverter):
    """`<int:...>` on every door: a record id is ASCII digits, within what the column holds (R29).

    Werkzeug's own converter matches `\\d+`, which in Python takes any script's digits (an
    Arabic-Indic one opened child 1), and hands the database ids it cannot hold (a server error).
    Other digits are no route at all, like letters; an id too big for the column becomes 0, which names
    no row (ids start at 1), so it takes the path of a missing record: the same 404, and the same
    audited refusal by the policy (R2, R21).
    """

    regex = r"[0-9]+"
    weight = 50  # as werkzeug's number converters: /c/<int:id> is tried before /c/<name>

    def to_python(self, value: str) -> int:
        return parse_id(value) or 0

    def to_url(self, value: Any) -> str:
        return str(int(value))


@functools.lru_cache(maxsize=256)
def static_version(static_folder: str, filename: str) -> str | None:
    """A short hash of a static file's bytes, for cache-busting URLs; None if there is no such file."""
    path = Path(static_folder) / filename
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return None


def english() -> str:
    """The locale of a door that is not switched (the practitioner door and the API)."""
    return DEFAULT_LANGUAGE


def build_door(
    *,
    settings: Settings,
    door: DoorSettings,
    database: Database,
    limiter: Limiter,
    self_cached_endpoints: frozenset[str] = frozenset(),
    app_class: type[Flask] = Flask,
    app_options: dict[str, Any] | None = None,
    locale_selector: Callable[[], str] = english,
) -> Flask:
    """A Flask app with what every door must have before any view is added.

    `app_class` is a Flask subclass for a door that needs one (the API door's flask-openapi3
    `OpenAPI`, which generates its OpenAPI document), built with `app_options` besides Flask's own.
    `locale_selector` picks each request's language: English unless the door is switched (family).
    """
    app = app_class(
        f"app.{door.name}",
        root_path=str(PROJECT_ROOT / "app"),
        template_folder="templates",
        static_folder="static",
        **(app_options or {}),
    )
    app.config.update(
        SECRET_KEY=door.secret_key,
        MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
        BABEL_TRANSLATION_DIRECTORIES=str(settings.translations_dir),
        BABEL_DEFAULT_LOCALE="en",
        BABEL_DEFAULT_TIMEZONE="Europe/London",
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        RATELIMIT_ENABLED=settings.rate_limits,
        # No X-RateLimit-* headers on every answer: browsers ignore them and, on a phone with poor
        # signal, they cost ~100 bytes a page (HTTP/1.1 sends headers uncompressed). A refusal
        # still says when to try again (Retry-After in error_page).
        RATELIMIT_HEADERS_ENABLED=False,
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(days=1),
        TRAP_HTTP_EXCEPTIONS=False,
        SAFER_PLAN=settings,
        DOOR=door,
        # Text is sent compressed: a phone on poor signal pays about a quarter of the bytes.
        # BREACH needs an attacker to make the victim's browser send authenticated requests that
        # reflect their input; SameSite=Strict cookies mean cross-site requests carry no session.
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_ALGORITHM_STREAMING=["br", "gzip"],  # static files are streamed from disk
        # Pages change, so they are compressed as they go out: brotli 5 costs well under a millisecond
        # a page (10 cost ~5.7 ms of a plan page's 23 ms, for ~380 fewer bytes). Static files are
        # compressed once at the best level instead (static_compression.py).
        COMPRESS_BR_LEVEL=5,
        COMPRESS_MIMETYPES=[
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "application/problem+json",
            "application/manifest+json",
        ],
        COMPRESS_MIN_SIZE=500,
    )
    # Before any blueprint adds a rule: every `<int:...>` of this door is an IdConverter.
    app.url_map.converters["int"] = IdConverter
    app.extensions["safer_plan_db"] = database
    app.teardown_appcontext(close_request_session)

    Babel(app, locale_selector=locale_selector)
    request_translations.install(app)  # the same words, the translations looked up once a request
    dates.install(app)  # the same dates, each one's words kept
    kept_urls.install(app)  # the same addresses, each worked out once per door
    template_runtime.install(app)  # the same calls from templates, each callable probed once
    Compress(app)
    static_compression.attach(app)  # after Compress: it must see static answers first
    limiter.init_app(app)

    @app.after_request
    def end_transaction(response: Response) -> Response:
        """One commit for a request that succeeded; one rollback, keeping its audit, for any other.

        Here, before the answer leaves, so a read that cannot be audited is not shown (R21). A safe
        request's session has read without the write lock (app.db.ReadsFirst): this commit is where
        it writes its audit rows, in a short transaction that takes the lock for them alone.
        """
        session = g.get("db_session")
        if session is not None:
            if response.status_code < 400:
                write_audit_only(session)
                session.commit()
                forget_kept(session)
            else:
                roll_back_keeping(session)
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
        response = apply_security_headers(response, no_store=True, is_static=is_static or own_caching)
        # Only an answer that keeps its own caching can be immutable (the others were just made
        # no-store): the rest need not parse Cache-Control again to find out.
        if (is_static or own_caching) and response.cache_control.immutable:
            trim_immutable(response)
        return response

    @app.context_processor
    def globals_for_templates() -> dict[str, Any]:
        return {"app_name": settings.neutral_app_name, "door": door.name, "get_locale": get_locale}

    # Browsers ask every site for /favicon.ico: answer it (a neutral icon, R18) rather than log a
    # 404 on every page. At the root this is the family door's; pages of both doors link to it.
    app.add_url_rule("/favicon.ico", endpoint="static", defaults={"filename": "icons/favicon.ico"})
    labels.install(app)
    _register_error_handlers(app)
    return app


def wants_json() -> bool:
    """True for callers that asked for JSON (fetch, the API) rather than a page."""
    return request.accept_mimetypes.best == "application/json" or request.is_json


def error_page(status: int) -> Response:
    """A generic page (or JSON): no detail, no traceback, nothing from the request (R22)."""
    session = g.get("db_session")
    if session is not None:
        try:
            # The database may be what failed: start clean so rendering cannot trip over it. The
            # door writes what must be kept once the answer is made (end_transaction).
            session.rollback()
        except Exception:
            log.exception("could not roll back before a %s response", status)
    if wants_json():
        response = jsonify(error=_ERROR_WORDS.get(status, "error"))
    else:
        try:
            body = render_template("errors/error.html", status=status, longest_text=format_decimal(LONGEST_TEXT))
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
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        return error_page(exc.code or 500)

    @app.errorhandler(NotFound)
    def not_found(_exc: NotFound) -> Response:
        return error_page(404)

    @app.errorhandler(Conflict)
    @app.errorhandler(Frozen)
    def conflict(_exc: DomainError) -> Response:
        return error_page(409)

    @app.errorhandler(ValidationFailed)
    def invalid(_exc: ValidationFailed) -> Response:
        return error_page(422)

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> Response:
        # Log the type only: messages can carry values from the request (R21 keeps logs clean).
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.endpoint)
        return error_page(500)
