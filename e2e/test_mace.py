"""Issue 12 part 4 in Chromium: Morgan (a manager) opens the MACE panel from the concerns list,
adds a panel date and opens its list, at phone width (screenshots and axe)."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import PHONE

Check = Callable[[Page, str], None]

MORGAN = "morgan.lee@example.org"


def test_morgan_adds_a_mace_panel_date_and_opens_its_list(
    signed_in_practitioner: Callable[..., Page], check_page: Check
) -> None:
    page = signed_in_practitioner(MORGAN, PHONE)
    page.goto("/practitioner/concerns")
    page.get_by_role("link", name="MACE panel").click()
    page.wait_for_url(re.compile(r"/practitioner/mace$"))
    expect(page.get_by_text("If a child is in immediate danger call 999")).to_be_visible()
    check_page(page, "mace-panels")
    page.get_by_label("The panel meets on").fill("2031-03-11")
    page.get_by_role("button", name="Add the panel date").click()
    page.wait_for_url(re.compile(r"/practitioner/mace/panels/\d+\?done=convened$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("MACE panel on Tuesday 11 March 2031")
    expect(page.get_by_role("status")).to_have_text("The panel date is added.")
    check_page(page, "mace-panel")
