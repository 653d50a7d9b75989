"""What one view of a plan page costs the database, at 10 and 200 plan items: SQL statements sent
and audit rows written, counted in this process through the app (its Flask test client) on the
bench database, as tests/functional/test_plan_page_cost.py counts them on the test database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from app import create_app
from app.audit.models import AuditEvent
from app.config import load_settings
from tests.functional.test_plan_page_cost import counting


@dataclass(frozen=True)
class ViewCost:
    page: str
    items: int
    statements: int
    audit_rows: int


def view_costs(env: dict[str, str], pages: list[tuple[str, int, str, str]]) -> list[ViewCost]:
    """For each (page name, items, path, cookie): the cost of a second GET (the first look's
    one-off writes, such as "last looked", are not what every view costs)."""
    application = create_app(load_settings(env))
    found = []
    try:
        for page, items, path, cookie in pages:
            # The test client sends its own cookie jar (a Cookie header given by hand is replaced).
            client = application.test_client()
            name, _equals, value = cookie.partition("=")
            client.set_cookie(name, value, domain="localhost")
            first = client.get(path)
            if first.status_code != 200:
                raise RuntimeError(f"{path} answered {first.status_code}")
            with application.database.session() as session:
                before = session.exec(select(func.count()).select_from(AuditEvent)).one()
            with counting(application) as sent:
                answer = client.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} answered {answer.status_code}")
            with application.database.session() as session:
                after = session.exec(select(func.count()).select_from(AuditEvent)).one()
            found.append(ViewCost(page, items, len(sent), after - before))
    finally:
        application.database.engine.dispose()
    return found
