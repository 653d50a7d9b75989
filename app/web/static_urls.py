"""The templates' `url_for('static', filename=...)`, each file's address worked out once.

Every page names some ten static files (style sheets, scripts, icons), and Flask builds each
address afresh: the URL adapter, the door's URL defaults (the content hash, app.web.door), the
rule's builder; about 5 µs a file. A static file's address depends only on the file (its hash is
itself worked out once per process) and on where the door is mounted, so it is kept, per door,
keyed by the mount point (`SCRIPT_NAME`) too. Every other `url_for` is Flask's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.globals import _cv_request

# More than the static files the templates name (they name them in literal strings): a bound, not a size.
KEPT_ADDRESSES = 256


def static_url_for(app: Flask) -> Callable[..., str]:
    """A `url_for` for `app`'s templates that keeps each static file's address."""
    kept: dict[tuple[str, str], str] = {}
    build = app.url_for

    def url_for(endpoint: str, /, **values: Any) -> str:
        request_context = _cv_request.get(None)
        if endpoint != "static" or request_context is None or values.keys() != {"filename"}:
            return build(endpoint, **values)
        key = (request_context.request.script_root, str(values["filename"]))
        address = kept.get(key)
        if address is None:
            address = build(endpoint, **values)
            if len(kept) < KEPT_ADDRESSES:
                kept[key] = address
        return address

    return url_for


def install(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = static_url_for(app)
