"""The family pages no journey test stops on, checked like every other page (axe, reflow, a
screenshot): who can see my plan, who looked at it, removing a phone (without removing it), what a
parent is shown of the plan, and the page someone sees once their access has been taken away."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.pages import FamilyPhone, PractitionerDesk

Check = Callable[[Page, str], None]


def test_young_persons_privacy_pages(jordans_phone: FamilyPhone, jordan_id: int, check_page: Check) -> None:
    page = jordans_phone.page
    page.get_by_role("link", name="Who can see my plan").click()
    expect(jordans_phone.heading).to_have_text("Who can see my plan")
    check_page(page, "family-sharing")

    page.goto(f"/c/{jordan_id}")
    page.get_by_role("link", name="Who looked at or changed it").click()
    expect(jordans_phone.heading).to_contain_text("Who looked at")
    check_page(page, "family-history")

    # Removing a phone asks first; "No, keep it" goes back and keeps it.
    jordans_phone.open_my_plan()
    phones = jordans_phone.open_my_phones()
    keys_before = phones.listed_keys()
    phones.phones.first.get_by_role("link", name="Remove this phone").click()
    expect(jordans_phone.heading).to_have_text("Remove this phone?")
    check_page(page, "family-remove-device")
    page.get_by_role("link", name="No, keep it").click()
    expect(jordans_phone.heading).to_have_text("Phones that can open this")
    assert phones.listed_keys() == keys_before


def test_what_a_parent_is_shown(phone: FamilyPhone, invitation_link: Callable[..., str], check_page: Check) -> None:
    phone.open_invitation(invitation_link("Parent or carer", "Lisa", "Mum"))
    phone.make_my_key()
    phone.page.get_by_role("link", name="What Jordan shares with you").click()
    expect(phone.heading).to_contain_text("Jordan")
    check_page(phone.page, "family-shared-with-me")


def test_someone_whose_access_was_taken_away_sees_nothing(
    phone: FamilyPhone,
    invitation_link: Callable[..., str],
    practitioner: PractitionerDesk,
    jordan_id: int,
    check_page: Check,
) -> None:
    phone.open_invitation(invitation_link("Trusted adult", "Ray", "Boxing coach"))
    phone.make_my_key()
    expect(phone.heading).to_have_text("Hello Ray")

    practitioner.remove_someones_access(jordan_id, "Ray")

    phone.page.goto("/")
    expect(phone.heading).to_have_text("Nothing here yet")
    expect(phone.page.get_by_text("Hello Ray")).to_have_count(0)
    check_page(phone.page, "family-no-plan")
