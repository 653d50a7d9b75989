"""Issue 12 items 7 and 8 in Chromium: Morgan (a manager) records a peer-group concern and routes it
to a mapping meeting, opens the strategic themes from the navigation, chooses a period and finds
the CSV link, then finds the peer group on the contexts map, at phone width (screenshots
themes.png and contexts.png, and axe)."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import PHONE

Check = Callable[[Page, str], None]

MORGAN = "morgan.lee@example.org"


def test_morgan_reads_the_strategic_themes_and_the_contexts_map(
    signed_in_practitioner: Callable[..., Page], check_page: Check
) -> None:
    page = signed_in_practitioner(MORGAN, PHONE)
    page.goto("/practitioner/concerns/new")
    page.get_by_role("radio", name="A peer group or location").check()
    page.get_by_role("textbox", name="The peer group or place").fill("the skate park lot")
    page.get_by_label("What is the concern?").fill("Older youths recruiting at the skate park after school")
    page.get_by_role("button", name="Record the concern").click()
    page.wait_for_url(re.compile(r"/practitioner/concerns/\d+"))
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(r"/practitioner/concerns/\d+\?done=decided"))
    page.goto("/practitioner/caseload")
    page.get_by_role("link", name="Strategic themes").click()
    page.wait_for_url(re.compile(r"/practitioner/themes$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategic themes")
    # A period that ends before it starts is refused, with the dates kept.
    page.get_by_label("From (first day)").fill("2026-11-30")
    page.get_by_label("To (last day)").fill("2026-09-01")
    page.get_by_role("button", name="Show the counts").click()
    expect(page.get_by_role("alert")).to_contain_text("The last day must be on or after the first day.")
    expect(page.get_by_label("From (first day)")).to_have_value("2026-11-30")
    page.get_by_label("From (first day)").fill("2026-09-01")
    page.get_by_label("To (last day)").fill("2026-11-30")
    page.get_by_role("button", name="Show the counts").click()
    page.wait_for_url(re.compile(r"/practitioner/themes\?from=2026-09-01&to=2026-11-30$"))
    expect(page.get_by_role("link", name="Download these counts (CSV)")).to_have_attribute(
        "href", "/practitioner/themes.csv?from=2026-09-01&to=2026-11-30"
    )
    expect(page.get_by_role("cell", name="fewer than 5").first).to_be_visible()
    check_page(page, "themes")
    page.get_by_role("link", name="Contexts").click()
    page.wait_for_url(re.compile(r"/practitioner/contexts$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Contexts")
    expect(page.get_by_text("If a child is in immediate danger call 999")).to_be_visible()
    expect(page.get_by_role("heading", name="Places marked unsafe in plans")).to_be_visible()
    expect(page.get_by_role("link", name="Jordan Ellis").first).to_be_visible()
    group = page.get_by_role("article").filter(has_text="the skate park lot")
    expect(group).to_contain_text("Older youths recruiting at the skate park after school")
    expect(group).to_contain_text("not held yet")
    check_page(page, "contexts")
