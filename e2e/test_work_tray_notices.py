"""The jobs' notices on Sam's work tray in Chromium (issue 10, item 3): the overdue sweep runs against
the server's database (as `make worker` or the in-process runner would), and Sam's tray lists
Jordan's late agency actions; axe-clean at 1280 and 390 px. The notices are deleted afterwards, so
the other tests on this server see the tray as the demo made it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete

from app.db import Database, make_engine
from app.notices.models import Notice
from app.notices.sweeps import send_overdue_notices
from app.timeutil import today
from e2e.conftest import assert_accessible
from e2e.pages import PractitionerDesk
from e2e.server import LiveServer
from e2e.test_work_tray import DEMO_ONE_OFF_ACTIONS

Check = Callable[[Page, str], None]


@pytest.fixture
def swept(live_server: LiveServer) -> Iterator[int]:
    """Run the overdue sweep on the server's database; the number of notices it wrote."""
    database = Database(make_engine(live_server.database_url))
    try:
        with database.transaction() as session:
            sent = send_overdue_notices(session=session, today=today())
        yield sent
        with database.transaction() as session:
            session.execute(delete(Notice))
    finally:
        database.engine.dispose()


def test_the_overdue_sweep_s_notices_show_on_sams_tray(
    practitioner: PractitionerDesk, swept: int, check_page: Check
) -> None:
    late = [d for d in DEMO_ONE_OFF_ACTIONS if d < today()]
    if not late:
        pytest.skip("the demo's agency actions are not overdue yet on this date")
    assert swept >= len(late)
    page = practitioner.page
    notices = page.get_by_role("region", name="Reminders and overdue work")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto("/practitioner/")
        oldest = (today() - late[0]).days
        sentence = f"Jordan Ellis: an agency action overdue by {oldest} days"
        expect(notices.get_by_role("link", name=sentence)).to_be_visible()
        if width == 390:
            check_page(page, "practitioner-work-tray-notices")
        else:
            assert_accessible(page)

    # Sam sets the oldest aside: the page comes back without it, the others stay.
    before = notices.get_by_role("listitem").count()
    notices.get_by_role("button", name="Set aside the notice about Jordan Ellis").first.click()
    expect(notices.get_by_role("link", name=sentence)).to_have_count(0)
    if before > 1:
        expect(notices.get_by_role("listitem")).to_have_count(before - 1)
    else:
        expect(notices).to_have_count(0)
