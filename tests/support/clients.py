"""Test clients that behave like a browser on our pages: they send the CSRF token (CSRF stays on)."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class CsrfClient(FlaskClient):
    """Adds a valid X-CSRFToken header to unsafe requests, as app.js does for htmx and fetch."""

    send_csrf = True

    def open(self, *args: Any, **kwargs: Any) -> Any:
        method = (kwargs.get("method") or "GET").upper()
        if self.send_csrf and method in UNSAFE_METHODS:
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        """A signed token for the raw secret in this client's session (made if missing)."""
        app: Flask = self.application
        with self.session_transaction() as session:
            raw = session.get("csrf_token")
            if not raw:
                raw = secrets.token_hex(20)
                session["csrf_token"] = raw
        serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
        return str(serializer.dumps(raw))


def make_client(app: Flask) -> CsrfClient:
    app.test_client_class = CsrfClient
    client = app.test_client()
    assert isinstance(client, CsrfClient)
    return client
