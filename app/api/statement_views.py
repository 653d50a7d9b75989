"""The young person's statements in the draft ("I will / I can / I might / I need"), written over the API.

Each write calls the service the worker's "write the plan" page calls (app.drafting.operations),
with the page's own input model, so both doors leave the same rows and the same audit trail.
Changes and removals state the revision they started from as If-Match (an ETag, app.api.etags):
missing is 428, stale is 412 with the statement as it is now; nothing is ever overwritten (R24).

As on the page, the policy is asked before a refusal says anything about the input: a token whose
practitioner may not write this child's plan gets "not found" (audited), never a 422 or 428 (R2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, get_type_hints

from flask import Response, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_openapi3 import Tag
from pydantic import BaseModel, ValidationError

from app.api import queries, schemas
from app.api.etags import etag_of, stated_revision
from app.api.problems import problem, problem_response, validation_problem
from app.api.views import PROBLEMS, blueprint
from app.db import request_session
from app.drafting import operations
from app.drafting.inputs import LISTS, ItemRef, ListKey
from app.errors import Conflict, NotFound, ValidationFailed
from app.inputs import read_json
from app.plans.inputs import StatementInput
from app.plans.models import ChildStatement, PlanItem

KEY = ListKey.STATEMENTS
KIND = str(ChildStatement.__tablename__)
LIST = "/children/<int:child_id>/plan/draft/statements"
ITEM = LIST + "/<int:statement_id>"

STATEMENTS = Tag(name="statements", description="The young person's statements in the draft plan.")
_ETAG = {
    "ETag": {
        "description": "The statement's ETag: send it as If-Match to change or remove it.",
        "schema": {"type": "string"},
    }
}
_STATEMENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Statement"}}}
# OpenAPI links: what a client (and the fuzzer's stateful phase) can do next with a new statement.
_THIS_STATEMENT = {"child_id": "$request.path.child_id", "statement_id": "$response.body#/id"}
_AS_READ = {**_THIS_STATEMENT, "header.If-Match": "$response.body#/etag"}
_NEW_STATEMENT_LINKS = {
    "ReadIt": {"operationId": "getDraftStatement", "parameters": _THIS_STATEMENT},
    "ChangeIt": {"operationId": "changeDraftStatement", "parameters": _AS_READ},
    "TakeItOut": {"operationId": "removeDraftStatement", "parameters": _AS_READ},
}
WRITE_PROBLEMS: dict[str | int, Any] = {
    **PROBLEMS,
    403: problem_response("The token may only read."),
    404: problem_response("No such child, plan or statement, or not one this token's practitioner may change."),
    422: problem_response("A path value or the body was refused; `errors` says which field and why."),
}
CONDITIONAL_PROBLEMS: dict[str | int, Any] = {
    **WRITE_PROBLEMS,
    412: problem_response(
        "The statement changed since that ETag was read; `current` is how it is now.", schemas.StatementConflict
    ),
    428: problem_response("No If-Match (or `*`): state the ETag you read."),
}


def checked_in_the_view(
    *, body: type[BaseModel] | None = None, header: type[BaseModel] | None = None
) -> Callable[..., Any]:
    """Document `body` and `header` from their models, but leave checking them to the view.

    flask-openapi3 would validate the body before the view runs, answering 422 to anyone; the
    view asks the policy first instead. The path is still checked here, before the view.
    """

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        path_model: type[BaseModel] = get_type_hints(view)["path"]

        @wraps(view)
        def call(**values: Any) -> Response:
            try:
                path = path_model.model_validate(values)
            except ValidationError as exc:
                return validation_problem(exc)
            return view(path)

        documented = {"body": body, "header": header}
        call.__annotations__ = {"path": path_model, **{k: v for k, v in documented.items() if v is not None}}
        # flask-openapi3 reads this flag: it then calls the view with the raw path values alone.
        setattr(call, "__delay_validate_request__", True)  # noqa: B010  # the name flask-openapi3 looks for
        return call

    return decorate


def _answer(row: PlanItem, status: int = 200) -> Response:
    response = jsonify(schemas.Statement.model_validate(row).model_dump(mode="json"))
    response.status_code = status
    response.headers["ETag"] = etag_of(row)
    return response


def _words() -> StatementInput:
    """The body, as the page's form: only the form's fields, checked by the form's own model (R5, R29)."""
    data = read_json(request.get_data())
    if isinstance(data, Mapping):
        data = {name: data[name] for name in LISTS[KEY].fields if name in data}
    return StatementInput.parse(data)


def _may_change(child_id: int, statement_id: int | None = None) -> PlanItem | None:
    """Before a refusal: the policy (and the statement in the draft), else "not found", audited (R2)."""
    db = request_session()
    draft = operations.writable_draft(session=db, actor=g.actor, child_id=child_id)
    return None if statement_id is None else operations.item_in_draft(db, draft, KEY, statement_id)


def _no_if_match() -> bool:
    return not request.headers.get("If-Match", "").strip() or request.if_match.star_tag


def _stated(path: schemas.StatementPath) -> ItemRef:
    """The statement and the revision the If-Match names (NO_REVISION if none: then it is stale)."""
    revision = stated_revision(request.if_match, KIND, path.statement_id)
    return ItemRef(item_id=path.statement_id, expected_revision=revision)


def _precondition_required(path: schemas.StatementPath) -> Response:
    _may_change(path.child_id, path.statement_id)
    return problem(428, detail=_("Send If-Match with the statement's ETag, as you last read it."))


def _changed_meanwhile(path: schemas.StatementPath) -> Response:
    """412 with the statement as saved now (NotFound if it was taken out meanwhile: then it is gone)."""
    current = _may_change(path.child_id, path.statement_id)
    if current is None:  # not reached: a statement id was given, and a missing one raised NotFound
        raise NotFound()
    body = schemas.Statement.model_validate(current).model_dump(mode="json")
    return problem(
        412,
        detail=_("The statement changed since you read it. Nothing was saved: compare, then send its new ETag."),
        extensions={"current": body},
        headers={"ETag": etag_of(current)},
    )


@blueprint.get(
    ITEM,
    operation_id="getDraftStatement",
    tags=[STATEMENTS],
    summary="One statement of the draft, with its ETag",
    responses={200: {"description": "The statement.", "headers": _ETAG, "content": _STATEMENT}, **PROBLEMS},
)
def statement(path: schemas.StatementPath) -> Response:
    """A statement of the current draft; its ETag header (and `etag`) is what a change states as If-Match."""
    row = queries.draft_statement(
        session=request_session(), actor=g.actor, child_id=path.child_id, statement_id=path.statement_id
    )
    return _answer(row)


@blueprint.post(
    LIST,
    operation_id="addDraftStatement",
    tags=[STATEMENTS],
    summary="Add a statement to the draft",
    responses={
        201: {
            "description": "Added, at the end of its list.",
            "headers": {**_ETAG, "Location": {"description": "The new statement.", "schema": {"type": "string"}}},
            "content": _STATEMENT,
            "links": _NEW_STATEMENT_LINKS,
        },
        **WRITE_PROBLEMS,
    },
)
@checked_in_the_view(body=schemas.StatementBody)
def add_statement(path: schemas.ChildPath) -> Response:
    """Add "I will / I can / I might / I need" for every day or an emergency (needs a read and change token)."""
    try:
        words = _words()
    except ValidationFailed:
        _may_change(path.child_id)
        raise
    row = operations.add_item(session=request_session(), actor=g.actor, child_id=path.child_id, key=KEY, item=words)
    response = _answer(row, 201)
    response.headers["Location"] = url_for(
        "api_v1.statement", child_id=path.child_id, statement_id=getattr(row, "id", None)
    )
    return response


@blueprint.put(
    ITEM,
    operation_id="changeDraftStatement",
    tags=[STATEMENTS],
    summary="Change a statement of the draft (If-Match required)",
    responses={200: {"description": "Changed.", "headers": _ETAG, "content": _STATEMENT}, **CONDITIONAL_PROBLEMS},
)
@checked_in_the_view(body=schemas.StatementBody, header=schemas.IfMatch)
def change_statement(path: schemas.StatementPath) -> Response:
    """New words for a statement (every field: a missing `own_words` is false), if it is as you read it."""
    if _no_if_match():
        return _precondition_required(path)
    try:
        words = _words()
    except ValidationFailed:
        _may_change(path.child_id, path.statement_id)
        raise
    ref = _stated(path)
    try:
        row = operations.change_item(
            session=request_session(), actor=g.actor, child_id=path.child_id, key=KEY, ref=ref, item=words
        )
    except Conflict:
        return _changed_meanwhile(path)
    return _answer(row)


@blueprint.delete(
    ITEM,
    operation_id="removeDraftStatement",
    tags=[STATEMENTS],
    summary="Take a statement out of the draft (If-Match required)",
    responses={204: None, **CONDITIONAL_PROBLEMS},
)
@checked_in_the_view(header=schemas.IfMatch)
def remove_statement(path: schemas.StatementPath) -> Response:
    """Take it out of the draft, if it is as you read it; agreed versions keep their copy."""
    if _no_if_match():
        return _precondition_required(path)
    ref = _stated(path)
    try:
        operations.remove_item(session=request_session(), actor=g.actor, child_id=path.child_id, key=KEY, ref=ref)
    except Conflict:
        return _changed_meanwhile(path)
    return Response(status=204)
