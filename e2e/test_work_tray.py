"""The demo's work tray in Chromium (issue 10): Jordan's overdue agency actions are flagged, the
tray stacks on a phone, and the page is axe-clean at 390 and 1280 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from app.timeutil import today
from e2e.conftest import assert_accessible
from e2e.pages import PractitionerDesk

Check = Callable[[Page, str], None]

RHYS = "rhys.hughes@example.org"

# The demo's one-off agency actions (app/demo/seed.py): the police's, the youth offer's and community safety's.
DEMO_ONE_OFF_ACTIONS = (date(2026, 11, 2), date(2026, 11, 6), date(2026, 11, 20))


def test_the_demo_work_tray_flags_jordans_overdue_actions(practitioner: PractitionerDesk, check_page: Check) -> None:
    page = practitioner.page
    late = [d for d in DEMO_ONE_OFF_ACTIONS if d < today()]
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto("/practitioner/")
        jordan = practitioner.caseload_row("Jordan Ellis")
        if late:
            expect(jordan).to_contain_text(re.compile(rf"{len(late)} actions? overdue"))
            expect(jordan).to_contain_text(f"by {(today() - late[0]).days} day")
        if width == 390:
            check_page(page, "practitioner-work-tray")  # screenshots are at phone width
        else:
            assert_accessible(page)
    # The filters answer in place (htmx): only the cases with something overdue.
    page.get_by_label("Only cases with something overdue").check()
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"overdue=1"))
    if late:
        expect(practitioner.caseload_row("Jordan Ellis")).to_be_visible()


@pytest.fixture
def rhys(signed_in_practitioner: Callable[..., Page]) -> Page:
    """PC Rhys Hughes, police, an agency partner on Jordan's case, signed in."""
    return signed_in_practitioner(RHYS)


def test_an_agency_partner_sees_their_actions_and_marks_one_done_in_place(rhys: Page, check_page: Check) -> None:
    """Runs after the tray test above: marking the police action done changes Jordan's flags."""
    rhys.goto("/practitioner/")
    section = rhys.get_by_role("region", name="Police actions across your cases")
    expect(section).to_contain_text("Police Trigger Plan")
    check_page(rhys, "practitioner-work-tray-agency-partner")
    section.get_by_role("link", name="Jordan Ellis").first.click()
    expect(rhys.get_by_role("heading", level=1)).to_contain_text("Police actions for Jordan Ellis")
    status = rhys.locator(".action-status").first
    with rhys.expect_response(lambda r: r.request.method == "POST") as answer:
        status.get_by_role("button", name=re.compile("Mark done")).click()
    assert answer.value.status == 200
    expect(status).to_contain_text("Marked done on")  # swapped in place by htmx
    check_page(rhys, "practitioner-agency-action-done")


def test_an_agency_partner_says_how_an_action_is_going(rhys: Page, check_page: Check) -> None:
    """The demo's patrol action already has two of Rhys's updates (newest first); he adds a third,
    after one refused blank try that keeps the page and says what to do."""
    rhys.goto("/practitioner/")
    across_cases = rhys.get_by_role("region", name="Police actions across your cases")
    across_cases.get_by_role("link", name="Jordan Ellis").first.click()
    patrol = rhys.locator(".action-updates").filter(has_text="Intelligence submitted on two cars")
    expect(patrol.locator(".update-list li")).to_have_count(2)
    patrol.get_by_role("button", name=re.compile("Add this update")).click()
    expect(rhys.get_by_role("alert")).to_contain_text("Say how the action is going.")
    patrol = rhys.locator(".action-updates").filter(has_text="Intelligence submitted on two cars")
    patrol.get_by_label("Add an update").fill("Patrolled again on Friday 27 November: quiet.")
    patrol.get_by_role("button", name=re.compile("Add this update")).click()
    expect(rhys.get_by_role("status")).to_contain_text("Update added.")
    patrol = rhys.locator(".action-updates").filter(has_text="Intelligence submitted on two cars")
    expect(patrol.locator(".update-list li").first).to_contain_text("Patrolled again on Friday 27 November")
    check_page(rhys, "practitioner-agency-action-updates")
