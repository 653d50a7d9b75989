"""RFC 9457 problem details: every refusal or failure of the API door, in one shape."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, g
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, ValidationError

PROBLEM_JSON = "application/problem+json"
# `Allow` on 405, `WWW-Authenticate` on 401, `Retry-After` on 429: kept from werkzeug's exceptions.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")
WWW_AUTHENTICATE = 'Bearer realm="api"'


class Problem(BaseModel):
    """A problem detail (RFC 9457). `errors` names, per field, what to change (on 422 only)."""

    model_config = ConfigDict(extra="forbid")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: dict[str, str] | None = None


def problem_response(description: str, model: type[BaseModel] = Problem) -> dict[str, Any]:
    """An OpenAPI response object for a problem answer (flask-openapi3 would say application/json).

    A model other than Problem must be added to the document's schemas (app.api.door does).
    """
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"description": description, "content": {PROBLEM_JSON: {"schema": schema}}}


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("A valid token is needed"),
        403: _("Not allowed with this token"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        412: _("Changed since you read it"),
        413: _("Too large"),
        422: _("Invalid input"),
        428: _("Precondition required"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


def problem(
    status: int,
    *,
    detail: str | None = None,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> Response:
    """A problem+json answer. Nothing from the request goes into it (R22), only what to change.

    `extensions` are members beside the standard ones (RFC 9457 §3.2), such as a 412's `current`:
    made JSON-ready by the caller, before this rolls the session back.
    """
    session = g.get("db_session")
    if session is not None:
        # As for the web doors' error pages: start clean; the door writes what must be kept afterwards.
        session.rollback()
    body = Problem(
        title=_titles().get(status, _("Error")),
        status=status,
        detail=detail,
        errors={name: str(message) for name, message in errors.items()} if errors else None,
    )
    document = {**body.model_dump(exclude_none=True), **(extensions or {})}
    response = Response(json.dumps(document, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def validation_problem(exc: ValidationError) -> Response:
    """flask-openapi3's refusal of a path or query value, as a 422 problem naming each field."""
    errors: dict[str, Any] = {}
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "__all__"
        errors.setdefault(field, _message(error["type"], error.get("ctx") or {}))
    return problem(422, errors=errors)


def _message(code: str, context: dict[str, Any]) -> str:
    if code == "less_than_equal":
        return _("Use a number no bigger than %(n)s.", n=context.get("le", 0))
    if code == "greater_than_equal":
        return _("Use a number no smaller than %(n)s.", n=context.get("ge", 0))
    if code in ("int_parsing", "int_type", "int_from_float"):
        return _("Use a whole number.")
    if code == "extra_forbidden":
        return _("This parameter is not known here: leave it out.")
    return _("Check this and try again.")
