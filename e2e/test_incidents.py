"""Issue 10 item 6 in Chromium at phone width: Sam records a missing episode for Jordan and brings
the review forward, seeing beside the choice what the meeting agreed counts; the case page lists the
incident and the work tray flags it with the new review date (screenshots and axe).

Runs last (RUNS_LAST): it moves the review of Jordan's agreed plan, which the other modules expect
as the demo made it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from playwright.sync_api import Locator, Page, expect

from app.timeutil import ENGLAND
from e2e.conftest import PHONE
from e2e.server import LiveServer

Check = Callable[[Page, str], None]

RUNS_LAST = True
SAM = "sam.okafor@example.org"
WHAT_HAPPENED = "Missing from 9pm; found by police at the bus station at 2am, with two older lads."


class IncidentForm:
    """The "record an incident" page, as a worker fills it in."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def review(self) -> Locator:
        return self.page.get_by_role("group", name="The review")

    def open_for(self, child_id: int) -> None:
        self.page.goto(f"/practitioner/children/{child_id}/team")
        self.page.get_by_role("link", name="Record an incident").click()
        self.page.wait_for_url(re.compile(r"/incidents/new$"))

    def describe(self, kind: str, when: datetime, what: str) -> None:
        self.page.get_by_label(kind).check()
        self.page.get_by_label("When did it happen?").fill(when.strftime("%Y-%m-%dT%H:%M"))
        self.page.get_by_label("What happened").fill(what)

    def bring_the_review_forward(self) -> str:
        """Choose to bring it forward to the date proposed; that date (YYYY-MM-DD)."""
        self.page.get_by_label("Bring the review forward").check()
        return self.page.get_by_label("New review date").input_value()

    def record(self) -> None:
        self.page.get_by_role("button", name="Record the incident").click()


def test_sam_records_a_missing_episode_for_jordan_and_brings_the_review_forward(
    signed_in_practitioner: Callable[..., Page], check_page: Check, jordan_id: int, live_server: LiveServer
) -> None:
    page = signed_in_practitioner(SAM, PHONE)
    form = IncidentForm(page)
    form.open_for(jordan_id)
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an incident")
    # What the last meeting agreed counts as a reason to review sooner, beside the choice (the demo's
    # words, or those of a meeting another test on this server ran first).
    trigger = str(live_server.run_module("e2e.jordans_review")["review_trigger"])
    assert trigger
    expect(form.review).to_contain_text(trigger)
    last_night = datetime.now(ENGLAND).replace(second=0, microsecond=0) - timedelta(hours=3)
    form.describe("Missing episode", last_night, WHAT_HAPPENED)
    new_date = form.bring_the_review_forward()
    assert new_date
    check_page(page, "incident")
    form.record()
    page.wait_for_url(re.compile(r"/team\?done=incident"))
    incidents = page.get_by_role("region", name="Incidents")
    expect(incidents).to_contain_text("The incident is recorded.")
    expect(incidents).to_contain_text(WHAT_HAPPENED)
    expect(incidents).to_contain_text("The review was brought forward")
    check_page(page, "incident-recorded")
    # The work tray: the incident flagged on Jordan's row, and the new review date.
    page.goto("/practitioner/")
    jordan = page.get_by_role("row").filter(has_text="Jordan Ellis")
    expect(jordan).to_contain_text(re.compile(r"Incident (today|1 day ago)"))
    shown = datetime.strptime(new_date, "%Y-%m-%d").strftime("%-d %b %Y")
    expect(jordan).to_contain_text(shown)
    check_page(page, "incident-work-tray")
