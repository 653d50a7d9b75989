"""The API's reference for people: /api/v1/docs, an HTML page made from the OpenAPI document.

Rendered on the server from the same generated document clients read (never written by hand), so it
cannot drift from the contract. No script and no CDN: it works under the strict CSP (R14) like
every other page, and reads well at phone width and in a screen reader (tables with headers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Response, make_response, render_template
from flask_babel import gettext as _
from flask_openapi3 import OpenAPI

METHOD_ORDER = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    """A parameter, or a property of a body or answer, as one row of a table."""

    name: str
    where: str  # "path", "query", "header", "body" or "" for a model's property
    type: str
    required: bool
    rules: str
    description: str


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    model: str  # a component schema's name ("" when none)


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    public: bool
    parameters: list[Field]
    body: str  # the request body's component schema ("" when none)
    answers: list[Answer]


@dataclass(frozen=True)
class Model:
    """A component schema: an object's fields, or the values an enumeration allows."""

    description: str
    fields: list[Field]
    values: list[str]


@dataclass
class Section:
    name: str
    description: str
    operations: list[Operation] = field(default_factory=list)


def _ref_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else ""


def _type_of(schema: dict[str, Any]) -> str:
    if name := _ref_name(schema):
        return name
    if "anyOf" in schema:
        return _(" or ").join(_type_of(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return _("list of %(kind)s", kind=_type_of(schema.get("items", {})))
    if "enum" in schema:
        return _("one of %(values)s", values=", ".join(str(value) for value in schema["enum"]))
    kind = str(schema.get("type", "object"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _rules_of(schema: dict[str, Any]) -> str:
    """Limits in words; the text pattern (no control characters, not blank) is explained once, above."""
    rules = []
    if "minLength" in schema:
        rules.append(_("not blank"))
    if "maxLength" in schema:
        rules.append(_("at most %(n)s characters", n=schema["maxLength"]))
    if "minimum" in schema:
        rules.append(_("from %(n)s", n=int(schema["minimum"])))
    if "maximum" in schema:
        rules.append(_("up to %(n)s", n=int(schema["maximum"])))
    if "default" in schema:
        rules.append(_("default %(value)s", value=str(schema["default"]).lower()))
    return ", ".join(rules)


def _fields(schema: dict[str, Any]) -> list[Field]:
    required = set(schema.get("required", []))
    return [
        Field(
            name=name,
            where="",
            type=_type_of(prop),
            required=name in required,
            rules=_rules_of(prop),
            description=str(prop.get("description", "")),
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(path: str, method: str, spec: dict[str, Any]) -> Operation:
    parameters = [
        Field(
            name=str(p["name"]),
            where=str(p["in"]),
            type=_type_of(p.get("schema", {})),
            required=bool(p.get("required")),
            rules=_rules_of(p.get("schema", {})),
            description=str(p.get("description", "")),
        )
        for p in spec.get("parameters", [])
    ]
    body = spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    answers = []
    for status, answer in sorted(spec.get("responses", {}).items()):
        content: dict[str, Any] = next(iter(answer.get("content", {}).values()), {})
        answers.append(Answer(str(status), str(answer.get("description", "")), _ref_name(content.get("schema", {}))))
    return Operation(
        anchor=str(spec.get("operationId", f"{method}-{path}")),
        method=method.upper(),
        path=path,
        summary=str(spec.get("summary", "")),
        description=str(spec.get("description", "")),
        public=spec.get("security") == [],
        parameters=parameters,
        body=_ref_name(body),
        answers=answers,
    )


def reference(document: dict[str, Any]) -> tuple[list[Section], dict[str, Model]]:
    """The document's operations by tag (in the document's tag order), and its models' fields by name."""
    sections = {tag["name"]: Section(tag["name"], str(tag.get("description", ""))) for tag in document.get("tags", [])}
    other = Section(_("the document"), "")
    for path, methods in document.get("paths", {}).items():
        for method in METHOD_ORDER:
            if method in methods:
                spec = methods[method]
                tags = spec.get("tags") or []
                target = sections.get(tags[0], other) if tags else other
                target.operations.append(_operation(path, method, spec))
    models = {
        name: Model(str(schema.get("description", "")), _fields(schema), [str(v) for v in schema.get("enum", [])])
        for name, schema in document.get("components", {}).get("schemas", {}).items()
    }
    listed = [section for section in [*sections.values(), other] if section.operations]
    return listed, models


def install(app: OpenAPI) -> None:
    """Serve the page at /docs on the API door (public, like the document itself)."""

    def api_docs() -> Response:
        sections, models = reference(app.api_doc)
        return make_response(render_template("api/docs.html", sections=sections, models=models))

    app.add_url_rule("/docs", endpoint="api_docs", view_func=api_docs, methods=["GET"])
