"""The practitioner's access pages in Chromium: sharing locks and emergency (break-glass) access."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.pages import PractitionerDesk

Check = Callable[[Page, str], None]


def test_access_and_sharing_page_locks_a_section(
    practitioner: PractitionerDesk, jordan_id: int, check_page: Check
) -> None:
    page = practitioner.page
    page.goto(f"/practitioner/children/{jordan_id}/access")
    expect(practitioner.heading).to_have_text("Access and sharing")
    lisa = page.get_by_role("table", name="What Lisa Ellis can see")
    expect(lisa).to_be_visible()
    check_page(page, "practitioner-access")
    # Lock Jordan's safe word away from his mum, for safety: the row now offers to unlock.
    lisa.get_by_role("button", name="Lock Jordan's safe word").click()
    expect(
        page.get_by_role("table", name="What Lisa Ellis can see").get_by_role(
            "button", name="Unlock Jordan's safe word"
        )
    ).to_be_visible()


def test_break_glass_form_explains_what_is_missing(practitioner: PractitionerDesk, check_page: Check) -> None:
    page = practitioner.page
    page.goto("/practitioner/break-glass")
    expect(practitioner.heading).to_have_text("Emergency access to a plan")
    check_page(page, "practitioner-break-glass")
    page.get_by_role("button", name="Open the plan, read-only").click()
    expect(practitioner.error_summary).to_contain_text("Enter the record number.")
    check_page(page, "practitioner-break-glass-errors")
