"""What every write of a draft list over the API shares: statements (app.api.statement_views) and
the other lists (app.api.list_views) alike.

Each write calls the service the "write the plan" page calls (app.drafting.operations) with the
page's own input model, so both doors leave the same rows and the same audit trail. Changes and
removals state the revision read as If-Match (an ETag, app.api.etags): missing is 428, stale is 412
with the item as it is now; nothing is ever overwritten (R24). The policy is asked before any refusal
says anything about the input: a token whose practitioner may not write this child's plan gets "not
found" (audited), never a 422 or 428 (R2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, get_type_hints

from flask import Response, g, jsonify, request, url_for
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

from app.api import queries, schemas
from app.api.etags import etag_of, stated_revision
from app.api.problems import problem, validation_problem
from app.db import request_session
from app.drafting import operations
from app.drafting.inputs import LISTS, ItemRef, ListKey
from app.errors import Conflict, NotFound, ValidationFailed
from app.inputs import Input, read_json
from app.plans.models import PlanItem


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


def no_if_match() -> bool:
    return not request.headers.get("If-Match", "").strip() or request.if_match.star_tag


def precondition_refused(may_change: Callable[[], object], missing: str) -> Response | None:
    """The If-Match a change states, checked before anything is compared: none (or `*`) is 428 with
    `missing` in words; one the contract refuses (longer than schemas.IfMatch allows) is 422. Either
    answer only after `may_change` (the policy, audited) lets this caller change the thing (R2)."""
    if no_if_match():
        may_change()
        return problem(428, detail=missing)
    try:
        schemas.IfMatch.model_validate({"If-Match": request.headers.get("If-Match", "")})
    except ValidationError as exc:
        may_change()
        return validation_problem(exc)
    return None


class ItemRoutes:
    """The four operations on one list of the draft; each method is the body of a view that
    app.api.statement_views or app.api.list_views names and documents.

    `endpoint` is the read view's endpoint and `id_param` its item parameter, for the Location of a
    new item.
    """

    def __init__(self, key: ListKey, *, endpoint: str, id_param: str = "item_id") -> None:
        self.key = key
        self.kind = str(LISTS[key].model.__tablename__)
        self.row = schemas.LIST_ROWS[key]
        self.endpoint = endpoint
        self.id_param = id_param

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

    def precondition_refused(self, path: schemas.ItemPath) -> Response | None:
        return precondition_refused(
            lambda: self.may_change(path.child_id, path.item_id),
            _("Send If-Match with the item's ETag, as you last read it."),
        )

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
            f"api_v1.{self.endpoint}", child_id=path.child_id, **{self.id_param: getattr(row, "id", None)}
        )
        return response

    def change(self, path: schemas.ItemPath) -> Response:
        refused = self.precondition_refused(path)
        if refused is not None:
            return refused
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
        refused = self.precondition_refused(path)
        if refused is not None:
            return refused
        try:
            operations.remove_item(
                session=request_session(), actor=g.actor, child_id=path.child_id, key=self.key, ref=self.stated(path)
            )
        except Conflict:
            return self.changed_meanwhile(path)
        return Response(status=204)
