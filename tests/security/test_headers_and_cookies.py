"""R13-R15 and R22: cookies, caching and security headers on every response, errors included."""

from __future__ import annotations

import os

import pytest
from flask import Flask
from sqlmodel import Session

from app import SaferPlan, create_app
from app.config import load_settings
from app.db import Database
from tests.factories import plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient, make_client

REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _assert_security_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for name, value in REQUIRED.items():
        assert headers[name] == value


def test_r15_headers_on_pages_404s_and_static(family_client: CsrfClient, practitioner_client: CsrfClient) -> None:
    for client, path in [
        (family_client, "/sign-in"),
        (family_client, "/no-such-page"),
        (family_client, "/static/css/base.css"),
        (practitioner_client, "/sign-in"),
        (practitioner_client, "/no-such-page"),
    ]:
        response = client.get(path)
        _assert_security_headers(response)
        response.close()  # static files are streamed from an open file


def test_r14_practitioner_pages_are_never_cached(as_worker: CsrfClient, db: Session, case: Case) -> None:
    plans.agreed_plan(db, case.child, plans.statement("text Mum when I leave school"), by=case.worker)
    for path in ["/", f"/children/{case.child_id}", f"/children/{case.child_id}/versions/1"]:
        response = as_worker.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert "HX-Request" in response.headers["Vary"]


def test_r13_each_door_sets_its_own_strict_httponly_cookie(
    family_client: CsrfClient, practitioner_client: CsrfClient
) -> None:
    family = family_client.get("/sign-in").headers.get_all("Set-Cookie")
    practitioner = practitioner_client.get("/sign-in").headers.get_all("Set-Cookie")
    assert family and practitioner
    family_names = {cookie.split("=", 1)[0] for cookie in family}
    practitioner_names = {cookie.split("=", 1)[0] for cookie in practitioner}
    assert family_names.isdisjoint(practitioner_names)
    for cookie in family + practitioner:
        assert "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie


def _https_app(keys: tuple[str, ...]) -> SaferPlan:
    # The suite's own field keys: FieldCipher is process-wide, and a fresh key would strand later tests.
    env = {
        **os.environ,
        "SAFER_PLAN_ENV": "test",
        "PUBLIC_ORIGIN": "https://plans.example.org",
        "FIELD_ENCRYPTION_KEYS": ",".join(keys),
    }
    settings = load_settings(env)
    from app.db import make_engine

    return create_app(settings, Database(make_engine("sqlite://")))


def test_r13_cookies_are_secure_with_host_prefix_over_https(application: SaferPlan) -> None:
    https = _https_app(application.settings.field_encryption_keys)
    for app in (https.family, https.practitioner):
        response = app.test_client().get("/sign-in", base_url="https://plans.example.org")
        for cookie in response.headers.get_all("Set-Cookie"):
            assert cookie.startswith("__Host-")
            assert "Secure" in cookie


@pytest.fixture
def exploding_app(application: SaferPlan) -> Flask:
    """A fresh door with one extra route whose permission check raises."""
    fresh = create_app(application.settings, application.database)

    def broken_permission_check() -> str:
        raise RuntimeError("permission backend down: secret-canary-value")

    fresh.family.add_url_rule("/__explode", "explode", broken_permission_check)
    return fresh.family


def test_r22_an_exception_fails_closed_with_a_generic_page(exploding_app: Flask, as_young_person: CsrfClient) -> None:
    client = make_client(exploding_app)
    with as_young_person.session_transaction() as signed_in, client.session_transaction() as target:
        target.update(signed_in)
    response = client.get("/__explode")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret-canary-value" not in body
    assert "Traceback" not in body
    _assert_security_headers(response)
