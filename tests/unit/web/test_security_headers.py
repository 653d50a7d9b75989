"""apply_security_headers in one pass: the same headers as one `setdefault` or `set` each would give."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, Response

from app.web.headers import STATIC_HEADERS, STRICT_TRANSPORT_SECURITY, apply_security_headers


class _Settings:
    def __init__(self, cookies_secure: bool) -> None:
        self.cookies_secure = cookies_secure


@pytest.fixture
def https_app() -> Iterator[Flask]:
    app = Flask(__name__)
    app.config["SAFER_PLAN"] = _Settings(cookies_secure=True)
    with app.app_context():
        yield app


def _names(response: Response) -> list[str]:
    return [name.lower() for name, _value in response.headers]


def test_an_answer_with_none_gets_each_header_once(https_app: Flask) -> None:
    response = apply_security_headers(Response("page"), no_store=True, is_static=False)
    for name, value in STATIC_HEADERS.items():
        assert response.headers.getlist(name) == [value]
    assert response.headers.getlist("Strict-Transport-Security") == [STRICT_TRANSPORT_SECURITY]
    assert response.headers.getlist("Cache-Control") == ["no-store"]
    assert response.headers.getlist("Pragma") == ["no-cache"]
    assert response.headers.getlist("Vary") == ["HX-Request, Cookie"]
    assert len(_names(response)) == len(set(_names(response)))  # nothing twice


def test_headers_the_answer_set_itself_are_kept_and_caching_is_replaced(https_app: Flask) -> None:
    response = Response("page")
    response.headers["content-security-policy"] = "default-src 'none'"  # a page's own policy, any case
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Pragma"] = "something"
    response.vary.add("HX-Request")
    response.vary.add("Accept-Encoding")
    apply_security_headers(response, no_store=True, is_static=False)
    assert response.headers.getlist("Content-Security-Policy") == ["default-src 'none'"]
    assert response.headers.getlist("Referrer-Policy") == ["same-origin"]
    assert response.headers.getlist("Cache-Control") == ["no-store"]  # no-store wins over the view's
    assert response.headers.getlist("Pragma") == ["no-cache"]
    assert response.headers.getlist("Vary") == ["HX-Request, Accept-Encoding, Cookie"]
    assert len(_names(response)) == len(set(_names(response)))


def test_a_static_answer_keeps_its_own_caching_or_is_kept_a_day(https_app: Flask) -> None:
    own = Response("file")
    own.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    apply_security_headers(own, no_store=True, is_static=True)
    assert own.headers.getlist("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert "Pragma" not in own.headers
    plain = apply_security_headers(Response("file"), no_store=True, is_static=True)
    assert plain.headers.getlist("Cache-Control") == ["public, max-age=86400"]


def test_plain_http_gets_no_strict_transport_security() -> None:
    app = Flask(__name__)
    app.config["SAFER_PLAN"] = _Settings(cookies_secure=False)
    with app.app_context():
        response = apply_security_headers(Response("page"), no_store=True, is_static=False)
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"
