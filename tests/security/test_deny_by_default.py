"""R1: every route needs a signed-in identity except an explicit allowlist."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from app import SaferPlan
from app.family import PUBLIC_ENDPOINTS as FAMILY_PUBLIC
from app.practitioner import PUBLIC_ENDPOINTS as PRACTITIONER_PUBLIC
from tests.support.clients import make_client


def _concrete_path(rule: str) -> str:
    """Fill URL converters with plausible values (int -> 1, anything else -> a token-like string)."""
    path = re.sub(r"<int:[^>]+>", "1", rule)
    return re.sub(r"<[^>]+>", "x" * 20, path)


def _routes(app: Flask, allowlist: frozenset[str]) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in allowlist:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, _concrete_path(rule.rule)))
    return found


@pytest.mark.parametrize("door", ["family", "practitioner"])
def test_r1_anonymous_requests_are_refused_everywhere_outside_the_allowlist(
    application: SaferPlan, db: object, door: str
) -> None:
    app: Flask = getattr(application, door)
    allowlist = FAMILY_PUBLIC if door == "family" else PRACTITIONER_PUBLIC
    routes = _routes(app, allowlist)
    assert routes, "expected protected routes to check"
    client = make_client(app)
    for endpoint, method, path in routes:
        response = client.open(path, method=method)
        assert response.status_code in (302, 401), (door, endpoint, method, path, response.status_code)
        if response.status_code == 302:
            assert "/sign-in" in response.headers["Location"], (endpoint, response.headers["Location"])


def test_r1_allowlists_name_only_real_endpoints(application: SaferPlan) -> None:
    """A typo in an allowlist would silently protect nothing; every name must exist."""
    family_endpoints = {rule.endpoint for rule in application.family.url_map.iter_rules()}
    practitioner_endpoints = {rule.endpoint for rule in application.practitioner.url_map.iter_rules()}
    assert family_endpoints >= FAMILY_PUBLIC
    assert practitioner_endpoints >= PRACTITIONER_PUBLIC


def test_r1_development_sign_in_links_do_not_exist_outside_development(application: SaferPlan) -> None:
    endpoints = {rule.endpoint for rule in application.family.url_map.iter_rules()}
    assert application.settings.environment == "test"
    assert not any(endpoint.startswith("family_dev.") for endpoint in endpoints)


def test_r1_json_and_htmx_callers_get_401_not_a_redirect(family_client: object) -> None:
    response = family_client.get("/", headers={"HX-Request": "true"})  # type: ignore[attr-defined]
    assert response.status_code == 401
    assert response.is_json


def test_r1_the_api_refuses_every_route_without_a_token_but_its_document(application: SaferPlan, db: object) -> None:
    """The API door's allowlist is the OpenAPI document alone; everything else is 401 problem+json."""
    from app.api.door import PUBLIC_ENDPOINTS as API_PUBLIC

    app = application.api
    assert {rule.endpoint for rule in app.url_map.iter_rules()} >= API_PUBLIC
    routes = _routes(app, API_PUBLIC)
    assert len(routes) >= 4, "expected protected API routes to check"
    client = app.test_client()
    for endpoint, method, path in [*routes, ("(none)", "GET", "/no-such-route"), ("(none)", "PUT", "/children")]:
        response = client.open(path, method=method)
        assert response.status_code == 401, (endpoint, method, path, response.status_code)
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
