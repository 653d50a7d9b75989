"""The changes feed over the API (issue 11): what changed on your caseload since your cursor.

A thin view over app.api.changes (the audit log's change rows, narrowed in SQL to the children the
token's practitioner reads now) with a signed cursor (app.api.cursors). The call is audited like
every API call (the door's row with the token's id), as the caseload list is.
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import gettext as _
from flask_openapi3 import Tag

from app.api import change_schemas as out
from app.api.changes import feed_page
from app.api.cursors import BadCursor, make_cursor, read_cursor
from app.api.problems import problem, problem_response
from app.api.views import PROBLEMS, as_json, blueprint
from app.db import request_session

CHANGES = Tag(name="changes", description="A feed of what changed on your caseload, to stay in sync.")


@blueprint.get(
    "/changes",
    operation_id="listChanges",
    tags=[CHANGES],
    summary="What changed on your caseload since your cursor",
    responses={
        200: out.ChangesPage,
        **{status: answer for status, answer in PROBLEMS.items() if status != 404},
        400: problem_response("The cursor is not one this API gave this token's practitioner: start without one."),
    },
)
def changes(query: out.ChangesQuery) -> Any:
    """Without `cursor`, no changes and a cursor for now: keep it. With one, the changes since, oldest first,
    `per_page` at most, on the young people whose whole plan you read now (your caseload; a manager's, their
    team's): a plan changed or agreed, a meeting scheduled or changed, an incident, a concern, the case team.
    Each names the child, the kind, when, and where to read it; never what it says. A change shows once the
    transactions begun before it have ended too (normally at once), so that none is ever skipped."""
    try:
        after = read_cursor(g.actor, query.cursor) if query.cursor is not None else None
    except BadCursor:
        return problem(400, detail=_("This cursor was not given by this API to you: start again without one."))
    page = feed_page(session=request_session(), actor=g.actor, after=after, limit=query.per_page)
    return as_json(
        out.ChangesPage(
            items=[out.ChangeOut.of(change) for change in page.changes],
            next_cursor=make_cursor(g.actor, page.position),
            has_more=page.has_more,
        )
    )
