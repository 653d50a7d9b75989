"""Lock after inactivity: the page hides itself, the server keeps it shut, the passkey opens it."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.pages import FamilyPhone


def test_the_app_locks_when_left_alone_and_opens_with_my_key(
    joined_phone: FamilyPhone, jordan_id: int, base_url: str, check_page: Callable[[Page, str], None]
) -> None:
    phone, page = joined_phone, joined_phone.page
    phone.open_my_plan_locking_after(2)
    expect(phone.plan.greeting).to_have_text("Hi Jordan")

    phone.leave_the_phone_alone_until_it_locks()
    expect(phone.heading).to_have_text("Daybook is locked")
    expect(page.get_by_text("Hi Jordan")).to_have_count(0)
    expect(page.get_by_text("pineapple")).to_have_count(0)
    assert "Jordan" not in page.content()
    check_page(page, "family-locked")

    # The server keeps it shut: the plan's own address, and Back, both land on the lock screen.
    page.goto(f"/c/{jordan_id}")
    expect(page).to_have_url(f"{base_url}/locked")
    page.go_back()
    expect(phone.heading).to_have_text("Daybook is locked")

    plan = phone.unlock_with_my_key()
    expect(plan.greeting).to_have_text("Hi Jordan")
    page.goto(f"/c/{jordan_id}")
    expect(plan.greeting).to_have_text("Hi Jordan")
