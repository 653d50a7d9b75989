"""Page objects for a Safer Me meeting on the practitioner door (app/meetings), in the worker's words.

Each one reaches the next page by the links and buttons a worker would use, starting from the
caseload: no URL is typed after "My caseload".
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


class Caseload:
    """The worker's caseload, and the child's page it leads to."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> None:
        self.page.goto("/practitioner/")
        expect(self.page.get_by_role("heading", level=1)).to_have_text("My caseload")

    def open_child(self, full_name: str) -> None:
        self.page.get_by_role("link", name=full_name).click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(full_name)

    def go_to_write_the_plan(self) -> None:
        self.page.get_by_role("link", name="Write the plan").click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Write")

    def go_to_meetings(self, first_name: str) -> None:
        self.page.get_by_role("link", name=f"Meetings about {first_name}").first.click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Meetings about")

    def back_to_the_child(self, full_name: str) -> None:
        self.page.get_by_role("link", name=full_name).first.click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(full_name)


class MeetingPage:
    """Scheduling a meeting, then its page: who is invited and came, consent, opening it."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def schedule(self, day: str, start: str, place: str, kind: str, facilitator: str) -> None:
        page = self.page
        page.get_by_label("Day").fill(day)
        page.get_by_label("Time it starts").fill(start)
        page.get_by_label("Where").fill(place)
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Who facilitates").select_option(label=facilitator)
        page.get_by_role("button", name="Schedule the meeting").click()
        page.wait_for_url(re.compile(r"/meetings/\d+\?done=scheduled$"))
        expect(page.get_by_role("status")).to_contain_text("The meeting is scheduled")

    def invited(self, name: str) -> Locator:
        return self.page.locator("ul.meeting-people > li").filter(has=self.page.locator("strong", has_text=name))

    def record_attendance(self, name: str, attendance: str) -> None:
        """`attendance` is "Present", "Apologies" or "Absent"."""
        person = self.invited(name)
        person.get_by_label(attendance, exact=True).check()
        person.get_by_role("button", name=f"Save attendance of {name}").click()
        expect(self.invited(name).locator(".badge").first).to_have_text(attendance)

    def record_that_the_statement_was_read(self) -> None:
        self.page.get_by_role("button", name="Record that it was read to everyone").click()
        expect(self.page.get_by_role("status").filter(has_text="the statement was read")).to_be_visible()

    def open_the_meeting(self) -> None:
        self.page.get_by_role("button", name="Open the meeting").click()
        self.page.wait_for_url(re.compile(r"/run$"))


class RunPage:
    """The guided agenda while the meeting runs: one item at a time, with its prompts and notes."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def current_item(self) -> Locator:
        return self.page.locator("#h-current")

    def write_notes(self, number: int, words: str) -> None:
        self.page.get_by_label(f"Notes for item {number}").fill(words)
        self.page.get_by_role("button", name="Save the notes").click()
        expect(self.page.get_by_role("status").filter(has_text="Notes saved.")).to_be_visible()

    def go_to_the_next_item(self) -> None:
        before = self.current_item.inner_text()
        self.page.get_by_role("button", name=re.compile(r"^Next item: ")).click()
        expect(self.current_item).not_to_have_text(before)

    def write_the_plan(self) -> None:
        """At item 8, the plan itself: its "Write the plan" page, in the meeting."""
        self.page.get_by_role("link", name="Write the plan").click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Write")

    def go_to_the_agreement(self) -> None:
        self.page.get_by_role("link", name="Go to the agreement").click()
        self.page.wait_for_url(re.compile(r"/agreement$"))


class AgreementPage:
    """Who has agreed, and agreeing the version with its review."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def person(self, name: str) -> Locator:
        return self.page.locator("#who-agreed li").filter(has=self.page.locator("strong", has_text=name))

    def record_that_they_agree_in_the_room(self, name: str) -> None:
        self.person(name).get_by_role("button", name=f"{name} agrees (said in the room)").click()
        expect(self.person(name)).to_contain_text("Agreed in the room")

    def i_agree(self, my_name: str) -> None:
        self.person(my_name).get_by_role("button", name="I agree").click()
        expect(self.person(my_name)).to_contain_text("Agreed on their own device")

    def agree_this_version(self, review_date: str, review_earlier_if: str, shared_with: str) -> None:
        page = self.page
        page.get_by_label("Review date").fill(review_date)
        page.get_by_label("Review earlier if").fill(review_earlier_if)
        page.get_by_label("Shared with (optional)").fill(shared_with)
        page.get_by_role("button", name="Agree this version").click()
        page.wait_for_url(re.compile(r"/record\?done=agreed$"))
        expect(page.get_by_role("status")).to_contain_text("Agreed.")
