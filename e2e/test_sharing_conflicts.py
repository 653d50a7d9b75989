"""Two saves that cannot both stand, in Chromium (R24, R29): the page that is refused says why and
keeps what was chosen. Checked like every other page (axe, reflow, a screenshot)."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from e2e.pages import FamilyPhone, PractitionerDesk

Check = Callable[[Page, str], None]


def test_a_save_from_a_sharing_page_gone_stale_keeps_my_choices(
    jordans_phone: FamilyPhone, jordan_id: int, check_page: Check
) -> None:
    """Jordan has his sharing page open in two tabs; he saves in one, then in the other."""
    old_tab = jordans_phone.page
    old_tab.goto(f"/c/{jordan_id}/sharing")
    new_tab = old_tab.context.new_page()
    new_tab.goto(f"/c/{jordan_id}/sharing")

    def dees_box(page: Page, section: str) -> Locator:
        return page.get_by_role("group", name=re.compile("Denise Carter")).get_by_label(section, exact=True)

    places = dees_box(new_tab, "Safe people and places")
    places.set_checked(not places.is_checked())
    new_tab.get_by_role("button", name="Save my choices").click()
    expect(new_tab.get_by_role("status")).to_contain_text("Saved")

    ideas = dees_box(old_tab, "My plan, every day")
    wanted = not ideas.is_checked()
    ideas.set_checked(wanted)
    old_tab.get_by_role("button", name="Save my choices").click()

    alert = old_tab.get_by_role("alert")
    expect(alert).to_contain_text("Your choices are not saved yet")
    expect(alert).to_contain_text("Denise Carter can")
    expect(dees_box(old_tab, "My plan, every day")).to_be_checked(checked=wanted)
    check_page(old_tab, "family-sharing-conflict")

    old_tab.get_by_role("button", name="Save my choices again").click()
    expect(old_tab.get_by_role("status")).to_contain_text("Saved")
    expect(dees_box(old_tab, "My plan, every day")).to_be_checked(checked=wanted)


def test_a_tampered_lock_form_says_what_is_wrong(
    practitioner: PractitionerDesk, jordan_id: int, check_page: Check
) -> None:
    page = practitioner.page
    page.goto(f"/practitioner/children/{jordan_id}/access")
    # A form no page makes: every lock form names someone who is not on this plan.
    page.evaluate("document.querySelectorAll('input[name=member_id]').forEach(i => { i.value = 'nobody'; })")
    page.get_by_role("table", name="What Lisa Ellis can see").get_by_role("button").first.click()
    expect(practitioner.error_summary).to_contain_text("Choose someone who can see this plan.")
    expect(practitioner.heading).to_have_text("Access and sharing")
    check_page(page, "practitioner-access-lock-refused")
