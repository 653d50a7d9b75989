"""R13: HSTS on every answer of an https origin; R11/R30 behind a proxy: whom a request counts against."""

from __future__ import annotations

import dataclasses
import os

import pytest

from app import SaferPlan, create_app
from app.config import ConfigError, load_settings
from app.db import Database, make_engine
from app.web.limits import client_address, family_limiter, practitioner_limiter
from tests.support.clients import CsrfClient, make_client


@pytest.fixture
def https_app(application: SaferPlan) -> SaferPlan:
    """Both doors on an https origin (test mode, so no Redis is needed); its own empty database."""
    env = {
        **os.environ,
        "SAFER_PLAN_ENV": "test",
        "PUBLIC_ORIGIN": "https://plans.example.org",
        # The suite's own keys: the field cipher is process-wide, a fresh key would strand later tests.
        "FIELD_ENCRYPTION_KEYS": ",".join(application.settings.field_encryption_keys),
    }
    return create_app(load_settings(env), Database(make_engine("sqlite://")))


def test_r13_hsts_on_every_answer_of_an_https_origin(https_app: SaferPlan) -> None:
    """Pages, static files, 404s and 405s of both doors: after one visit, never plain http."""
    answers = []
    for door in (https_app.family, https_app.practitioner):
        client = door.test_client()
        for method, path in (("GET", "/sign-in"), ("GET", "/no-such-page"), ("DELETE", "/sign-in")):
            answers.append(client.open(path, method=method, base_url="https://plans.example.org"))
    static = https_app.family.test_client().get("/static/css/base.css", base_url="https://plans.example.org")
    answers.append(static)
    try:
        assert {answer.status_code for answer in answers} == {200, 404, 405}
        for answer in answers:
            assert answer.headers.get("Strict-Transport-Security") == "max-age=63072000", answer.request.path
    finally:
        static.close()
        https_app.database.engine.dispose()


def test_r13_no_hsts_on_a_plain_http_development_origin(family_client: CsrfClient) -> None:
    """http://localhost (make run) says nothing about https: browsers ignore it there anyway, and a
    pin on localhost would follow a developer to every other local project."""
    assert "Strict-Transport-Security" not in family_client.get("/sign-in").headers


def _address(app: SaferPlan, peer: str, forwarded: str | None) -> str:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    with app.family.test_request_context("/sign-in", headers=headers, environ_base={"REMOTE_ADDR": peer}):
        return client_address()


def test_r30_behind_a_trusted_proxy_each_phone_has_its_own_count(application: SaferPlan) -> None:
    """Behind a proxy every request comes from the proxy: without TRUSTED_PROXIES all phones would
    share one count (five wrong passwords anywhere would lock everyone out for a minute). The
    address counted is the one the proxy added, last in X-Forwarded-For; what a client wrote
    before it, or sends straight to the app, is not believed."""
    settings = dataclasses.replace(application.settings, trusted_proxies=("10.0.0.5",))
    behind = create_app(settings, application.database)
    try:
        assert _address(behind, "10.0.0.5", "192.0.2.7") == "192.0.2.7"
        assert _address(behind, "10.0.0.5", "203.0.113.9, 192.0.2.7") == "192.0.2.7"  # first one made up
        assert _address(behind, "10.0.0.5", "not an address") == "10.0.0.5"
        assert _address(behind, "10.0.0.5", None) == "10.0.0.5"
        assert _address(behind, "198.51.100.3", "192.0.2.7") == "198.51.100.3"  # not through the proxy
        assert _address(application, "10.0.0.5", "192.0.2.7") == "10.0.0.5"  # no proxy trusted
    finally:
        family_limiter.reset()
        practitioner_limiter.reset()


def test_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        load_settings({"SAFER_PLAN_ENV": "test", "TRUSTED_PROXIES": "proxy.internal"})
    settings = load_settings({"SAFER_PLAN_ENV": "test", "TRUSTED_PROXIES": "10.0.0.5, ::1"})
    assert settings.trusted_proxies == ("10.0.0.5", "::1")


def _wrong_password(client: CsrfClient, peer: str, forwarded: str) -> int:
    answer = client.post(
        "/sign-in",
        data={"email": "nobody@example.org", "password": "wrong"},
        headers={"X-Forwarded-For": forwarded},
        environ_base={"REMOTE_ADDR": peer},
    )
    return int(answer.status_code)


def test_r30_the_sign_in_limit_counts_each_phone_behind_a_trusted_proxy(application: SaferPlan, db: object) -> None:
    """The real limiter, not only its key: behind the proxy in TRUSTED_PROXIES, five wrong passwords
    from one phone lock that phone out, not the next one; with no proxy trusted, a made-up
    X-Forwarded-For changes nothing (every attempt counts against the address that connected)."""
    settings = dataclasses.replace(application.settings, trusted_proxies=("10.0.0.5",))
    behind = create_app(settings, application.database)
    try:
        client = make_client(behind.practitioner)
        assert {_wrong_password(client, "10.0.0.5", "192.0.2.7") for _ in range(5)} == {401}
        assert _wrong_password(client, "10.0.0.5", "192.0.2.7") == 429
        assert _wrong_password(client, "10.0.0.5", "192.0.2.8") == 401  # another phone, its own count
        practitioner_limiter.reset()
        direct = make_client(application.practitioner)
        assert {_wrong_password(direct, "198.51.100.3", f"192.0.2.{n}") for n in range(5)} == {401}
        assert _wrong_password(direct, "198.51.100.3", "192.0.2.99") == 429  # the forged header is not believed
    finally:
        family_limiter.reset()
        practitioner_limiter.reset()
