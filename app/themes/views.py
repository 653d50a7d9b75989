"""The strategic themes page and its CSV (practitioner door), for the MACS and the Youth ASB forum.

A GET form: the period is in the query string (`from`, `to`), so a chosen period can be
bookmarked and downloaded. A refused period (422) gives the page again with what was typed and a
message per field, and no counts. Every read is audited by the query; the door commits.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from app.access import policy
from app.db import request_session
from app.errors import ValidationFailed
from app.themes import queries
from app.themes.download import themes_csv
from app.themes.inputs import PeriodInput, default_period
from app.themes.labels import FEWER_THAN_5, MEASURE_NAMES, TOTAL_WITHHELD, category_name

blueprint = Blueprint("practitioner_themes", __name__)

FIELDS = ("from", "to")


def _period() -> tuple[dict[str, str], queries.Period]:
    """What was typed (or the last 3 months), and the period; ValidationFailed when refused."""
    if not any(name in request.args for name in FIELDS):
        start, end = default_period()
        return {"from": start.isoformat(), "to": end.isoformat()}, queries.Period(start, end)
    form = {name: request.args.get(name, "") for name in FIELDS}
    period = PeriodInput.parse(form)
    return form, queries.Period(period.start, period.end)


def _page(status: int = 200, **context: Any) -> Response:
    response = make_response(
        render_template(
            "themes/themes.html",
            measure_names=MEASURE_NAMES,
            category_name=category_name,
            fewer_than_5=FEWER_THAN_5,
            total_withheld=TOTAL_WITHHELD,
            **context,
        ),
        status,
    )
    response.vary.add("HX-Request")
    return response


def _refused(form: dict[str, str], errors: dict[str, Any]) -> Response:
    # The rules of the form only for someone who may use it (R2): anyone else is "not found".
    policy.require(queries.READ, session=request_session(), actor=current_user.actor)
    return _page(422, form=form, errors=errors, themes=None)


@blueprint.route("/themes")
def themes() -> Response:
    """Counts by risk grade, pathway, context type and deadline over a period, small numbers withheld."""
    try:
        form, period = _period()
    except ValidationFailed as exc:
        return _refused({name: request.args.get(name, "") for name in FIELDS}, exc.errors)
    found = queries.themes(session=request_session(), actor=current_user.actor, period=period)
    return _page(form=form, errors={}, themes=found)


@blueprint.route("/themes.csv")
def themes_download() -> Response:
    """The same counts as a CSV file (counts only: no names, no record numbers)."""
    try:
        _form, period = _period()
    except ValidationFailed as exc:
        return _refused({name: request.args.get(name, "") for name in FIELDS}, exc.errors)
    found = queries.themes(session=request_session(), actor=current_user.actor, period=period)
    response = make_response(themes_csv(found))
    response.content_type = "text/csv; charset=utf-8"
    name = f"strategic-themes-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
