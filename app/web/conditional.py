"""Conditional GET for personal pages: a repeat visit to an unchanged page costs a 304, not the page.

A page that opts in names everything it is made from (the plan's revision, the reader, their
sharing, their settings); `page_etag` adds what every page shares and hashes it all, so the tag
says nothing of what went into it.

The page still goes out `no-store`: the browser's own cache never holds a plan (R17: the only copy
on the phone is the offline copy the young person chose). A page kept `private, no-cache` would be
shown again by Back after the phone locked itself, and would outlive a revoked phone; an exploiter
holding the phone must find nothing there. So only a caller that keeps the page itself asks with
If-None-Match: the offline copy (static/js/offline.js) sends the tag of the copy it holds, and an
unchanged plan costs a 304 of a few hundred bytes.

The tag is weak (W/"..."): the page is compressed on the way out (Flask-Compress), and a weak tag
stays the same whichever encoding the bytes went in.

What every page shares:
- the release: a changed template, static file or catalog changes the HTML without changing data;
- the reader's sign-in session, and the CSRF secret in their cookie: a kept page's forms carry a
  token made from that secret (WTF_CSRF_TIME_LIMIT is None: it lasts as long as the secret, and
  the server-side session bounds that), so a new secret must mean a new page, never a 304 whose
  old token would be refused;
- the language and the path asked for (?add=, ?done= open forms and show statuses), and whether
  htmx asked for a part.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from flask import Response, current_app, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

_APP = Path(__file__).resolve().parent.parent


@cache
def release() -> str:
    """What this deploy's pages are made with: every template, static file and catalog (name, size,
    time), hashed once per process. Two workers of one deploy agree; a new deploy differs."""
    digest = hashlib.sha256()
    roots = (_APP / "templates", _APP / "static", _APP.parent / "translations")
    for root in roots:
        for folder, _dirs, files in sorted(os.walk(root)):
            for name in sorted(files):
                stat = (Path(folder) / name).stat()
                digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def page_etag(actor_label: str, session_id: int | None, parts: Iterable[object]) -> str:
    """The tag of a page made for this reader from `parts` (see the module docstring)."""
    field_name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field_name not in session:
        # A session's first page: Flask-WTF makes its secret with the page's token. Otherwise the
        # token is signed only when a form asks for it: a 304 has none.
        generate_csrf()
    csrf_secret = str(session.get(field_name, ""))
    shared = (
        release(),
        actor_label,
        session_id,
        hashlib.sha256(csrf_secret.encode()).hexdigest(),
        str(get_locale()),
        request.full_path,
        request.headers.get("HX-Request", ""),
    )
    return hashlib.sha256(repr((shared, tuple(parts))).encode()).hexdigest()[:32]


def not_modified(etag: str) -> Response | None:
    """A 304 if the caller already holds the page tagged `etag`, else None (then send the page)."""
    if not request.if_none_match.contains_weak(etag):
        return None
    return tagged(Response(status=304), etag)


def tagged(response: Response, etag: str) -> Response:
    """`response` with its tag (the door still marks it no-store: see the module docstring)."""
    response.set_etag(etag, weak=True)
    return response
