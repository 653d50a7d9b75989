"""htmx answers: a view decides full page or partial once, at the end, and says it varies on it."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, make_response, redirect
from werkzeug.wrappers import Response


def is_htmx() -> bool:
    """True when htmx sent this request (it swaps a part of the page in place)."""
    return bool(current_app.htmx)  # type: ignore[attr-defined]  # set by flask_htmx.HTMX


def part_or_page(part: Callable[[], str], page: Callable[[], str], status: int = 200) -> Response:
    """The part for htmx, or the whole page for a plain request; only the one chosen is rendered."""
    response = make_response(part() if is_htmx() else page(), status)
    response.vary.add("HX-Request")
    return response


def see_other(location: str) -> Response:
    """After a plain form post: back to a page (303), which the same URL answers differently for htmx."""
    response = redirect(location, code=303)
    response.vary.add("HX-Request")
    return response
