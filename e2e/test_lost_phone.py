"""R10 in Chromium: a lost phone is removed from another device and is signed out at once."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages import FamilyPhone, PractitionerDesk


def test_worker_removes_a_lost_phone_and_it_is_signed_out_at_once(
    joined_phone: FamilyPhone, practitioner: PractitionerDesk, jordan_id: int
) -> None:
    lost = joined_phone
    expect(lost.plan.greeting).to_have_text("Hi Jordan")
    # Sam opens Jordan's access page: the newest of Jordan's phones is the one that was just joined.
    desk = practitioner.page
    desk.goto(f"/practitioner/children/{jordan_id}/access")
    phones = desk.get_by_role("region", name="Phones with a key")
    remove_links = phones.get_by_role("link", name="Remove Jordan")
    expect(remove_links.last).to_be_visible()
    remove_links.last.click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Remove this phone?")
    desk.get_by_role("button", name="Yes, remove it").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Access and sharing")
    # The lost phone's next tap finds it signed out, and its key no longer opens anything.
    lost.open_my_plan()
    expect(lost.page).to_have_url("/sign-in")
    lost.page.get_by_role("button", name="Open with my key").click()
    expect(lost.page.get_by_role("status")).to_contain_text("did not work")
    expect(lost.page).to_have_url("/sign-in")
