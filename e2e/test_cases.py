"""Issue 9 item 1 in Chromium: Alex adds a young person at his laptop, then a chair to her case.

The laptop is 1280x800; every page is also looked at 390 px wide (a screenshot, axe, no sideways
scrolling), then the laptop carries on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from e2e.case_pages import CaseDesk, YoungPerson
from e2e.conftest import LAPTOP, PHONE

Check = Callable[[Page, str], None]

ALEX = "alex.morgan@example.org"


def _years_ago(years: int) -> date:
    now = date.today()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


RILEY = YoungPerson(
    first_name="Riley",
    last_name="Stone",
    preferred_name="Ri",
    born=_years_ago(14).isoformat(),
    school="Westfield High School",
    meeting="Safer Me Plus",
    open_to_csw="No",
)


@pytest.fixture
def alex(signed_in_practitioner: Callable[..., Page]) -> CaseDesk:
    """Alex Morgan (lead professional, Early Help) signed in at a 1280x800 laptop."""
    return CaseDesk(signed_in_practitioner(ALEX, LAPTOP))


def _look_at_phone_width(page: Page, check_page: Check, name: str) -> None:
    """The same page at 390 px: screenshot, axe, reflow; then back to the laptop."""
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")  # a full-page shot of a scrolled page draws the sticky bar mid-page
    check_page(page, name)
    page.set_viewport_size(LAPTOP)


def test_alex_adds_a_young_person_and_a_chair(alex: CaseDesk, check_page: Check) -> None:
    page = alex.page
    alex.start_adding_a_young_person()
    expect(alex.heading).to_have_text("Add a young person")
    _look_at_phone_width(page, check_page, "cases-add-young-person")

    # Too young, and no last name or meeting: every problem is said at once, and nothing typed is lost.
    too_young = (date.today() - timedelta(days=365 * 9)).isoformat()
    status = alex.try_to_add(YoungPerson(first_name="Riley", born=too_young, school="Westfield High School"))
    assert status == 422
    expect(alex.error_summary).to_contain_text("Enter the young person's last name.")
    expect(alex.error_summary).to_contain_text("A Safer Plan is for young people aged 11 to 18.")
    expect(alex.error_summary).to_contain_text("Choose Safer Me or Safer Me Plus.")
    expect(alex.error_summary).to_be_focused()
    expect(page.get_by_label("First name")).to_have_value("Riley")
    expect(page.get_by_label("School (optional)")).to_have_value("Westfield High School")
    expect(page.get_by_label("Date of birth")).to_have_attribute("aria-invalid", "true")
    _look_at_phone_width(page, check_page, "cases-add-young-person-errors")

    alex.add(RILEY)
    expect(alex.heading).to_have_text("Ri's case team")
    expect(alex.status).to_contain_text("Ri is added. You are their allocated worker")
    expect(alex.role_section("Allocated worker")).to_contain_text("Alex Morgan")
    expect(alex.role_section("Independent chair")).to_contain_text("No one yet.")
    _look_at_phone_width(page, check_page, "cases-team-new")

    # A chair from the directory: the team comes back in place with Priya in it.
    alex.add_to_team("Priya Shah", "Independent chair")
    expect(alex.status).to_have_text("Added to the case team.")
    expect(alex.role_section("Independent chair")).to_contain_text("Priya Shah")
    _look_at_phone_width(page, check_page, "cases-team-with-chair")

    # Removing asks first; Alex keeps her.
    alex.ask_to_remove("Priya Shah")
    expect(alex.heading).to_have_text("Remove Priya Shah from Ri's case?")
    _look_at_phone_width(page, check_page, "cases-remove-confirm")
    page.get_by_role("link", name="No, keep them").click()
    expect(alex.role_section("Independent chair")).to_contain_text("Priya Shah")

    # The plan opens, empty, as a Safer Me Plus plan; the caseload lists her.
    page.get_by_role("link", name="Riley Stone").click()
    expect(alex.heading).to_have_text("Riley Stone")
    page.goto("/practitioner/")
    expect(page.get_by_role("row").filter(has_text="Riley Stone")).to_contain_text("Safer Me Plus")

    # The same name and date of birth again: Alex is asked whether this is the same young person.
    alex.start_adding_a_young_person()
    assert alex.try_to_add(RILEY) == 409
    expect(page.get_by_role("link", name=f"Riley Stone, born {_years_ago(14):%-d %B %Y}")).to_be_visible()
    expect(page.get_by_label("This is a different young person: add them anyway")).to_be_visible()
    _look_at_phone_width(page, check_page, "cases-add-young-person-duplicate")
