"""Safety features a young person relies on: a hidden safe word, and a quick exit that really leaves."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, StorageState, expect

from e2e.pages import FamilyPhone

# Where quick exit sends people (app/family/views.py). Unreachable in tests: see CHROMIUM_ARGS.
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


def test_safe_word_is_hidden_until_tapped(jordans_phone: FamilyPhone) -> None:
    plan = jordans_phone.plan
    expect(plan.greeting).to_have_text("Hi Jordan")
    expect(plan.safe_word_toggle).to_be_visible()
    expect(plan.safe_word).to_be_hidden()
    plan.show_my_safe_word()
    expect(plan.safe_word).to_be_visible()
    expect(plan.safe_word).to_have_text("pineapple")


def leave_by_quick_exit(page: Page, press: Callable[[], None], base_url: str) -> None:
    """Press quick exit and check the browser was sent, via /exit, straight to the neutral site."""
    with page.expect_request(NEUTRAL_SITE) as leaving:
        press()
    to_neutral_site = leaving.value
    assert to_neutral_site.is_navigation_request()
    via = to_neutral_site.redirected_from
    assert via is not None and via.url == f"{base_url}/exit"
    exit_answer = via.response()
    assert exit_answer is not None and exit_answer.status == 303
    assert "cookies" in exit_answer.all_headers()["clear-site-data"]
    # Wait until the browser has given up on the (deliberately unreachable) neutral site.
    assert to_neutral_site.response() is None
    expect(page).not_to_have_url(re.compile(f"^{re.escape(base_url)}"))


def assert_plan_gone(
    page: Page, signed_in: StorageState, new_context: Callable[..., BrowserContext], base_url: str
) -> None:
    # Someone picking up the phone and pressing Back does not get the plan back.
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Hi Jordan")
    # This phone is signed out...
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/sign-in")
    # ...and the session ended on the server: the old cookie, replayed elsewhere, opens nothing.
    replay = new_context(storage_state=signed_in).new_page()
    replay.goto("/")
    expect(replay).to_have_url(f"{base_url}/sign-in")


@pytest.mark.parametrize("how", ["button", "shift three times"])
def test_quick_exit_with_javascript(
    how: str, joined_phone: FamilyPhone, new_context: Callable[..., BrowserContext], base_url: str
) -> None:
    page = joined_phone.page
    expect(joined_phone.plan.greeting).to_have_text("Hi Jordan")
    signed_in = page.context.storage_state()
    assert [c["name"] for c in signed_in["cookies"]] == ["daybook"]
    press = joined_phone.press_quick_exit if how == "button" else joined_phone.press_shift_three_times
    leave_by_quick_exit(page, press, base_url)
    assert_plan_gone(page, signed_in, new_context, base_url)


def test_quick_exit_without_javascript(
    joined_phone: FamilyPhone,
    new_context: Callable[..., BrowserContext],
    base_url: str,
) -> None:
    signed_in = joined_phone.page.context.storage_state()
    # The same signed-in person, on a browser with JavaScript turned off.
    page = new_context(java_script_enabled=False, storage_state=signed_in).new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hi Jordan")
    leave_by_quick_exit(page, page.get_by_role("link", name="Quick exit").click, base_url)
    assert_plan_gone(page, signed_in, new_context, base_url)
