"""The templates' `url_for`, each address worked out once per door and kept.

A plan page names some thirty addresses (its forms' actions, its links, the static files it loads),
and Flask builds each one afresh: the URL adapter, the door's URL defaults (a static file's content
hash, app.web.door), the rule's builder; 4-10 µs each, about 2% of the page's instructions. An address
depends only on what it is built from: the endpoint, the values given (ids, query arguments, an
anchor) and where the door is mounted (`SCRIPT_NAME`). So each door keeps the addresses its
templates built, keyed by exactly those; nothing about the reader is in the key or the address.

Flask still builds, and nothing is kept for, an address that depends on more than that:
- one asked for in full (`_external`, `_scheme`): it names the host the request came to;
- a blueprint-relative endpoint (".plan"): it depends on the blueprint serving the request;
- values that cannot be a key (a list of query values).

The store is bounded: when it is full it starts again (ids make the set of addresses open-ended,
and a long-running process must not grow with every plan it has shown).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.globals import _cv_request

# Addresses kept per door before the store starts again: a page names some thirty, most of them
# the same on every page, the rest one child's or one statement's.
KEPT_ADDRESSES = 4096
# What makes an address depend on the request's host or scheme: built by Flask every time.
_FULL_ADDRESS = frozenset({"_external", "_scheme"})


class KeptUrlFor:
    """A `url_for` for one door's templates that keeps each address it builds (see the module)."""

    __slots__ = ("build", "kept", "limit")

    def __init__(self, app: Flask, limit: int = KEPT_ADDRESSES) -> None:
        self.build = app.url_for
        self.kept: dict[tuple[Any, ...], str] = {}
        self.limit = limit

    def __call__(self, endpoint: str, /, **values: Any) -> str:
        request_context = _cv_request.get(None)
        if request_context is None or endpoint.startswith(".") or not _FULL_ADDRESS.isdisjoint(values):
            return self.build(endpoint, **values)
        # Each value's type is in the key: True and 1 are equal keys, but Flask writes "True" and "1".
        key = (request_context.request.script_root, endpoint, *((name, type(v), v) for name, v in values.items()))
        try:
            address = self.kept.get(key)
        except TypeError:  # a value that cannot be a key (a list): Flask's own, not kept
            return self.build(endpoint, **values)
        if address is None:
            address = self.build(endpoint, **values)
            if len(self.kept) >= self.limit:
                self.kept.clear()
            self.kept[key] = address
        return address


def install(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = KeptUrlFor(app)
