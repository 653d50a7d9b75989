"""Development-only sign-in links for the demo people, printed by `make run`.

They are signed with the family door's secret and expire after a few hours. The route that
accepts them exists only in development (app.family.dev_views).
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

LINK_MAX_AGE_SECONDS = 12 * 60 * 60
_SALT = "dev-sign-in"


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def make_dev_link_token(*, secret_key: str, account_kind: str, account_id: int) -> str:
    return _serializer(secret_key).dumps({"kind": account_kind, "id": account_id})


def redeem_dev_link(*, raw_token: str, account_kind: str) -> int | None:
    """The account id a dev link names, or None if it is forged, expired or for the other door."""
    settings = current_app.config["SAFER_PLAN"]
    if not settings.is_development:
        return None
    try:
        data = _serializer(current_app.config["SECRET_KEY"]).loads(raw_token, max_age=LINK_MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("kind") != account_kind or not isinstance(data.get("id"), int):
        return None
    return int(data["id"])
