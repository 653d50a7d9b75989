"""A phone's push subscription as the browser gives it (PushSubscription.toJSON())."""

from __future__ import annotations

import re
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BaseModel, ConfigDict

from app.inputs import Input
from app.push.models import ENDPOINT_MAX

# base64url without padding (RFC 7515); the browser sends the keys this way.
_B64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def _endpoint(value: str) -> str:
    if not value.isascii() or len(value) > ENDPOINT_MAX or any(c.isspace() or ord(c) < 0x20 for c in value):
        raise ValueError("not an address")
    return value


def _key(length: int) -> AfterValidator:
    """A base64url key that decodes to exactly `length` bytes."""

    def check(value: str) -> str:
        bare = value.rstrip("=")
        if not _B64URL.fullmatch(value) or len(bare) * 6 // 8 != length:
            raise ValueError("not a key")
        return bare

    return AfterValidator(check)


class _Keys(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)

    # The phone's P-256 public key (65 bytes, uncompressed) and its 16-byte auth secret (RFC 8291).
    p256dh: Annotated[str, _key(65)]
    auth: Annotated[str, _key(16)]


class SubscriptionInput(Input):
    """`{"endpoint": "https://…", "keys": {"p256dh": "…", "auth": "…"}}`; anything else is ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)
    messages = {
        "endpoint": _l("This phone gave an address notices cannot be sent to."),
        "keys": _l("This phone did not give the keys notices need."),
    }

    endpoint: Annotated[str, AfterValidator(_endpoint)]
    keys: _Keys


class EndpointInput(Input):
    """Which subscription to turn off: its endpoint."""

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)
    messages = {"endpoint": _l("This phone gave an address notices cannot be sent to.")}

    endpoint: Annotated[str, AfterValidator(_endpoint)]
