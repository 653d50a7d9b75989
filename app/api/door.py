"""The API door at /api/v1: a personal access token in the Authorization header, JSON out.

Built on every door's base (app.web.door.build_door: headers, the one transaction per request,
compression, limits), not on the cookie doors: it has no session, no CSRF (nothing a browser
sends on its own authenticates here) and never reads or sets a cookie. Deny by default: every
endpoint but the OpenAPI document needs a live token (`before_request`, not a decorator). Every
answer that is not a success is an RFC 9457 problem (app.api.problems), and every call is written
to the audit log with the token's id, kept when the call is refused.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Flask, Response, g, jsonify, request
from flask.sessions import SessionInterface
from flask_babel import gettext as _
from flask_limiter import Limit, Limiter
from flask_openapi3 import Info, OpenAPI
from flask_openapi3.models import Schema
from flask_openapi3.utils import get_model_schema
from pydantic import BaseModel
from werkzeug.exceptions import HTTPException

from app.api import operations
from app.api.models import TokenScope
from app.api.problems import KEPT_HEADERS, WWW_AUTHENTICATE, Problem, problem, validation_problem
from app.audit.operations import record_api_call
from app.config import DoorSettings, Settings
from app.db import Database, request_session
from app.errors import Conflict, DomainError, Frozen, NotFound, ValidationFailed
from app.web.door import RETRY_AFTER_SECONDS, build_door
from app.web.limits import client_address

API_PREFIX = "/api/v1"
API_VERSION = "1.0.0"
# The API door has no cookie and no secret: its DoorSettings say only where it is mounted.
API_DOOR = DoorSettings(name="api", cookie_name="", secret_key="", url_prefix=API_PREFIX)
# Reachable without a token: the contract itself, its reference page for people, and that page's
# stylesheet and icon (the same public files every door serves).
PUBLIC_ENDPOINTS = frozenset({"openapi_document", "api_docs", "static"})
# Methods that change nothing: a read-scoped token may use only these.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _limit_key() -> str:
    """Calls count per token (a hash of the header, never the token), else per address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return client_address()


# Per token, so systems behind one council's address do not throttle each other; and per address
# as well, so a caller cannot dodge the count by sending a different made-up token each time.
api_limiter = Limiter(
    key_func=client_address,
    default_limits=[
        Limit("300 per minute", key_function=_limit_key),
        Limit("1200 per minute", key_function=client_address),
    ],
)


class _NoSessions(SessionInterface):
    """No session at all: cookies sent to the API are never read, and none is ever set."""

    def open_session(self, app: Flask, request: Any) -> None:
        return None

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        return None


def create_api_app(settings: Settings, database: Database) -> OpenAPI:
    """The API door, mounted at /api/v1."""
    app = build_door(
        settings=settings,
        door=API_DOOR,
        database=database,
        limiter=api_limiter,
        app_class=OpenAPI,
        app_options={
            "info": Info(title="Safer Plan practitioner API", version=API_VERSION),
            "security_schemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "servers": [{"url": API_PREFIX}],
            # The document is served at /openapi.json below; flask-openapi3's UI pages load from a CDN.
            "doc_ui": False,
            "validation_error_status": 422,
            "validation_error_model": Problem,
            "validation_error_callback": validation_problem,
        },
    )
    if not isinstance(app, OpenAPI):  # build_door made it with app_class=OpenAPI; this tells mypy
        raise TypeError("the API door must be an OpenAPI app")
    app.session_interface = _NoSessions()
    _install_token_check(app)
    _install_problems(app)
    _install_audit(app)

    # Importing a views module puts its routes on the blueprint: statement_views adds the draft's statements,
    # concern_views the concerns and the Hub's queue, incident_views a case's incidents, context_views
    # mapping meetings and conferences, list_views the draft's other lists, meeting_views a child's
    # meetings, review_views the reviews due, version_views the agreed versions and their diff,
    # audit_views the audit log, change_views the changes feed.
    from app.api import (  # noqa: F401
        audit_views,
        change_views,
        concern_views,
        context_views,
        docs,
        incident_views,
        list_views,
        meeting_schemas,
        meeting_views,
        review_views,
        schemas,
        statement_views,
        version_views,
    )
    from app.api.views import blueprint

    app.register_api(blueprint)
    # Problems with members of their own, named in responses by reference (app.api.problems).
    for conflict in schemas.LIST_CONFLICTS.values():  # the statements' StatementConflict among them
        _add_schema(app, conflict)
    _add_schema(app, incident_views.out.ReviewConflict)
    for model in meeting_schemas.DOCUMENTED:
        _add_schema(app, model)

    @app.get(
        "/openapi.json",
        endpoint="openapi_document",
        operation_id="getOpenAPIDocument",
        summary="This OpenAPI 3.1 document",
        security=[],
        responses={
            200: {"description": "The document.", "content": {"application/json": {"schema": {"type": "object"}}}}
        },
    )
    def openapi_document() -> Response:
        """The OpenAPI 3.1 document, generated from the pydantic models of every route."""
        return jsonify(app.api_doc)

    # The same document for people, as a page (HTML, so it stays out of the JSON contract).
    docs.install(app)

    return app


def _add_schema(app: OpenAPI, model: type[BaseModel]) -> None:
    """Put `model` (and the models it uses) in the document's components, generated like the rest."""
    schema = get_model_schema(model)
    for name, definition in schema.pop("$defs", {}).items():
        app.components_schemas.setdefault(name, Schema(**definition))
    app.components_schemas[model.__name__] = Schema(**schema)


def _install_token_check(app: Flask) -> None:
    @app.before_request
    def require_token() -> Response | None:
        """Deny by default (R1): a live token, then the token's scope, before any view runs."""
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
        found = None
        if scheme.lower() == "bearer" and raw.strip():
            found = operations.authenticate(session=request_session(), raw=raw.strip())
        if found is None:
            # RFC 6750 §3.1: an error code only when a token was sent and refused.
            challenge = f'{WWW_AUTHENTICATE}, error="invalid_token"' if raw.strip() else WWW_AUTHENTICATE
            return problem(
                401,
                detail=_("Send a live personal access token as “Authorization: Bearer <token>”."),
                headers={"WWW-Authenticate": challenge},
            )
        g.api_token, g.actor = found
        # An unknown path or method is answered as such (404, 405) once the caller is known.
        writes = request.routing_exception is None and request.method not in READ_METHODS
        if writes and g.api_token.scope != TokenScope.READ_WRITE:
            return problem(403, detail=_("This token may only read. Make a read and change token to write."))
        return None


def _install_problems(app: Flask) -> None:
    """Replace the base door's error pages: the API answers problems, never HTML."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        code = exc.code or 500
        kept = {name: value for name, value in exc.get_headers() if name in KEPT_HEADERS}
        if code == 429:
            kept["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return problem(code, headers=kept)

    @app.errorhandler(NotFound)
    def not_found(_exc: NotFound) -> Response:
        return problem(404)

    @app.errorhandler(Conflict)
    @app.errorhandler(Frozen)
    def conflict(_exc: DomainError) -> Response:
        return problem(409)

    @app.errorhandler(ValidationFailed)
    def invalid(exc: ValidationFailed) -> Response:
        return problem(422, errors=exc.errors)

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> Response:
        app.logger.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.endpoint)
        return problem(500)


def _install_audit(app: Flask) -> None:
    # Registered after build_door's own after_request functions, so it runs before them (Flask runs
    # them in reverse): the row joins the request's transaction, or is kept if it is rolled back.
    @app.after_request
    def audit_call(response: Response) -> Response:
        child_id = (request.view_args or {}).get("child_id")
        record_api_call(
            session=request_session(),
            actor=g.get("actor"),
            child_id=child_id if isinstance(child_id, int) else None,
            route=request.url_rule.rule if request.url_rule is not None else "(no route)",
            method=request.method,
            status=response.status_code,
        )
        return response
