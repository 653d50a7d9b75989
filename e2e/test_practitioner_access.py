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


def test_emergency_access_finds_a_young_person_by_name_and_date_of_birth(
    practitioner: PractitionerDesk, check_page: Check
) -> None:
    page = practitioner.page
    practitioner.open_emergency_access()
    expect(practitioner.heading).to_have_text("Emergency access to a plan")
    check_page(page, "practitioner-break-glass")

    # Nothing typed: every missing field is said at once, each beside its field.
    practitioner.find_young_person("", "")
    expect(practitioner.error_summary).to_contain_text("Enter the young person's name.")
    expect(practitioner.error_summary).to_contain_text(
        "Enter their date of birth as day, month and year, like 09/05/2012."
    )
    expect(page.get_by_label("Their name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Their date of birth")).to_have_attribute("aria-invalid", "true")
    check_page(page, "practitioner-break-glass-errors")

    # Kayla is not on Sam's caseload: he finds her by name and date of birth, no record number.
    practitioner.find_young_person("Kayla Brooks", "17/02/2011")
    expect(practitioner.young_people_found).to_contain_text("Kayla Brooks, born 17 February 2011")
    check_page(page, "practitioner-break-glass-found")

    # Choosing no one and giving no reason: both said at once; the search and the choice stay.
    practitioner.try_to_open_in_an_emergency()
    expect(practitioner.error_summary).to_contain_text("Choose the young person.")
    expect(practitioner.error_summary).to_contain_text("Say why you need access now (at least 20 characters).")
    expect(page.get_by_label("Their name")).to_have_value("Kayla Brooks")
    expect(practitioner.young_people_found).to_contain_text("Kayla Brooks")
    check_page(page, "practitioner-break-glass-choose-errors")

    practitioner.open_in_an_emergency("Kayla Brooks", "Police called: Kayla is missing tonight, her worker is off")
    expect(practitioner.heading).to_have_text("Kayla Brooks")
    expect(page.get_by_text("Emergency access: read-only, recorded, and it ends within the hour.")).to_be_visible()
