"""Sam makes an API token in Chromium at phone size, uses it on the real server, and revokes it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from e2e.api_tokens_page import ApiTokensPage
from e2e.pages import PractitionerDesk
from e2e.server import LiveServer

Check = Callable[[Page, str], None]


def _call(live_server: LiveServer, path: str, token: str) -> tuple[int, dict[str, object]]:
    """What a case system's script does: one GET with the token in the Authorization header."""
    request = urllib.request.Request(  # noqa: S310 - our own server on localhost
        f"{live_server.origin}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_sam_makes_a_token_reads_his_caseload_with_it_and_revokes_it(
    practitioner: PractitionerDesk, live_server: LiveServer, jordan_id: int, check_page: Check
) -> None:
    tokens = ApiTokensPage(practitioner.page)
    tokens.open_from_the_top_bar()
    check_page(tokens.page, "practitioner-api-tokens")

    tokens.make_a_token("   ", stops_on="2099-01-01")
    expect(tokens.error_summary).to_contain_text("Say what the token is for")
    expect(tokens.error_summary).to_contain_text("at most 90 days away")
    check_page(tokens.page, "practitioner-api-tokens-errors")

    # What was typed came back; a month away is within the limit.
    expect(tokens.page.get_by_label("Stops working on")).to_have_value("2099-01-01")
    tokens.make_a_token("Mosaic nightly sync", stops_on=(date.today() + timedelta(days=30)).isoformat())
    raw = tokens.new_token
    assert raw.startswith("sp_pat_")
    expect(tokens.page.get_by_text("it is shown only once")).to_be_visible()
    check_page(tokens.page, "practitioner-api-tokens-made")

    status, body = _call(live_server, "/children", raw)
    assert status == 200 and jordan_id in {item["id"] for item in body["items"]}  # type: ignore[attr-defined]

    tokens.revoke("Mosaic nightly sync")
    expect(tokens.row("Mosaic nightly sync")).to_contain_text("Revoked")
    status, body = _call(live_server, "/children", raw)
    assert status == 401 and body["status"] == 401


def test_the_api_reference_opens_from_the_token_page_and_reads_on_a_phone(
    practitioner: PractitionerDesk, check_page: Check
) -> None:
    tokens = ApiTokensPage(practitioner.page)
    tokens.open_from_the_top_bar()
    tokens.page.get_by_role("link", name="Read the API reference").click()
    page = tokens.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Safer Plan practitioner API")
    # Made from the document: the statement writes are there with their If-Match rule.
    change = page.locator("#changeDraftStatement")
    expect(change).to_contain_text("PUT")
    expect(change).to_contain_text("If-Match")
    check_page(page, "api-docs")
