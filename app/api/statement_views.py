"""The young person's statements in the draft ("I will / I can / I might / I need"), written over the API.

Their own paths (`statement_id`), operationIds and words in the contract; the bodies are every
list's (app.api.draft_items: the page's services and input models, If-Match, the policy first).
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_openapi3 import Tag

from app.api import schemas
from app.api.draft_items import ItemRoutes, checked_in_the_view
from app.api.problems import problem_response
from app.api.views import PROBLEMS, blueprint
from app.drafting.inputs import ListKey

KEY = ListKey.STATEMENTS
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


# The four operations' bodies: the same as every other list's (app.api.draft_items).
ROUTES = ItemRoutes(KEY, endpoint="statement", id_param="statement_id")


def _item(path: schemas.StatementPath) -> schemas.ItemPath:
    return schemas.ItemPath(child_id=path.child_id, item_id=path.statement_id)


@blueprint.get(
    ITEM,
    operation_id="getDraftStatement",
    tags=[STATEMENTS],
    summary="One statement of the draft, with its ETag",
    responses={200: {"description": "The statement.", "headers": _ETAG, "content": _STATEMENT}, **PROBLEMS},
)
def statement(path: schemas.StatementPath) -> Response:
    """A statement of the current draft; its ETag header (and `etag`) is what a change states as If-Match."""
    return ROUTES.read(_item(path))


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
    return ROUTES.add(path)


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
    return ROUTES.change(_item(path))


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
    return ROUTES.remove(_item(path))
