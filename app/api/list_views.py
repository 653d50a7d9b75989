"""The draft's other lists (actions, contacts, parental responsibility, commitments, agency actions,
network, places), written over the API as the statements are (app.api.statement_views).

One table names each list's path, operationIds and response model; `_register` puts the same four
routes on the blueprint for each. Every write calls the service the "write the plan" page calls
(app.drafting.operations) with the page's own input model, so both doors leave the same rows and
audit trail. Changes and removals state the revision read as If-Match: missing is 428, stale is 412
with the item as it is now (R24). The policy is asked before any refusal about the input (R2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Response, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_openapi3 import Tag
from pydantic import BaseModel

from app.api import queries, schemas
from app.api.etags import etag_of, stated_revision
from app.api.problems import Problem, problem, problem_response
from app.api.statement_views import checked_in_the_view
from app.api.views import PROBLEMS, blueprint
from app.db import request_session
from app.drafting import operations
from app.drafting.inputs import LISTS, ItemRef, ListKey
from app.errors import Conflict, NotFound, ValidationFailed
from app.inputs import Input, read_json
from app.plans.models import PlanItem


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


def _no_if_match() -> bool:
    return not request.headers.get("If-Match", "").strip() or request.if_match.star_tag


class _Routes:
    """The four operations on one list; each method is a view once `_register` names and decorates it."""

    def __init__(self, api_list: ApiList) -> None:
        self.key = api_list.key
        self.kind = str(LISTS[api_list.key].model.__tablename__)
        self.row = schemas.LIST_ROWS[api_list.key]
        self.endpoint = api_list.endpoint

    def answer(self, row: PlanItem, status: int = 200) -> Response:
        response = jsonify(self.row.model_validate(row).model_dump(mode="json"))
        response.status_code = status
        response.headers["ETag"] = etag_of(row)
        return response

    def words(self) -> Input:
        """The body, as the page's form: only the form's fields, checked by the form's own model (R5, R29)."""
        spec = LISTS[self.key]
        data = read_json(request.get_data())
        if isinstance(data, Mapping):
            data = {name: data[name] for name in spec.fields if name in data}
        return spec.input.parse(data)

    def may_change(self, child_id: int, item_id: int | None = None) -> PlanItem | None:
        """Before a refusal: the policy (and the item in the draft), else "not found", audited (R2)."""
        db = request_session()
        draft = operations.writable_draft(session=db, actor=g.actor, child_id=child_id)
        return None if item_id is None else operations.item_in_draft(db, draft, self.key, item_id)

    def stated(self, path: schemas.ItemPath) -> ItemRef:
        revision = stated_revision(request.if_match, self.kind, path.item_id)
        return ItemRef(item_id=path.item_id, expected_revision=revision)

    def precondition_required(self, path: schemas.ItemPath) -> Response:
        self.may_change(path.child_id, path.item_id)
        return problem(428, detail=_("Send If-Match with the item's ETag, as you last read it."))

    def changed_meanwhile(self, path: schemas.ItemPath) -> Response:
        current = self.may_change(path.child_id, path.item_id)
        if current is None:  # not reached: an item id was given, and a missing one raised NotFound
            raise NotFound()
        return problem(
            412,
            detail=_("The item changed since you read it. Nothing was saved: compare, then send its new ETag."),
            extensions={"current": self.row.model_validate(current).model_dump(mode="json")},
            headers={"ETag": etag_of(current)},
        )

    def read(self, path: schemas.ItemPath) -> Response:
        row = queries.draft_item(
            session=request_session(), actor=g.actor, child_id=path.child_id, key=self.key, item_id=path.item_id
        )
        return self.answer(row)

    def add(self, path: schemas.ChildPath) -> Response:
        try:
            words = self.words()
        except ValidationFailed:
            self.may_change(path.child_id)
            raise
        row = operations.add_item(
            session=request_session(), actor=g.actor, child_id=path.child_id, key=self.key, item=words
        )
        response = self.answer(row, 201)
        response.headers["Location"] = url_for(
            f"api_v1.{self.endpoint}", child_id=path.child_id, item_id=getattr(row, "id", None)
        )
        return response

    def change(self, path: schemas.ItemPath) -> Response:
        if _no_if_match():
            return self.precondition_required(path)
        try:
            words = self.words()
        except ValidationFailed:
            self.may_change(path.child_id, path.item_id)
            raise
        try:
            row = operations.change_item(
                session=request_session(),
                actor=g.actor,
                child_id=path.child_id,
                key=self.key,
                ref=self.stated(path),
                item=words,
            )
        except Conflict:
            return self.changed_meanwhile(path)
        return self.answer(row)

    def remove(self, path: schemas.ItemPath) -> Response:
        if _no_if_match():
            return self.precondition_required(path)
        try:
            operations.remove_item(
                session=request_session(), actor=g.actor, child_id=path.child_id, key=self.key, ref=self.stated(path)
            )
        except Conflict:
            return self.changed_meanwhile(path)
        return Response(status=204)


def _view(name: str, method: Callable[[Any], Response], path_model: type[BaseModel], doc: str) -> Callable[..., Any]:
    """A plain function for `method`: flask-openapi3 names the endpoint after it and reads its `path` hint."""

    def view(path: Any) -> Response:
        return method(path)

    view.__name__ = view.__qualname__ = name
    view.__doc__ = doc
    view.__annotations__ = {"path": path_model, "return": Response}
    return view


def _register(api_list: ApiList) -> None:
    routes = _Routes(api_list)
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
