"""Page objects for a young person's case (app/cases): adding a young person, and the case team."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

TEAM_PAGE = re.compile(r"/practitioner/children/\d+/team(\?done=\w+)?$")


@dataclass(frozen=True)
class YoungPerson:
    """What a worker types to add a young person (born as YYYY-MM-DD, as a date box takes it)."""

    first_name: str = ""
    last_name: str = ""
    preferred_name: str = ""
    born: str = ""
    school: str = ""
    meeting: str = ""  # "Safer Me" or "Safer Me Plus"
    open_to_csw: str = ""  # "Yes" or "No"


class CaseDesk:
    """A worker's browser on the case pages."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    @property
    def error_summary(self) -> Locator:
        return self.page.get_by_role("alert")

    @property
    def status(self) -> Locator:
        return self.page.get_by_role("status")

    def start_adding_a_young_person(self) -> None:
        """From the caseload, open "Add a young person"."""
        self.page.goto("/practitioner/")
        self.page.get_by_role("link", name="Add a young person").click()
        self.page.wait_for_url(re.compile(r"/practitioner/children/new$"))

    def fill_in(self, person: YoungPerson) -> None:
        page = self.page
        page.get_by_label("First name").fill(person.first_name)
        page.get_by_label("Last name").fill(person.last_name)
        page.get_by_label("The name they like to be called (optional)").fill(person.preferred_name)
        page.get_by_label("Date of birth").fill(person.born)
        page.get_by_label("School (optional)").fill(person.school)
        if person.meeting:
            page.get_by_label(person.meeting, exact=True).check()
        if person.open_to_csw:
            page.get_by_role("group", name="Are they open to Children's Social Work?").get_by_label(
                person.open_to_csw, exact=True
            ).check()

    def try_to_add(self, person: YoungPerson) -> int:
        """Fill the form and send it, expecting a refusal shown in place; the HTTP status."""
        self.fill_in(person)
        with self.page.expect_response(lambda r: r.request.method == "POST") as answer:
            self.page.get_by_role("button", name="Add young person").click()
        self.error_summary.wait_for()
        return answer.value.status

    def add(self, person: YoungPerson, *, different_person: bool = False) -> None:
        """Fill the form and send it: the new young person's case team opens."""
        self.fill_in(person)
        if different_person:
            self.page.get_by_label("This is a different young person: add them anyway").check()
        self.page.get_by_role("button", name="Add young person").click()
        self.page.wait_for_url(TEAM_PAGE)

    def role_section(self, case_role: str) -> Locator:
        """The team page's section for one case role ("Allocated worker", "Independent chair"...)."""
        return self.page.get_by_role("region", name=case_role, exact=True)

    def add_to_team(self, who: str, case_role: str) -> None:
        """Choose someone from the directory (by the start of their entry) and their case role."""
        select = self.page.get_by_label("Who", exact=True)
        label = next(o for o in select.locator("option").all_inner_texts() if o.startswith(who))
        select.select_option(label=label)
        self.page.get_by_role("group", name="Their role in the case").get_by_label(case_role, exact=True).check()
        self.page.get_by_role("button", name="Add to the case").click()

    def ask_to_remove(self, name: str) -> None:
        self.page.get_by_role("link", name=f"Remove {name} from the case").click()
        self.page.wait_for_url(re.compile(r"/team/\d+/remove$"))
