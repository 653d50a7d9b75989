"""Family door: turn notices on or off for this phone (static/js/push.js calls these with CSRF)."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, jsonify, request
from flask_login import current_user

from app.db import request_session
from app.errors import ValidationFailed
from app.inputs import MAX_JSON_BYTES, Input, read_json
from app.push import operations
from app.push.inputs import EndpointInput, SubscriptionInput

blueprint = Blueprint("family_push", __name__)
T = TypeVar("T", bound=Input)


def _body(model: type[T]) -> T:
    """The JSON body as `model`, bounded before it is parsed (R29)."""
    if not request.is_json or (request.content_length or 0) > MAX_JSON_BYTES:
        raise ValidationFailed({"__all__": "json"})
    return model.parse(read_json(request.get_data()))


def _refused(exc: ValidationFailed) -> tuple[Response, int]:
    # 400 when it is not JSON at all, 422 when it is JSON of the wrong shape; words a person can read.
    status = 400 if exc.errors.get("__all__") == "json" else 422
    return jsonify(errors={k: str(v) for k, v in exc.errors.items() if v != "json"}), status


@blueprint.app_context_processor
def push_settings() -> dict[str, Any]:
    """The VAPID public key the phone subscribes with ("" hides the card: push is off)."""

    def public_key() -> str:
        settings = current_app.config["SAFER_PLAN"]
        return str(settings.vapid_public_key) if settings.web_push else ""

    return {"push_public_key": public_key}


@blueprint.post("/push/subscription")
def subscribe() -> Any:
    """Keep this phone's subscription (201); the same phone again only refreshes it."""
    try:
        wanted = _body(SubscriptionInput)
        operations.subscribe(
            session=request_session(),
            actor=current_user.actor,
            settings=current_app.config["SAFER_PLAN"],
            wanted=wanted,
        )
    except ValidationFailed as exc:
        return _refused(exc)
    return jsonify(subscribed=True), 201


@blueprint.post("/push/subscription/remove")
def unsubscribe() -> Any:
    """Forget this phone's subscription; someone else's (or none) is a 404."""
    try:
        which = _body(EndpointInput)
    except ValidationFailed as exc:
        return _refused(exc)
    operations.unsubscribe(session=request_session(), actor=current_user.actor, which=which)
    return jsonify(subscribed=False), 200
