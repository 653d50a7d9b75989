"""Issue 12 in Chromium: Alex finds the demo's concern about Kay (high risk, not open to CSW), sees
the 999 line and the proposed Hub enquiry, and accepts it, at phone width (screenshots and axe)."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import PHONE

Check = Callable[[Page, str], None]

ALEX = "alex.morgan@example.org"


def test_alex_accepts_the_proposed_hub_enquiry_for_kay(
    signed_in_practitioner: Callable[..., Page], check_page: Check
) -> None:
    page = signed_in_practitioner(ALEX, PHONE)
    page.goto("/practitioner/")
    page.get_by_role("link", name="Concerns").first.click()
    page.wait_for_url(re.compile(r"/practitioner/concerns$"))
    expect(page.get_by_text("If a child is in immediate danger call 999")).to_be_visible()
    check_page(page, "concerns-list")
    # The demo's concern is the oldest about Kay (newest first): other tests may add their own.
    page.get_by_role("link", name="Kayla Brooks").last.click()
    page.wait_for_url(re.compile(r"/practitioner/concerns/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern about Kayla Brooks")
    expect(page.locator("#proposal")).to_contain_text("An Adolescent Safety Hub enquiry, then Safer Me Plus")
    expect(page.get_by_label("An Adolescent Safety Hub enquiry, then Safer Me Plus")).to_be_checked()
    check_page(page, "concern-kay")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(r"/practitioner/concerns/\d+\?done=decided"))
    expect(page.locator("#decisions")).to_contain_text("Decided by Alex Morgan")
    expect(page.locator("#decisions")).to_contain_text("As proposed")
