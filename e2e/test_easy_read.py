"""Easy read in Chromium at phone size: Jordan switches his plan to easy-read words and back."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import SCREENSHOTS
from e2e.pages import FamilyPhone

Check = Callable[[Page, str], None]


def test_young_person_switches_to_easy_read_and_back(jordans_phone: FamilyPhone, check_page: Check) -> None:
    page = jordans_phone.page
    # By id: the section's name is its heading, and the heading is what changes.
    emergency_heading = page.locator("#emergency-heading")
    expect(emergency_heading).to_have_text("If I'm in danger")
    try:
        with page.expect_navigation():
            page.get_by_role("button", name="Switch to easy read").click()
        expect(emergency_heading).to_have_text("If I am not safe")
        expect(page.get_by_role("heading", name="What I will do every day")).to_be_visible()
        expect(page.locator("body")).to_have_class("family easy-read")
        # Bigger text, and a picture beside the heading (a decorative background, not read out).
        font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert font_size >= 20, font_size
        picture = page.evaluate(
            "getComputedStyle(document.querySelector('#everyday-heading'), '::before').backgroundImage"
        )
        assert picture.startswith('url("data:image/svg+xml'), picture
        check_page(page, "family-plan-easy-read")
        # The first screenful too: the whole plan is too long to look at in one picture.
        page.screenshot(path=str(SCREENSHOTS / "family-plan-easy-read-top.png"))
        page.locator("#everyday-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "family-plan-easy-read-everyday.png"))
        # The choice stays with Jordan: a reload keeps the easy words.
        jordans_phone.reload()
        expect(emergency_heading).to_have_text("If I am not safe")
    finally:
        # Back to the usual words, so later tests on Jordan's plan read what they expect.
        with page.expect_navigation():
            page.get_by_role("button", name="Switch to the usual words").click()
    expect(emergency_heading).to_have_text("If I'm in danger")
    expect(page.locator("body")).to_have_class("family")
