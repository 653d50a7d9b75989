"""Issue 12 part 6 in Chromium, at phone width (screenshots and axe): Sam records a concern about a
peer group and routes it to a mapping meeting; Hana of the Hub weighs it "conference to follow";
Priya, the independent chair, runs the conference through seed 000's agenda step by step, builds
the plan, records the time kept for it and closes it with its review date."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import PHONE
from e2e.server import LiveServer

Check = Callable[[Page, str], None]

SAM = "sam.okafor@example.org"
HANA = "hana.okafor@example.org"
PRIYA = "priya.shah@example.org"
GROUP = "the Cobblestone crew"


@pytest.fixture
def conference_people(live_server: LiveServer) -> dict[str, Any]:
    return live_server.run_module("e2e.conference_people")


def _window(new_context: Callable[..., BrowserContext], base_url: str, cookie: dict[str, str]) -> Page:
    context = new_context()
    context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": base_url}])
    return context.new_page()


def test_a_peer_group_concern_goes_to_mapping_and_a_conference_with_its_plan(
    signed_in_practitioner: Callable[..., Page],
    new_context: Callable[..., BrowserContext],
    base_url: str,
    conference_people: dict[str, Any],
    check_page: Check,
) -> None:
    # Sam records the concern about a peer group and routes it to a mapping meeting.
    sam = signed_in_practitioner(SAM, PHONE)
    sam.goto("/practitioner/concerns/new")
    sam.get_by_label("A peer group or location", exact=True).check()
    sam.get_by_label("The peer group or place").fill(GROUP)
    sam.get_by_label("What is the concern?").fill("Older youths recruiting younger ones at the skate park")
    sam.get_by_role("button", name="Record the concern").click()
    sam.wait_for_url(re.compile(r"/practitioner/concerns/\d+"))
    sam.get_by_label("A mapping meeting, context weighting, then a context conference").check()
    sam.get_by_role("button", name="Record the decision").click()
    sam.wait_for_url(re.compile(r"/practitioner/concerns/\d+\?done=decided"))

    # Hana weighs the context at the mapping meeting: a peer-group conference follows.
    hana = _window(new_context, base_url, conference_people[HANA])
    hana.goto("/practitioner/mapping")
    hana.get_by_role("link", name=GROUP).first.click()
    hana.wait_for_url(re.compile(r"/practitioner/mapping/\d+$"))
    hana.get_by_label("The mapping meeting was held on").fill("2031-01-08")
    hana.get_by_label("High", exact=True).check()
    hana.get_by_label("Reasons for the weighting").fill("Daily recruiting at the skate park")
    hana.locator("#conference-yes").check()
    hana.get_by_label("Peer group context conference").check()
    check_page(hana, "mapping-weighing")
    hana.get_by_role("button", name="Record the weighting").click()
    hana.wait_for_url(re.compile(r"done=weighed"))
    hana.get_by_role("link", name="Open the peer group context conference").click()
    hana.wait_for_url(re.compile(r"/practitioner/conferences/\d+$"))
    conference_path = hana.url.split(base_url, 1)[1]

    # Priya finds it in her list and runs the agenda.
    priya = _window(new_context, base_url, conference_people[PRIYA])
    priya.goto("/practitioner/")
    priya.get_by_role("link", name="Conferences", exact=True).click()
    priya.wait_for_url(re.compile(r"/practitioner/conferences$"))
    expect(priya.get_by_text("If a child is in immediate danger call 999")).to_be_visible()
    check_page(priya, "conferences-list")
    priya.goto(conference_path)
    priya.get_by_role("link", name="Run the agenda, step by step").click()
    expect(priya.get_by_text("Step 1 of 10")).to_be_visible()
    priya.get_by_label("Yes", exact=True).check()
    priya.get_by_label("Present and apologies").fill("QAS, police, the school's DSL, youth work")
    priya.get_by_role("button", name="Save and continue").click()
    expect(priya.get_by_text("Step 2 of 10")).to_be_visible()
    priya.get_by_label("Themes").fill("Recruitment into county lines by older youths")
    priya.get_by_label("The young people's views").fill("They feel safer with the youth club open later")
    check_page(priya, "conference-step")
    priya.get_by_role("button", name="Save and continue").click()
    for number in range(3, 10):
        expect(priya.get_by_text(f"Step {number} of 10")).to_be_visible()
        if number == 5:
            priya.locator("#complex_strategy-no").check()
            priya.locator("#s47-no").check()
        priya.get_by_role("button", name="Save and continue").click()
    expect(priya.get_by_text("Step 10 of 10")).to_be_visible()
    priya.get_by_label("Outcomes: what safe would look like").fill("The skate park is safe after school")
    priya.get_by_role("button", name="Save", exact=True).click()
    priya.get_by_label("Domain", exact=True).select_option("target_contexts")
    priya.get_by_label("Who (a person or an agency)").fill("Police Youth Engagement Officer")
    priya.get_by_label("Will do").fill("walk the skate park with youth workers after school")
    priya.get_by_label("By", exact=True).fill("2031-02-14")
    priya.get_by_role("button", name="Add the action").click()
    expect(priya.locator("#plan")).to_contain_text("Police Youth Engagement Officer will walk the skate park")
    priya.get_by_label("Started at").fill("14:00")
    priya.get_by_label("Ended at").fill("14:35")
    priya.get_by_role("button", name="Record the times").click()
    expect(priya.locator("#plan-time")).to_contain_text("35 minutes recorded")
    priya.get_by_role("link", name="Go to closing the conference").click()
    priya.get_by_role("button", name="Close the conference").click()
    priya.wait_for_url(re.compile(r"done=closed"))
    expect(priya.get_by_role("status")).to_have_text("The conference is closed and its review date set.")
    expect(priya.locator("#close")).to_contain_text("Review on")
    check_page(priya, "conference")
