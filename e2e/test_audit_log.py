"""The audit log in Chromium at phone size: a manager reads it in sentences, with names, and filters
it; an admin reads the same log by record number. Checked with axe and for sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from e2e.pages import PractitionerDesk
from e2e.server import LiveServer

Check = Callable[[Page, str], None]


@pytest.fixture(scope="session")
def audit_readers(live_server: LiveServer) -> dict[str, Any]:
    return live_server.run_module("e2e.open_sessions")


def _signed_in(new_context: Callable[..., BrowserContext], live_server: LiveServer, cookie: dict[str, str]) -> Page:
    context = new_context()
    context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": live_server.origin}])
    return context.new_page()


def test_a_manager_reads_and_filters_the_audit_log(
    new_context: Callable[..., BrowserContext],
    live_server: LiveServer,
    audit_readers: dict[str, Any],
    practitioner: PractitionerDesk,
    jordan_id: int,
    check_page: Check,
) -> None:
    practitioner.open_child_by_id(jordan_id)  # Sam opens Jordan's plan: a row to read
    page = _signed_in(new_context, live_server, audit_readers["manager"])
    page.goto("/practitioner/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_role("cell", name="Sam Okafor, social worker, opened Jordan's full plan").first).to_be_visible()
    check_page(page, "practitioner-audit-manager")

    page.get_by_label("Person", exact=True).select_option(label="Sam Okafor, social worker")
    page.get_by_label("What").select_option(label="Reads")
    page.get_by_role("button", name="Search").click()
    # The choices stay as chosen, and every row is one of Sam's reads.
    expect(page.get_by_label("Person", exact=True).locator("option:checked")).to_have_text("Sam Okafor, social worker")
    expect(page.locator("tbody tr td:nth-child(2)").first).to_have_text("Sam Okafor")
    expect(page.locator("tbody tr td:nth-child(2)").filter(has_not_text="Sam Okafor")).to_have_count(0)
    expect(page.locator("tbody tr td:nth-child(5)").filter(has_not_text="Allowed")).to_have_count(0)

    page.get_by_label("From").fill("2030-01-02")
    page.get_by_label("To").fill("2030-01-01")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("alert")).to_contain_text("The end date is before the start date")
    check_page(page, "practitioner-audit-refused-filter")


def test_an_admin_reads_the_audit_log_by_record_number(
    new_context: Callable[..., BrowserContext],
    live_server: LiveServer,
    audit_readers: dict[str, Any],
    jordan_id: int,
    check_page: Check,
) -> None:
    page = _signed_in(new_context, live_server, audit_readers["admin"])
    page.goto("/practitioner/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_text("by record number, not by name")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Jordan")
    page.get_by_label("Young person").select_option(label=f"Record {jordan_id}")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("tbody tr td:nth-child(3)").first).to_have_text(str(jordan_id))
    check_page(page, "practitioner-audit-admin")
