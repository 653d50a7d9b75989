"""A second phone, in Chromium at phone size: Jordan, just signed in on his phone, adds a key for his
other phone; that phone then opens his plan with its own key, and both are listed as his phones.

There is no link or code to pass between the phones: the signed-in phone asks the browser for a new
key, and the browser offers to make it on another phone (a QR code the other phone scans, the
hybrid transport). Chromium's virtual authenticators stand in for both phones (e2e/pages.py).
Adding a key needs a sign-in with a key in the last 15 minutes, so this starts from a fresh join.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.pages import FamilyPhone

Check = Callable[[Page, str], None]


def test_young_person_adds_a_key_for_his_other_phone_and_opens_the_plan_there(
    joined_phone: FamilyPhone, new_phone: Callable[..., FamilyPhone], check_page: Check
) -> None:
    first = joined_phone
    expect(first.plan.greeting).to_have_text("Hi Jordan")
    phones = first.open_my_phones()
    expect(first.heading).to_have_text("Phones that can open this")
    first_key = phones.key_of(phones.this_phone)
    keys_before = phones.listed_keys()
    [first_credential] = first.authenticator.credentials()

    second = new_phone()
    assert second.authenticator.credentials() == []
    phones = first.add_another_phone(second)

    expect(first.page.get_by_role("status").filter(has_text="Done.")).to_have_text(
        "Done. That phone or computer can open this now."
    )
    expect(phones.phones).to_have_count(len(keys_before) + 1)
    [new_key] = [key for key in phones.listed_keys() if key not in keys_before]
    new_phone_item = phones.phones.filter(has=first.page.locator(f'a[href="{new_key}"]'))
    expect(new_phone_item).to_contain_text("Jordan")
    expect(new_phone_item).to_contain_text("Phone or computer")
    # The first phone is still the one in Jordan's hand (the server still knows it by its own key).
    assert phones.key_of(phones.this_phone) == first_key
    check_page(first.page, "family-devices-phone-added")

    # The other phone holds a new, discoverable key (R7), and opens the plan with it.
    [second_credential] = second.authenticator.credentials()
    assert second_credential["credentialId"] != first_credential["credentialId"]
    assert second_credential["isResidentCredential"] is True
    second.open_sign_in()
    expect(second.heading).to_have_text("Welcome back")
    plan = second.open_with_my_key()
    expect(plan.greeting).to_have_text("Hi Jordan")
    expect(plan.call_999).to_be_visible()

    # Both phones are listed as Jordan's; the one in his hand now is the new one.
    phones = second.open_my_phones()
    expect(second.heading).to_have_text("Phones that can open this")
    keys = phones.listed_keys()
    assert first_key in keys and new_key in keys
    assert phones.key_of(phones.this_phone) == new_key
    expect(phones.this_phone).to_contain_text("Jordan")
    check_page(second.page, "family-devices-second-phone")


def test_add_another_phone_page(jordans_phone: FamilyPhone, jordan_id: int, check_page: Check) -> None:
    """The page with the one button, which parents reach from their plan (they have no list of phones)."""
    jordans_phone.page.goto(f"/c/{jordan_id}/devices/new")
    expect(jordans_phone.heading).to_have_text("Add another phone or computer")
    expect(jordans_phone.page.get_by_role("button", name="Add another phone or computer")).to_be_enabled()
    check_page(jordans_phone.page, "family-add-device")
