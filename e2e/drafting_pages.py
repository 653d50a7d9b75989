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
