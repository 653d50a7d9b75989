"""Issue 9's "Done when": from the demo, Alex writes Kay's whole plan and agrees it with Kay in a meeting.

Everything in the browser, at a laptop (1280x800), reached by links from Alex's caseload: every
section of the Safer Plan template (seed 003) gets at least one item; a Safer Me meeting is
scheduled, attendance and consent recorded, the agenda stepped through with notes on some items
and, at item 8, one more line written into the plan with Kay before going back to the agenda;
Kay (who has no phone in the demo) agrees in the room, Alex on his own computer; the version is
agreed with a review within 8 weeks. Then Kay's plan shows version 1 agreed with those words, and
the meeting record shows the notes. The key pages are checked at 390 px with axe.

Kay's plan is otherwise used only by test_drafting.py, which adds to her working draft: after
this test agrees version 1 there is a new working draft to add to, and the words here share no
phrase with that test's, so both pass in either order (checked both ways). This module still runs
last (RUNS_LAST), so that nothing else sees Kay's plan already agreed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import Page, expect

from app.timeutil import today
from e2e.conftest import LAPTOP, PHONE
from e2e.drafting_pages import WritePlanPage
from e2e.meeting_pages import AgreementPage, Caseload, MeetingPage, RunPage
from e2e.server import LiveServer

RUNS_LAST = True

ALEX = "alex.morgan@example.org"
Check = Callable[[Page, str], None]

# Words written into the plan, read back from the agreed version at the end.
ACTION = "see Kay at her nan's every Tuesday"
EVERYDAY = "go to the youth club with my cousin"
EMERGENCY = "ring Nan and say the safe word"
SAFE_WORD = "pineapple"
CONTACT = "Nan (Pat Brooks)"
IF_MISSING = "Nan's house on Orchard Road"
PARENT = "Michelle Brooks"
COMMITMENT = "ask Kay how her day was when she gets home"
AGENCY_ACTION = "check Kay's attendance every morning and call home if she is absent"
NETWORK_PERSON = "Auntie Rose"
UNSAFE_PLACE = "the car park behind the retail park"
CONTINGENCY = "If Kay does not come home by 10pm, Mum calls the police and Alex."
ONWARD = "Yes: the car park behind the retail park, for a context response."
TRIGGER = "a missing episode, an arrest or an exclusion"
SAID_IN_THE_MEETING = "to be listened to when I come home late"
NOTE_1 = "Kay spoke first: she wants to keep her phone and see her cousin."
NOTE_3 = "Kay has been going missing on Friday nights, usually after school."


@pytest.fixture
def alex(signed_in_practitioner: Callable[..., Page]) -> Page:
    """Alex Morgan, Kay's allocated worker, signed in on a laptop."""
    return signed_in_practitioner(ALEX, LAPTOP)


def _check_at_phone_width(page: Page, check_page: Check, name: str) -> None:
    """Practitioner pages must look cared for at 390 px too: check them there, then go back."""
    page.set_viewport_size(PHONE)
    try:
        check_page(page, name)
    finally:
        page.set_viewport_size(LAPTOP)


def _write_the_whole_plan(plan: WritePlanPage, review_day: str) -> None:
    """At least one item in every section of the Safer Plan template."""
    plan.add_action("Alex", ACTION, "a safe adult Kay talks to each week", "Kay comes to most Tuesdays")
    plan.add_statement("every day", "I will", EVERYDAY, own_words=True)
    plan.add_statement("in an emergency", "I will", EMERGENCY, own_words=True)
    plan.set_safe_word(SAFE_WORD)
    plan.add_emergency_contact(CONTACT, "Kay's nan", "07700 900123")
    plan.set_where_to_be_taken_if_found_missing(IF_MISSING)
    plan.add_parental_responsibility(PARENT, "Mum")
    plan.add_carer_commitment(PARENT, "will do", COMMITMENT, "every evening")
    plan.add_agency_action(
        "School", "Actions to increase safety", AGENCY_ACTION, (today() + timedelta(days=7)).isoformat()
    )
    plan.add_network_person(NETWORK_PERSON, "Mum's sister", "Safe")
    plan.add_place(UNSAFE_PLACE, "Not safe")
    expect(plan.item("Places", UNSAFE_PLACE)).to_contain_text("Unsafe place")
    plan.set_contingency(CONTINGENCY, "Nadia Rahman (Early Help) covers when Alex is away.")
    plan.set_onward_actions(ONWARD, "No indication at present.")
    assert plan.set_review(review_day, TRIGGER) == 200
    expect(plan.section("Review")).to_contain_text("Saved.")


def test_alex_writes_kays_whole_plan_and_agrees_it_with_her_in_a_meeting(
    alex: Page, live_server: LiveServer, check_page: Check
) -> None:
    meeting_day = today() + timedelta(days=1)
    review_day = (meeting_day + timedelta(weeks=6)).isoformat()
    caseload = Caseload(alex)

    # From the caseload to Kay's plan, and on to write it.
    caseload.open()
    caseload.open_child("Kayla Brooks")
    caseload.go_to_write_the_plan()
    plan = WritePlanPage(alex)
    _write_the_whole_plan(plan, review_day)
    _check_at_phone_width(alex, check_page, "journey-kays-whole-draft")

    # The draft leads back to Kay's page, and on to her meetings: Alex schedules a Safer Me meeting
    # he facilitates.
    caseload.back_to_the_child("Kayla Brooks")
    caseload.go_to_meetings("Kayla")
    meeting = MeetingPage(alex)
    meeting.schedule(
        meeting_day.isoformat(), "16:00", "Westfield High School, room 4", "Safer Me", "Alex Morgan (Safer Me)"
    )
    expect(meeting.invited("Kay")).to_contain_text("Young person")

    # Who came: Kay, Alex and Nadia; the school and health sent apologies.
    for name in ("Kay", "Alex Morgan", "Nadia Rahman"):
        meeting.record_attendance(name, "Present")
    for name in ("Jo Whitaker", "Ben Carter"):
        meeting.record_attendance(name, "Apologies")
    meeting.record_that_the_statement_was_read()
    _check_at_phone_width(alex, check_page, "journey-kays-meeting")
    meeting.open_the_meeting()

    # The guided agenda, item by item, with notes on some.
    run = RunPage(alex)
    expect(run.current_item).to_contain_text("Item 1: Introductions and purpose")
    run.write_notes(1, NOTE_1)
    run.go_to_the_next_item()
    run.go_to_the_next_item()
    expect(run.current_item).to_contain_text("Item 3")
    run.write_notes(3, NOTE_3)
    while "The Safer Plan" not in run.current_item.inner_text():
        run.go_to_the_next_item()
    _check_at_phone_width(alex, check_page, "journey-kays-meeting-plan-item")
    # Item 8: in the meeting, Kay adds what she needs, in her own words; then back to the agenda.
    run.write_the_plan()
    plan.add_statement("every day", "I need", SAID_IN_THE_MEETING, own_words=True)
    plan.back_to_the_meeting()
    expect(run.current_item).to_contain_text("The Safer Plan")
    run.go_to_the_agreement()

    # Kay says she agrees in the room; Alex agrees on his own computer; Nadia in the room.
    agreement = AgreementPage(alex)
    agreement.record_that_they_agree_in_the_room("Kay")
    agreement.record_that_they_agree_in_the_room("Nadia Rahman")
    agreement.i_agree("Alex Morgan")
    # Alex's own clicks changed the meeting: the page must not say a change is still to come.
    expect(alex.locator("#live-status")).not_to_have_text("Something changed. It will show when you finish here.")
    _check_at_phone_width(alex, check_page, "journey-kays-agreement")
    expect(alex.get_by_label("Review date")).to_have_value(review_day)
    agreement.agree_this_version(review_day, TRIGGER, "Kay, her mum, Westfield High School")

    # The record keeps the agenda notes.
    notes = alex.get_by_role("region", name="Notes, item by item")
    expect(notes).to_contain_text(NOTE_1)
    expect(notes).to_contain_text(NOTE_3)
    _check_at_phone_width(alex, check_page, "journey-kays-meeting-record")

    # Alex's caseload shows Kay's plan agreed, with its review; her plan is version 1, agreed,
    # with the words written above.
    caseload.open()
    kays_row = alex.get_by_role("row").filter(has_text="Kayla Brooks")
    expect(kays_row).to_contain_text(format_date(meeting_day, "d MMM yyyy", locale="en"))
    expect(kays_row).to_contain_text(format_date(meeting_day + timedelta(weeks=6), "d MMM yyyy", locale="en"))
    caseload.open_child("Kayla Brooks")
    alex.get_by_role("link", name="Version 1, agreed").click()
    expect(alex.locator(".version-banner")).to_contain_text("Version 1, agreed")
    content = alex.locator(".content")
    for words in (ACTION, EVERYDAY, EMERGENCY, CONTACT, IF_MISSING, PARENT, COMMITMENT, AGENCY_ACTION):
        expect(content).to_contain_text(words)
    for words in (NETWORK_PERSON, UNSAFE_PLACE, CONTINGENCY, ONWARD, TRIGGER, SAID_IN_THE_MEETING):
        expect(content).to_contain_text(words)
    expect(content).to_contain_text("Kay")  # agreed by
    _check_at_phone_width(alex, check_page, "journey-kays-agreed-plan")
