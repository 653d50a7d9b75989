"""Page objects for writing a plan (app/drafting): what the worker does, in their words."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


class WritePlanPage:
    """The worker's "Write the plan" page for one child: the draft, section by section."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open_for(self, child_id: int) -> None:
        self.page.goto(f"/practitioner/children/{child_id}/draft")
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Write")

    def section(self, title: str) -> Locator:
        return self.page.get_by_role("region", name=title, exact=True)

    def _add_form(self, title: str) -> Locator:
        """The section's form to add an item, unfolded."""
        folded = self.section(title).locator("details.draft-add-wrap")
        if folded.get_attribute("open") is None:
            folded.locator("summary").click()
        return folded.locator("form.draft-add")

    def _add(self, title: str) -> None:
        with self.page.expect_response(lambda r: r.request.method == "POST"):
            self._add_form(title).get_by_role("button", name="Add").click()
        # The answer arrives before htmx swaps the section in: wait for the new one to say so.
        expect(self.section(title).locator("p.status")).to_have_text("Added.")

    def add_action(self, who: str, action: str, aim: str, success: str) -> None:
        form = self._add_form("Actions in priority order")
        form.get_by_label("Who").fill(who)
        form.get_by_label("Will do (action)").fill(action)
        form.get_by_label("To achieve (aim)").fill(aim)
        form.get_by_label("Which will be shown by (success)").fill(success)
        self._add("Actions in priority order")

    def add_statement(self, when: str, starter: str, words: str, *, own_words: bool = False) -> None:
        """`when` is "every day" or "in an emergency"; `starter` "I will", "I can"..."""
        title = "The young person: every day" if when == "every day" else "The young person: in an emergency"
        form = self._add_form(title)
        form.get_by_label("Starts with").select_option(label=starter)
        form.get_by_label("The words").fill(words)
        if own_words:
            form.get_by_label("In the young person's own words").check()
        self._add(title)

    def add_place(self, name: str, safety: str) -> None:
        form = self._add_form("Places")
        form.get_by_label("Place", exact=True).fill(name)
        form.get_by_label("Safe?").select_option(label=safety)
        self._add("Places")

    def set_review(self, day: str, significant_event: str) -> int:
        """Fill in the review and save; the HTTP status of the answer."""
        form = self.section("Review").locator("form")
        form.get_by_label("Review date").fill(day)
        form.get_by_label(re.compile("significant event")).fill(significant_event)
        with self.page.expect_response(lambda r: r.request.method == "POST") as answer:
            form.get_by_role("button", name="Save").click()
        return answer.value.status

    def move_up(self, words: str) -> None:
        item = self.item("Actions in priority order", words)
        with self.page.expect_response(lambda r: r.request.method == "POST"):
            item.get_by_role("button", name=re.compile("^Move up")).click()
        expect(self.section("Actions in priority order").locator("p.status")).to_have_text("Moved.")

    def item(self, title: str, words: str) -> Locator:
        return self.section(title).locator("li.draft-item").filter(has_text=words)

    def actions_in_order(self) -> list[str]:
        return self.section("Actions in priority order").locator("li.draft-item p.draft-item-text").all_inner_texts()

    def field_error(self, title: str) -> Locator:
        return self.section(title).locator(".field-error")

    # --- The rest of the Safer Plan template, section by section (issue 9's whole-plan journey) ---

    def add_emergency_contact(self, name: str, relationship: str, phone: str) -> None:
        form = self._add_form("Emergency contacts")
        form.get_by_label("Name", exact=True).fill(name)
        form.get_by_label("Who they are to the young person (optional)").fill(relationship)
        form.get_by_label("Phone number").fill(phone)
        self._add("Emergency contacts")

    def add_parental_responsibility(self, name: str, relationship: str) -> None:
        """Someone who has parental responsibility and can make decisions for the young person."""
        form = self._add_form("Parental responsibility")
        form.get_by_label("Name", exact=True).fill(name)
        form.get_by_label("Who they are to the young person (optional)").fill(relationship)
        form.get_by_label("Has parental responsibility").check()
        form.get_by_label("Can make decisions for the young person").check()
        self._add("Parental responsibility")

    def add_carer_commitment(self, who: str, will: str, what: str, by_when: str) -> None:
        """`will` is "will ensure", "will make" or "will do"."""
        form = self._add_form("Parent and carer commitments")
        form.get_by_label("Who (parent or carer)").fill(who)
        form.get_by_label("Will", exact=True).select_option(label=will)
        form.get_by_label("What they will ensure, make or do").fill(what)
        form.get_by_label("By or at (optional)").fill(by_when)
        self._add("Parent and carer commitments")

    def add_agency_action(
        self, agency: str, kind: str, action: str, due_on: str, *, police_trigger: bool = False
    ) -> None:
        form = self._add_form("Agency actions")
        form.get_by_label("Agency", exact=True).select_option(label=agency)
        form.get_by_label("Kind of action").select_option(label=kind)
        form.get_by_label("The agency will").fill(action)
        form.get_by_label("By (date)").fill(due_on)
        if police_trigger:
            form.get_by_label("This is the Police Trigger Plan").check()
        self._add("Agency actions")

    def add_network_person(self, name: str, relationship: str, safety: str) -> None:
        form = self._add_form("Network: people")
        form.get_by_label("Name", exact=True).fill(name)
        form.get_by_label("Who they are to the young person (optional)").fill(relationship)
        form.get_by_label("Safe?").select_option(label=safety)
        self._add("Network: people")

    def _save_fields(self, title: str, boxes: dict[str, str]) -> None:
        """Fill a section's own boxes (by label) and save; it must say "Saved."."""
        form = self.section(title).locator("form")
        for label, words in boxes.items():
            form.get_by_label(label, exact=True).fill(words)
        with self.page.expect_response(lambda r: r.request.method == "POST"):
            form.get_by_role("button", name="Save").click()
        expect(self.section(title).locator("p.status")).to_have_text("Saved.")

    def set_safe_word(self, word: str) -> None:
        self._save_fields("Safe word", {"Safe word": word})

    def set_where_to_be_taken_if_found_missing(self, place: str) -> None:
        self._save_fields(
            "If found when missing", {"If found when missing, where should the young person be taken?": place}
        )

    def set_contingency(self, steps: str, cover: str) -> None:
        self._save_fields(
            "Contingency plan",
            {
                "What steps can be taken if things don't go to plan?": steps,
                "Who can help if one professional or network member is not available?": cover,
            },
        )

    def set_onward_actions(self, hub_context: str, complex_abuse: str) -> None:
        self._save_fields(
            "Onward actions",
            {
                "Does information need to go to the Central Hub (a peer group, a place or a space)?": hub_context,
                "Is there indication of complex or complicated abuse?": complex_abuse,
            },
        )

    def back_to_the_meeting(self) -> None:
        """While a meeting runs, the draft page leads back to its agenda."""
        self.page.get_by_role("link", name="Back to the meeting").click()
        self.page.wait_for_url(re.compile(r"/run$"))
