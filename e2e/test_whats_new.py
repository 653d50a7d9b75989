"""What's new, in Chromium at phone size: after a new agreed version, Jordan sees what changed since
he last looked, highlighted and in plain words, and puts the card away with "Got it".

This file runs last on purpose (RUNS_LAST, e2e/conftest.py): it agrees a new version of Jordan's
plan, which changes the dates and words that earlier tests read.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import part_screenshot
from e2e.pages import FamilyPhone
from e2e.server import LiveServer

Check = Callable[[Page, str], None]
RUNS_LAST = True


def test_young_person_sees_whats_new_then_puts_it_away(
    jordans_phone: FamilyPhone, live_server: LiveServer, check_page: Check
) -> None:
    plan = jordans_phone.plan
    page = jordans_phone.page
    # Start from "nothing new to Jordan": another test on this server (they spread over processes,
    # each with a server of its own) may have agreed a version he has not put away yet.
    if plan.whats_new.count():
        plan.say_got_it()
    jordans_phone.reload()
    expect(plan.whats_new).to_have_count(0)

    live_server.run_module("e2e.agree_new_version")
    jordans_phone.open_my_plan()
    card = plan.whats_new
    expect(card).to_contain_text("Your plan was agreed again on")
    expect(card).to_contain_text("new things in “Every day: I can…”")
    expect(card).to_contain_text("A new person to call")
    expect(card).to_contain_text("Your check-in date moved to")
    expect(card).to_contain_text("Your safe word changed")
    expect(card).not_to_contain_text("mango")
    expect(card).not_to_contain_text("pineapple")
    # The new things are marked where they stand in the plan.
    new_one = plan.everyday_section.get_by_role("listitem").filter(has_text="go to youth club on Tuesdays")
    expect(new_one).to_contain_text("New")
    check_page(page, "family-plan-whats-new")
    part_screenshot(card, "family-plan-whats-new-part")

    # Still there after a reload: it goes only when Jordan says so.
    jordans_phone.reload()
    expect(plan.whats_new).to_be_visible()
    plan.say_got_it()
    expect(page.locator("#whats-new")).to_be_focused()
    jordans_phone.reload()
    expect(page.locator("#whats-new")).to_have_count(0)


def test_read_my_plan_aloud_is_offered_where_the_browser_can_speak(jordans_phone: FamilyPhone) -> None:
    page = jordans_phone.page
    can_speak = page.evaluate("'speechSynthesis' in window")
    button = jordans_phone.plan.read_aloud_button
    if not can_speak:
        expect(button).to_be_hidden()
        return
    expect(button).to_have_text("Read my plan aloud")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 48
