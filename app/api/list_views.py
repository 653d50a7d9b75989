"""The draft's other lists (actions, contacts, parental responsibility, commitments, agency actions,
network, places), written over the API as the statements are (app.api.statement_views).

One table names each list's path, operationIds and response model; `_register` documents the same
four routes for each, whose bodies are app.api.draft_items.ItemRoutes (the statements' too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response
from flask_openapi3 import Tag
from pydantic import BaseModel

from app.api import schemas
from app.api.draft_items import ItemRoutes, checked_in_the_view
from app.api.problems import Problem, problem_response
from app.api.views import PROBLEMS, blueprint
from app.drafting.inputs import LISTS, ListKey


@dataclass(frozen=True)
class ApiList:
    """One list as the API names it: path segment, operationId noun, endpoint noun, tag."""

    key: ListKey
    segment: str  # in the path, hyphenated
    noun: str  # in operationIds: addDraft<noun>
    endpoint: str  # in endpoint names: api_v1.add_<endpoint>
    description: str


API_LISTS = (
    ApiList(ListKey.ACTIONS, "actions", "Action", "draft_action", "The plan's actions: who does what, and why."),
    ApiList(ListKey.CONTACTS, "contacts", "Contact", "draft_contact", "Who to call in an emergency."),
    ApiList(
        ListKey.PARENTAL_RESPONSIBILITY,
        "parental-responsibility",
        "ParentalResponsibility",
        "draft_parental_responsibility",
        "Who holds parental responsibility, and who may make decisions.",
    ),
    ApiList(ListKey.COMMITMENTS, "commitments", "Commitment", "draft_commitment", "What carers commit to do."),
    ApiList(
        ListKey.AGENCY_ACTIONS,
        "agency-actions",
        "AgencyAction",
        "draft_agency_action",
        "What agencies do to keep the young person safe or disrupt harm.",
    ),
    ApiList(ListKey.NETWORK, "network", "NetworkPerson", "draft_network_person", "The young person's network."),
    ApiList(ListKey.PLACES, "places", "Place", "draft_place", "Places that are safe, or not."),
)

_ETAG = {
    "ETag": {
        "description": "The item's ETag: send it as If-Match to change or remove it.",
        "schema": {"type": "string"},
    }
}
WRITE_PROBLEMS: dict[str | int, Any] = {
    **PROBLEMS,
    403: problem_response("The token may only read."),
    404: problem_response("No such child, plan or item, or not one this token's practitioner may change."),
    422: problem_response("A path value or the body was refused; `errors` says which field and why."),
}


def _conditional(conflict: type[Problem]) -> dict[str | int, Any]:
    return {
        **WRITE_PROBLEMS,
        412: problem_response("The item changed since that ETag was read; `current` is how it is now.", conflict),
        428: problem_response("No If-Match (or `*`): state the ETag you read."),
    }


def _view(name: str, method: Callable[[Any], Response], path_model: type[BaseModel], doc: str) -> Callable[..., Any]:
    """A plain function for `method`: flask-openapi3 names the endpoint after it and reads its `path` hint."""

    def view(path: Any) -> Response:
        return method(path)

    view.__name__ = view.__qualname__ = name
    view.__doc__ = doc
    view.__annotations__ = {"path": path_model, "return": Response}
    return view


def _register(api_list: ApiList) -> None:
    routes = ItemRoutes(api_list.key, endpoint=api_list.endpoint)
    noun, name = api_list.noun, api_list.endpoint
    body = schemas.body_of(LISTS[api_list.key])
    conflict = schemas.LIST_CONFLICTS[api_list.key]
    tag = Tag(name=api_list.segment, description=api_list.description)
    collection = f"/children/<int:child_id>/plan/draft/{api_list.segment}"
    item = collection + "/<int:item_id>"
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{routes.row.__name__}"}}}
    this = {"child_id": "$request.path.child_id", "item_id": "$response.body#/id"}
    as_read = {**this, "header.If-Match": "$response.body#/etag"}
    links = {
        "ReadIt": {"operationId": f"getDraft{noun}", "parameters": this},
        "ChangeIt": {"operationId": f"changeDraft{noun}", "parameters": as_read},
        "TakeItOut": {"operationId": f"removeDraft{noun}", "parameters": as_read},
    }
    blueprint.get(
        item,
        operation_id=f"getDraft{noun}",
        tags=[tag],
        summary="One item of the draft's list, with its ETag",
        responses={200: {"description": "The item.", "headers": _ETAG, "content": content}, **PROBLEMS},
    )(_view(name, routes.read, schemas.ItemPath, "An item of the current draft; its ETag is what a change states."))
    blueprint.post(
        collection,
        operation_id=f"addDraft{noun}",
        tags=[tag],
        summary="Add an item to the draft's list",
        responses={
            201: {
                "description": "Added, at the end of its list.",
                "headers": {**_ETAG, "Location": {"description": "The new item.", "schema": {"type": "string"}}},
                "content": content,
                "links": links,
            },
            **WRITE_PROBLEMS,
        },
    )(
        checked_in_the_view(body=body)(
            _view(f"add_{name}", routes.add, schemas.ChildPath, "Add an item (needs a read and change token).")
        )
    )
    blueprint.put(
        item,
        operation_id=f"changeDraft{noun}",
        tags=[tag],
        summary="Change an item of the draft's list (If-Match required)",
        responses={200: {"description": "Changed.", "headers": _ETAG, "content": content}, **_conditional(conflict)},
    )(
        checked_in_the_view(body=body, header=schemas.IfMatch)(
            _view(f"change_{name}", routes.change, schemas.ItemPath, "New words for every field, if it is as read.")
        )
    )
    blueprint.delete(
        item,
        operation_id=f"removeDraft{noun}",
        tags=[tag],
        summary="Take an item out of the draft's list (If-Match required)",
        responses={204: None, **_conditional(conflict)},
    )(
        checked_in_the_view(header=schemas.IfMatch)(
            _view(f"remove_{name}", routes.remove, schemas.ItemPath, "Take it out, if it is as read.")
        )
    )


for _api_list in API_LISTS:
    _register(_api_list)
