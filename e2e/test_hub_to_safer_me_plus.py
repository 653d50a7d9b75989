"""Issue 12's e2e, at phone width (screenshots and axe): a concern about a high-risk young person
not open to Children's Social Work goes to the Hub, is decided, and leads to a Safer Me Plus meeting.

Alex records a concern of his own about Kay (the demo's concern is test_concerns.py's to decide), so
this test depends on no other test's order; the Safer Me Plus meeting it schedules is weeks away,
after the Safer Me meeting test_kays_plan_journey.py (RUNS_LAST) holds for her.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from app.timeutil import today
from e2e.conftest import PHONE
from e2e.server import LiveServer

Check = Callable[[Page, str], None]

ALEX = "alex.morgan@example.org"
HANA = "hana.okafor@example.org"
LEVEL = "Safer Me Plus (strategy discussion, section 47 enquiry)"
WORDS = "Kay was dropped at the retail park at midnight by a man in a grey car (Hub to Safer Me Plus)"
ACTION = "Strategy discussion with police today; Alex schedules Safer Me Plus"


@pytest.fixture
def hub_people(live_server: LiveServer) -> dict[str, Any]:
    """Hana Okafor of the Hub (added once), signed in; e2e/conference_people.py makes her."""
    return live_server.run_module("e2e.conference_people")


def _window(new_context: Callable[..., BrowserContext], base_url: str, cookie: dict[str, str]) -> Page:
    context = new_context()
    context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": base_url}])
    return context.new_page()


def _alex_routes_a_new_concern_about_kay_to_the_hub(alex: Page, kayla_id: int) -> str:
    alex.goto(f"/practitioner/concerns/new?child_id={kayla_id}")
    alex.get_by_label("What is the concern?").fill(WORDS)
    alex.get_by_role("button", name="Record the concern").click()
    alex.wait_for_url(re.compile(r"/practitioner/concerns/\d+\?done=recorded"))
    concern_path = alex.url.split("?")[0]
    alex.locator("#risks_harm").fill("Picked up at midnight by an adult man in a grey car")
    alex.get_by_label("Nature of the harm").fill("Signs of sexual exploitation: an older man, late at night")
    alex.get_by_label("Severity of the harm").fill("Out alone at midnight with an adult her family do not know")
    alex.get_by_label("Frequency of the harm").fill("Twice in two weeks")
    alex.get_by_label("Impact of the harm on the young person").fill("Tired and withdrawn at school")
    alex.get_by_label("High risk").check()
    alex.get_by_label("Your reasons for this grade").fill("At risk of significant harm; not open to CSW")
    alex.get_by_role("button", name="Save the assessment").click()
    expect(alex.get_by_role("status")).to_contain_text("The Safer Me Assessment is saved")
    expect(alex.get_by_label("An Adolescent Safety Hub enquiry, then Safer Me Plus")).to_be_checked()
    alex.get_by_role("button", name="Record the decision").click()
    alex.wait_for_url(re.compile(r"done=decided"))
    expect(alex.locator("#decisions")).to_contain_text("Waiting for the Hub's decision")
    return concern_path


def _hana_opens_the_enquiry_about(hana: Page, words: str) -> None:
    """The queue names the young person, not the concern: Hana opens Kay's open enquiries in turn."""
    hana.goto("/practitioner/hub")
    links = hana.get_by_role("region", name="To decide: late first, then due today").get_by_role(
        "link", name="Kayla Brooks"
    )
    paths = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for path in paths:
        hana.goto(str(path))
        if words in hana.locator("main").inner_text():
            return
    raise AssertionError(f"no open enquiry about {words!r} in the Hub's queue")


def test_a_high_risk_concern_goes_to_the_hub_and_on_to_a_safer_me_plus_meeting(
    signed_in_practitioner: Callable[..., Page],
    new_context: Callable[..., BrowserContext],
    base_url: str,
    live_server: LiveServer,
    hub_people: dict[str, Any],
    check_page: Check,
) -> None:
    kayla_id = int(str(live_server.demo["kayla_id"]))
    alex = signed_in_practitioner(ALEX, PHONE)
    concern_path = _alex_routes_a_new_concern_about_kay_to_the_hub(alex, kayla_id)

    # Hana of the Hub decides Safer Me Plus; the allocated worker schedules it.
    hana = _window(new_context, base_url, hub_people[HANA])
    _hana_opens_the_enquiry_about(hana, WORDS)
    hana.get_by_label(LEVEL).check()
    hana.get_by_label("Action: what the Hub will do, and who").fill(ACTION)
    hana.get_by_role("button", name="Record the decision and notify MACE").click()
    hana.wait_for_url(re.compile(r"done=decided"))
    decision = hana.locator("#decision")
    expect(decision).to_contain_text(LEVEL)
    expect(decision).to_contain_text("The allocated worker schedules the Safer Me Plus meeting.")
    expect(decision.get_by_role("link", name="Schedule the Safer Me Plus meeting")).to_have_count(0)
    check_page(hana, "hub-decided")

    # Alex sees the Hub's decision on his concern and follows it to Kay's meetings.
    alex.goto(concern_path)
    decisions = alex.locator("#decisions")
    expect(decisions).to_contain_text(f"Decided: {LEVEL}")
    expect(decisions).to_contain_text(ACTION)
    expect(decisions).to_contain_text("Decided by Hana Okafor")
    check_page(alex, "concern-hub-decided")
    alex.get_by_role("link", name="Schedule the Safer Me Plus meeting").click()
    alex.wait_for_url(re.compile(rf"/children/{kayla_id}/meetings\?meeting_type=safer_me_plus"))
    expect(alex.get_by_label("Safer Me Plus", exact=True)).to_be_checked()
    day = today() + timedelta(weeks=5)
    alex.get_by_label("Day").fill(day.isoformat())
    alex.get_by_label("Time it starts").fill("10:00")
    alex.get_by_label("Where").fill("Civic Centre, room 3")
    alex.get_by_label("Who facilitates").select_option(label="Priya Shah (Safer Me Plus)")
    alex.get_by_role("button", name="Schedule the meeting").click()
    alex.wait_for_url(re.compile(r"/meetings/\d+\?done=scheduled$"))
    meeting_path = alex.url.split(base_url, 1)[1].split("?")[0]

    # Kay's meetings list it as Safer Me Plus; the concern now names it instead of the link.
    alex.goto(f"/practitioner/children/{kayla_id}/meetings")
    listed = alex.locator(".meeting-list a").filter(has_text=re.compile(r"^\s*Safer Me Plus meeting on"))
    expect(listed.filter(has_text=str(day.year))).not_to_have_count(0)
    expect(alex.locator(f'.meeting-list a[href="{meeting_path}"]')).to_contain_text("Safer Me Plus meeting on")
    check_page(alex, "safer-me-plus-scheduled")
    alex.goto(concern_path)
    expect(decisions).to_contain_text("The Safer Me Plus meeting is scheduled for")
    expect(alex.get_by_role("link", name="Open the Safer Me Plus meeting")).to_have_attribute("href", meeting_path)
    expect(alex.get_by_role("link", name="Schedule the Safer Me Plus meeting")).to_have_count(0)
