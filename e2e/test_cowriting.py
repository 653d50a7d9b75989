"""Co-writing in Chromium at phone size: Jordan adds and changes an idea, with htmx and without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import BrowserContext, Page, StorageState, expect

from e2e.conftest import SCREENSHOTS, screenshot
from e2e.pages import FamilyPhone, PlanPage

Check = Callable[[Page, str], None]


def test_young_person_adds_and_changes_an_idea_in_place(jordans_phone: FamilyPhone, check_page: Check) -> None:
    plan = jordans_phone.plan
    page = jordans_phone.page
    expect(plan.new_ideas).to_contain_text("Not agreed yet")
    # A marker on the window survives only if the page is never reloaded: htmx swaps in place.
    page.evaluate("window.stillTheSamePage = true")

    plan.add_statement("I will", "text my aunt when I leave boxing")
    expect(plan.ideas_status).to_have_text("Added to your new ideas.")
    expect(plan.idea("text my aunt when I leave boxing")).to_contain_text("My words")

    form = plan.open_change("text my aunt when I leave boxing")
    expect(form.get_by_label("Then in your own words")).to_be_focused()
    check_page(page, "family-plan-cowriting-editing")
    # The new-ideas part on its own too: a whole plan is too long to read at phone width.
    plan.new_ideas.screenshot(path=str(SCREENSHOTS / "family-plan-cowriting-editing-part.png"))
    form.get_by_label("Then in your own words").fill("text my aunt when I leave boxing, every time")
    form.get_by_role("button", name="Save").click()
    idea = plan.idea("text my aunt when I leave boxing, every time")
    expect(idea).to_contain_text("My words")
    expect(plan.ideas_status).to_have_text("Saved.")
    assert page.evaluate("window.stillTheSamePage") is True
    # What the meeting agreed is unchanged: the idea is only in the new-ideas part.
    expect(plan.everyday_section).not_to_contain_text("text my aunt when I leave boxing")
    check_page(page, "family-plan-cowriting")


def test_young_person_adds_and_changes_an_idea_without_javascript(
    new_context: Callable[..., BrowserContext], young_person_state: StorageState
) -> None:
    context_args: dict[str, Any] = {"storage_state": young_person_state, "java_script_enabled": False}
    page = new_context(**context_args).new_page()
    page.goto("/")
    plan = PlanPage(page)

    with page.expect_navigation():
        plan.add_statement("I need", "my bus pass topped up")
    expect(plan.ideas_status).to_have_text("Added to your new ideas.")
    expect(plan.idea("my bus pass topped up")).to_contain_text("My words")

    with page.expect_navigation():
        form = plan.open_change("my bus pass topped up")
    form.get_by_label("Then in your own words").fill("my bus pass topped up on Mondays")
    with page.expect_navigation():
        form.get_by_role("button", name="Save").click()
    expect(plan.ideas_status).to_have_text("Saved.")
    expect(plan.idea("my bus pass topped up on Mondays")).to_contain_text("My words")
    # Only a screenshot here: axe runs as a script, and scripts are off in this browser.
    screenshot(page, "family-plan-cowriting-no-js")
