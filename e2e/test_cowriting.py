"""Co-writing in Chromium at phone size: Jordan adds and changes an idea, with htmx and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import BrowserContext, Page, StorageState, expect

from e2e.conftest import part_screenshot, screenshot
from e2e.pages import FamilyPhone, PlanPage, PractitionerDesk

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
    part_screenshot(plan.new_ideas, "family-plan-cowriting-editing-part")
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


def test_young_person_sees_whose_idea_it_is_and_takes_out_someone_elses(
    practitioner: PractitionerDesk, jordans_phone: FamilyPhone, phone: FamilyPhone, jordan_id: int, check_page: Check
) -> None:
    idea = "walk Jordan to the bus after youth club"
    # Nia, a trusted adult, joins; Jordan lets her add ideas with him; she adds one.
    practitioner.open_child_by_id(jordan_id)
    phone.open_invitation(practitioner.invite("Trusted adult", "Nia", "Auntie Nia"))
    phone.make_my_key()
    try:
        jordans_phone.share_with("Nia", "Can add ideas to my plan with me")
        phone.open_my_plan()
        phone.shared_plan.add_an_idea("I can", idea)

        # On his page Jordan sees it is Nia's, cannot change her words, but can take it out.
        jordans_phone.open_my_plan()
        plan = jordans_phone.plan
        expect(plan.idea(idea)).to_contain_text("Auntie Nia's words")
        expect(plan.idea(idea).get_by_role("link", name=re.compile(r"^Change\b"))).to_have_count(0)
        confirm = plan.ask_to_take_out(idea)
        expect(confirm).to_contain_text("Take Auntie Nia's idea out of your plan?")
        check_page(jordans_phone.page, "family-plan-take-out-someone-elses-idea")
        part_screenshot(plan.new_ideas, "family-plan-take-out-someone-elses-idea-part")
        confirm.get_by_role("button", name="Yes, take it out").click()
        expect(plan.idea(idea)).to_have_count(0)
        expect(plan.ideas_status).to_have_text("Taken out.")
    finally:
        # Leave Jordan's plan as the demo made it, for the tests after this one (even if a check
        # above failed part-way): her idea out of the draft, and Nia's access removed.
        jordans_phone.open_my_plan()
        if jordans_phone.plan.idea(idea).count():
            jordans_phone.plan.take_out(idea)
        practitioner.remove_someones_access(jordan_id, "Nia")
