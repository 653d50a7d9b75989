"""Practitioners other than the allocated worker, in Chromium: a manager reads their team's caseload."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from app.demo.seed import DEMO_PASSWORD
from e2e.conftest import part_screenshot
from e2e.pages import MORGAN, PractitionerDesk, SyncedPasskeys

Check = Callable[[Page, str], None]


@pytest.fixture
def manager(new_context: Callable[..., BrowserContext]) -> PractitionerDesk:
    """Morgan Lee, manager of Sam's team, signed in (making a passkey at this first sign-in)."""
    desk = PractitionerDesk.in_new_browser(new_context(), SyncedPasskeys())
    desk.sign_in(MORGAN, DEMO_PASSWORD)
    return desk


def test_a_manager_reads_their_teams_cases(manager: PractitionerDesk, check_page: Check) -> None:
    expect(manager.heading).to_have_text("My caseload")
    jordan = manager.caseload_row("Jordan Ellis")
    expect(jordan).to_contain_text("Your team's case (read-only)")
    expect(jordan).to_contain_text("Sam Okafor")  # who holds the case
    # Kayla is another team's case.
    expect(manager.page.get_by_text("Kayla")).to_have_count(0)
    check_page(manager.page, "practitioner-caseload-manager")

    manager.open_child("Jordan Ellis")
    expect(manager.heading).to_have_text("Jordan Ellis")
    # Read-only: nothing to invite, lock or remove.
    expect(manager.page.get_by_role("link", name="Invite someone to the app")).to_have_count(0)
    expect(manager.page.get_by_role("link", name="Access and sharing")).to_have_count(0)
    check_page(manager.page, "practitioner-child-plan-manager")
    # The side panel on its own: the whole plan is too long to look at, at phone width.
    aside = manager.page.get_by_role("complementary", name="About this plan")
    part_screenshot(aside, "practitioner-child-plan-manager-aside")
