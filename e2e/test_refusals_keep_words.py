"""R29 in the browser: every refusal keeps what was typed and says what to change (issue 14 §3).

The agency partner's page and the admin's accounts page, refused for text too long and for a
conflict, and a post too large for any box: each page is screenshotted and checked with axe.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from e2e.pages import PractitionerDesk

Check = Callable[[Page, str], None]

RHYS = "rhys.hughes@example.org"
DANA = "dana.whitfield@example.org"


@pytest.fixture
def rhys(signed_in_practitioner: Callable[..., Page]) -> Page:
    """PC Rhys Hughes, police, an agency partner on Jordan's case, signed in."""
    return signed_in_practitioner(RHYS)


@pytest.fixture
def dana(signed_in_practitioner: Callable[..., Page]) -> Page:
    """Dana Whitfield, who manages accounts, signed in."""
    return signed_in_practitioner(DANA)


def _save_action(page: Page, action: str, due_on: str, repeats: str) -> int:
    """Fill the first action's boxes (what, by which date, how often) and save; the HTTP status of the answer."""
    form = page.locator("form.card").first
    form.get_by_role("textbox", name=re.compile("will")).fill(action)
    form.get_by_label("By (date)").fill(due_on)
    form.get_by_label("How often (optional)").fill(repeats)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="Save this action").click()
    page.wait_for_load_state()
    return answer.value.status


def test_a_too_long_agency_action_keeps_the_action_and_by_when(rhys: Page, jordan_id: int, check_page: Check) -> None:
    rhys.goto(f"/practitioner/children/{jordan_id}/agency-actions")
    typed_action = "Patrol the Station Road underpass after school. " * 23  # about 1,100 characters
    assert len(typed_action.strip()) > 1000
    assert _save_action(rhys, typed_action, "2026-12-04", "Fridays, 3pm to 5pm") == 422
    expect(rhys.get_by_role("alert")).to_contain_text("Keep it under 1000 characters.")
    form = rhys.locator("form.card").first
    expect(form.get_by_role("textbox", name=re.compile("will"))).to_have_value(typed_action)
    expect(form.get_by_label("By (date)")).to_have_value("2026-12-04")
    expect(form.get_by_label("How often (optional)")).to_have_value("Fridays, 3pm to 5pm")
    expect(form.get_by_role("textbox", name=re.compile("will"))).to_have_attribute("aria-invalid", "true")
    check_page(rhys, "practitioner-agency-actions-too-long")


def test_a_conflict_on_an_agency_action_keeps_both_boxes(
    rhys: Page, new_context: Callable[..., BrowserContext], jordan_id: int, check_page: Check
) -> None:
    path = f"/practitioner/children/{jordan_id}/agency-actions"
    rhys.goto(path)
    # Someone else (here, Rhys in another tab) saves the same action first, with its own words
    # unchanged: the revision moves on, nothing else other tests read changes.
    other = rhys.context.new_page()
    other.goto(path)
    first = other.locator("form.card").first
    saved_action = first.get_by_role("textbox", name=re.compile("will")).input_value()
    saved_due = first.get_by_label("By (date)").input_value()
    saved_repeats = first.get_by_label("How often (optional)").input_value()
    assert _save_action(other, saved_action, saved_due, saved_repeats) == 303
    assert _save_action(rhys, "Rhys's second words on the trigger plan", "2026-12-11", "Friday 5pm after school") == 409
    expect(rhys.get_by_role("alert")).to_contain_text("Someone else changed this action")
    form = rhys.locator("form.card").first
    expect(form.get_by_role("textbox", name=re.compile("will"))).to_have_value(
        "Rhys's second words on the trigger plan"
    )
    expect(form.get_by_label("By (date)")).to_have_value("2026-12-11")
    expect(form.get_by_label("How often (optional)")).to_have_value("Friday 5pm after school")
    check_page(rhys, "practitioner-agency-actions-conflict")


def test_the_accounts_form_says_what_to_change_and_keeps_what_was_typed(dana: Page, check_page: Check) -> None:
    dana.goto("/practitioner/admin/accounts")
    long_name = "Alexandra " * 13  # 130 characters
    dana.get_by_label("Name", exact=True).fill(long_name)
    dana.get_by_label("Work email").fill("new.person@example.org")
    dana.get_by_label("Role").select_option("social_worker")
    dana.get_by_label("Agency").select_option("school")
    dana.get_by_label("Team (optional)").fill("Team \u202eNorth")
    dana.get_by_label(re.compile("^First password")).fill("short")
    with dana.expect_response(lambda r: r.request.method == "POST") as answer:
        dana.get_by_role("button", name="Add account").click()
    dana.wait_for_load_state()
    assert answer.value.status == 422
    alert = dana.get_by_role("alert")
    expect(alert).to_contain_text("Keep it under 120 characters.")
    expect(alert).to_contain_text("Use at least 12 characters.")
    expect(dana.get_by_label("Name", exact=True)).to_have_value(long_name)
    expect(dana.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(dana.get_by_label("Work email")).to_have_value("new.person@example.org")
    expect(dana.get_by_label("Team (optional)")).to_have_value("Team \u202eNorth")
    expect(dana.get_by_label(re.compile("^First password"))).to_have_value("")
    check_page(dana, "practitioner-accounts-errors")


def test_a_post_too_large_for_any_box_says_so_and_how_long_a_box_may_be(
    practitioner: PractitionerDesk, jordan_id: int, check_page: Check
) -> None:
    """Through the real server: the 413 page reaches the browser (not a dropped connection)."""
    page = practitioner.page
    practitioner.open_child_by_id(jordan_id)
    practitioner.open_invite_form()
    # Typing cannot get past the box's maxlength; pasting into a form without one could.
    page.get_by_label("Name they like to be called").evaluate("(box, words) => { box.value = words; }", "w" * 300_000)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        practitioner.submit_invitation()
    assert answer.value.status == 413
    expect(practitioner.heading).to_have_text("That text is too long")
    expect(page.get_by_text("A box takes at most 2,000 characters")).to_be_visible()
    check_page(page, "practitioner-413")
