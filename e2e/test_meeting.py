"""A Safer Me meeting on two devices: Sam's laptop (1280x800) and Jordan's phone (390x844).

Sam schedules the meeting; Jordan writes what he wants the meeting to know; Sam opens it and
Jordan's phone follows the agenda live, without reloading; both agree on their own device; the
phone shows the new version. Every new page is screenshotted at 390 px and checked with axe.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from playwright.sync_api import BrowserContext, Page, StorageState, expect

from app.timeutil import today
from e2e.conftest import PHONE
from e2e.pages import FamilyPhone, PractitionerDesk, SyncedPasskeys

# This module agrees a new version of Jordan's plan and leaves a meeting running on the shared
# server: it runs after every other browser test (e2e/conftest.py).
RUNS_LAST = True

Check = Callable[[Page, str], None]
LAPTOP = {"width": 1280, "height": 800}
# The live stream answers within a second; allow for a busy test machine.
LIVE_TIMEOUT = 5_000


def _check_at_phone_width(page: Page, check_page: Check, name: str) -> None:
    """The practitioner pages must look cared for at 390 px too: check them there, then go back."""
    page.set_viewport_size(PHONE)
    try:
        check_page(page, name)
    finally:
        page.set_viewport_size(LAPTOP)


def test_sam_and_jordan_hold_a_meeting_on_two_devices(
    new_context: Callable[..., BrowserContext],
    practitioner_state: StorageState,
    sams_passkeys: SyncedPasskeys,
    jordans_phone: FamilyPhone,
    jordan_id: int,
    check_page: Check,
) -> None:
    desk = PractitionerDesk.in_new_browser(new_context(storage_state=practitioner_state), sams_passkeys)
    laptop = desk.page
    laptop.set_viewport_size(LAPTOP)  # every context starts as a phone (e2e/conftest.py)
    phone = jordans_phone.page

    # Sam schedules a Safer Me meeting for tomorrow, which he facilitates himself.
    laptop.goto(f"/practitioner/children/{jordan_id}/meetings")
    _check_at_phone_width(laptop, check_page, "practitioner-meetings")
    meeting_day = today() + timedelta(days=1)
    laptop.get_by_label("Day").fill(meeting_day.isoformat())
    laptop.get_by_label("Time it starts").fill("16:00")
    laptop.get_by_label("Where").fill("Millbrook Academy, meeting room 2")
    laptop.get_by_label("Safer Me", exact=True).check()
    laptop.get_by_label("Who facilitates").select_option(label="Sam Okafor (Safer Me)")
    laptop.get_by_role("button", name="Schedule the meeting").click()
    laptop.wait_for_url(re.compile(r"/meetings/\d+\?done=scheduled$"))
    expect(laptop.get_by_role("status")).to_contain_text("The meeting is scheduled")
    _check_at_phone_width(laptop, check_page, "practitioner-meeting")
    meeting_url = laptop.url.split("?")[0]

    # Jordan's plan shows the meeting; he writes what he wants it to know.
    jordans_phone.open_my_plan()
    card = phone.get_by_role("region", name="My next meeting")
    expect(card).to_contain_text("Millbrook Academy, meeting room 2")
    card.get_by_role("link", name="Tell the meeting what I want it to know").click()
    phone.wait_for_url(re.compile(r"/meeting$"))
    phone.get_by_label("My words for the meeting").fill("I want to keep going to boxing.")
    phone.get_by_role("button", name="Save my words").click()
    expect(phone.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    check_page(phone, "family-meeting-before")

    # Sam opens the meeting: Jordan's words come first.
    laptop.goto(meeting_url)
    laptop.get_by_role("button", name="Open the meeting").click()
    laptop.wait_for_url(re.compile(r"/run$"))
    first_words = laptop.get_by_role("region", name="What Jordan wants the meeting to know")
    expect(first_words).to_contain_text("I want to keep going to boxing.")
    _check_at_phone_width(laptop, check_page, "practitioner-meeting-run")

    # Jordan's phone follows the agenda live, without reloading.
    phone.reload()
    now = phone.locator(".now-discussing")
    expect(now).to_contain_text("Introductions and purpose")
    phone.evaluate("window.stillTheSamePage = true")
    laptop.get_by_label("Notes for item 1").fill("Everyone said who they are. Jordan spoke first.")
    laptop.get_by_role("button", name="Save the notes").click()
    expect(laptop.get_by_role("status").filter(has_text="Notes saved.")).to_be_visible()
    laptop.get_by_role("button", name=re.compile(r"^Next item: Key professionals")).click()
    expect(now).to_contain_text("Key professionals", timeout=LIVE_TIMEOUT)
    assert phone.evaluate("window.stillTheSamePage") is True
    check_page(phone, "family-meeting-running")

    # On to the plan: the phone is asked to agree.
    laptop.get_by_role("button", name="8. The Safer Plan").click()
    expect(now).to_contain_text("The Safer Plan", timeout=LIVE_TIMEOUT)
    laptop.get_by_role("link", name="Go to the agreement").click()
    laptop.wait_for_url(re.compile(r"/agreement$"))

    # Both agree on their own device; Sam's page shows Jordan's agreement live.
    phone.get_by_role("button", name="I agree").click()
    expect(phone.get_by_text("You said you agree with the plan.")).to_be_visible()
    jordans_row = laptop.get_by_role("listitem").filter(has_text="Jordan")
    expect(jordans_row.first).to_contain_text("Agreed on their own device", timeout=LIVE_TIMEOUT)
    laptop.get_by_role("button", name="I agree").click()
    expect(laptop.get_by_role("listitem").filter(has_text="Sam Okafor").first).to_contain_text(
        "Agreed on their own device"
    )
    _check_at_phone_width(laptop, check_page, "practitioner-meeting-agreement")

    # A review more than 8 weeks away is refused with the reason; then the version is agreed.
    laptop.get_by_label("Review date").fill((meeting_day + timedelta(weeks=9)).isoformat())
    laptop.get_by_label("Review earlier if").fill("a missing episode, an arrest or an exclusion")
    laptop.get_by_role("button", name="Agree this version").click()
    expect(laptop.get_by_role("alert")).to_contain_text("Reviews are no more than 8 weeks apart.")
    expect(laptop.get_by_label("Review earlier if")).to_have_value("a missing episode, an arrest or an exclusion")
    laptop.get_by_label("Review date").fill((meeting_day + timedelta(weeks=4)).isoformat())
    laptop.get_by_role("button", name="Agree this version").click()
    laptop.wait_for_url(re.compile(r"/record\?done=agreed$"))
    expect(laptop.get_by_role("region", name="Notes, item by item")).to_contain_text("Jordan spoke first.")
    _check_at_phone_width(laptop, check_page, "practitioner-meeting-record")

    # The phone: the meeting is over, and the plan shows the new version.
    expect(phone.get_by_text("There is no meeting planned for you right now.")).to_be_visible(timeout=LIVE_TIMEOUT)
    jordans_phone.open_my_plan()
    expect(jordans_phone.plan.whats_new).to_be_visible()
    check_page(phone, "family-plan-after-meeting")


def test_cancelling_a_meeting_asks_first(
    new_context: Callable[..., BrowserContext],
    practitioner_state: StorageState,
    sams_passkeys: SyncedPasskeys,
    jordan_id: int,
    check_page: Check,
) -> None:
    desk = PractitionerDesk.in_new_browser(new_context(storage_state=practitioner_state), sams_passkeys)
    page = desk.page  # at phone width: the context's default
    page.goto(f"/practitioner/children/{jordan_id}/meetings")
    page.get_by_label("Day").fill((today() + timedelta(days=10)).isoformat())
    page.get_by_label("Time it starts").fill("10:00")
    page.get_by_label("Where").fill("The youth centre")
    page.get_by_label("Safer Me", exact=True).check()
    page.get_by_label("Who facilitates").select_option(label="Sam Okafor (Safer Me)")
    page.get_by_role("button", name="Schedule the meeting").click()
    page.get_by_role("link", name="Cancel this meeting").click()
    check_page(page, "practitioner-meeting-cancel")
    page.get_by_role("button", name="Yes, cancel the meeting").click()
    expect(page.get_by_role("status")).to_contain_text("The meeting is cancelled.")


def test_a_trusted_adult_facilitates_from_her_phone(
    practitioner: PractitionerDesk, phone: FamilyPhone, jordan_id: int, check_page: Check
) -> None:
    """Nia, Jordan's trusted adult, is nominated to facilitate: she runs it from the family door."""
    desk = practitioner
    desk.open_child_by_id(jordan_id)
    phone.open_invitation(desk.invite("Trusted adult", "Nia", "Auntie Nia"))
    phone.make_my_key()
    page = desk.page
    page.goto(f"/practitioner/children/{jordan_id}/meetings")
    page.get_by_label("Day").fill((today() + timedelta(days=2)).isoformat())
    page.get_by_label("Time it starts").fill("17:30")
    page.get_by_label("Where").fill("The youth centre")
    page.get_by_label("Safer Me", exact=True).check()
    page.get_by_label("Who facilitates").select_option(label="Auntie Nia (Safer Me)")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_role("status")).to_contain_text("The meeting is scheduled")

    nia = phone.page
    nia.goto(f"/c/{jordan_id}/meeting")
    nia.get_by_role("link", name="Get the meeting ready").click()
    expect(nia.get_by_role("heading", name="Who is invited")).to_be_visible()
    check_page(nia, "family-facilitator-meeting")
    nia.get_by_role("button", name="Record that it was read to everyone").click()
    expect(nia.get_by_role("status").filter(has_text="the statement was read")).to_be_visible()
    nia.get_by_role("button", name="Open the meeting").click()
    nia.wait_for_url(re.compile(r"/run$"))
    expect(nia.get_by_role("heading", name="Item 1: Introductions and purpose")).to_be_visible()
    check_page(nia, "family-facilitator-run")
    nia.get_by_role("button", name=re.compile(r"^Next item: Key professionals")).click()
    expect(nia.get_by_role("heading", name="Item 2: Key professionals")).to_be_visible()
    nia.get_by_role("link", name="Agreement").click()
    nia.wait_for_url(re.compile(r"/agreement$"))
    check_page(nia, "family-facilitator-agreement")
