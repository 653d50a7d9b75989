"""The audit log over the API (issue 11), for those who may search it: through the page's own search.

The audit search page's scope and query (app.audit.queries.audit_scope, search): a manager sees
their team's children's rows, with names; an admin the whole log by record number (admins hold no
tokens today). Anyone else's token is told so (403), the refusal audited by the policy, as for the
Hub's queue. A child filter outside the reader's reach is "not found" (audited), as on the page.
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import gettext as _
from flask_openapi3 import Tag

from app.api import audit_schemas as out
from app.api.problems import problem, problem_response
from app.api.views import PROBLEMS, as_json, blueprint
from app.audit import queries
from app.audit.inputs import AuditFilters
from app.db import request_session
from app.errors import NotFound

AUDIT = Tag(name="audit", description="The audit log: who read, changed or was refused what, and when.")


@blueprint.get(
    "/audit",
    operation_id="searchAuditLog",
    tags=[AUDIT],
    summary="Search the audit log",
    responses={
        200: out.AuditPage,
        **PROBLEMS,
        403: problem_response("The token's practitioner may not search the audit log."),
        404: problem_response("No young person whose log this token's practitioner may search has that number."),
        422: problem_response("A filter was refused (or `to` is before `from`); `errors` says which and why."),
    },
)
def audit_log(query: out.AuditQuery) -> Any:
    """Newest first, `per_page` (at most 100) a page. Managers: the rows about their team's children.
    The rows are the audit search page's: when, who, whose record, what happened in words, and the outcome;
    never any plan content (the log holds none)."""
    db = request_session()
    try:
        scope = queries.audit_scope(session=db, actor=g.actor)
    except NotFound:
        return problem(403, detail=_("Only managers search the audit log, for their team's young people."))
    result = queries.search(session=db, scope=scope, filters=AuditFilters.parse(query.as_filters()))
    return as_json(out.AuditPage.of(result))
