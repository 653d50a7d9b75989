"""Issue 9: Alex writes part of Kay's plan in the browser, at a laptop (1280x800), through htmx.

Actions in priority order, a statement in Kay's own words, an unsafe place, and a review date
that is refused when it is more than 8 weeks away; then the page at phone width (390px) is
screenshotted and checked by axe.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import LAPTOP, PHONE
from e2e.drafting_pages import WritePlanPage
from e2e.pages import PractitionerDesk
from e2e.server import LiveServer

ALEX = "alex.morgan@example.org"
Check = Callable[[Page, str], None]


@pytest.fixture
def alex(signed_in_practitioner: Callable[..., Page]) -> Page:
    """Alex Morgan, Kay's allocated worker, signed in on a laptop."""
    return signed_in_practitioner(ALEX, LAPTOP)


def test_alex_writes_part_of_kays_plan(alex: Page, live_server: LiveServer, check_page: Check) -> None:
    kayla_id = int(str(live_server.demo["kayla_id"]))
    plan = WritePlanPage(alex)
    plan.open_for(kayla_id)

    plan.add_action("Kay", "text Alex after school on Fridays", "stay in touch", "a text every Friday")
    plan.add_action("Alex", "meet Kay at the youth club", "hear how she is", "Kay comes to most meetings")
    plan.move_up("meet Kay at the youth club")
    actions = plan.actions_in_order()
    assert actions.index(next(a for a in actions if "youth club" in a)) < actions.index(
        next(a for a in actions if "after school on Fridays" in a)
    )

    plan.add_statement("in an emergency", "I will", "call my nan", own_words=True)
    expect(plan.item("The young person: in an emergency", "call my nan")).to_contain_text(
        "In the young person's own words"
    )
    plan.add_place("the bus station at night", "Not safe")
    expect(plan.item("Places", "the bus station at night")).to_contain_text("Unsafe place")

    # A review too far away is refused with the reason, and the words typed stay.
    too_late = (date.today() + timedelta(days=70)).isoformat()
    assert plan.set_review(too_late, "if Kay goes missing again") == 422
    expect(plan.field_error("Review")).to_contain_text("no more than 8 weeks")
    expect(plan.section("Review").get_by_label("Review date")).to_have_value(too_late)
    assert plan.set_review((date.today() + timedelta(days=28)).isoformat(), "if Kay goes missing again") == 200
    expect(plan.section("Review")).to_contain_text("Saved.")

    alex.set_viewport_size(PHONE)
    alex.reload()
    check_page(alex, "practitioner-write-plan")


def test_sam_compares_versions_and_sees_the_familys_ideas(
    practitioner: PractitionerDesk, jordan_id: int, check_page: Check
) -> None:
    """Jordan's plan has an agreed version and ideas since: both new pages at phone width, checked by axe."""
    page = practitioner.page
    WritePlanPage(page).open_for(jordan_id)
    expect(page.get_by_role("region", name="Ideas from the family")).to_contain_text("own words")
    check_page(page, "practitioner-write-plan-with-ideas")
    page.get_by_role("link", name="Compare versions").click()
    expect(practitioner.heading).to_contain_text("Compare versions")
    expect(page.locator("ins").first).to_be_visible()
    check_page(page, "practitioner-compare-versions")
