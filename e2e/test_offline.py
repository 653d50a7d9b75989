"""Offline and installable, by the young person's choice (SECURITY.md R17, R18)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Playwright, expect

from e2e.conftest import PHONE
from e2e.pages import FamilyPhone

# Plan text that must never outlive the session on the phone (demo data, app/demo/seed.py).
CANARIES = ("pineapple", "text Mum when I leave school")
WORDS = "I will ring Dee from the bus stop"


def section_headings(page: Page) -> list[str]:
    return page.get_by_role("heading", level=2).all_inner_texts()


def assert_nothing_left(phone: FamilyPhone) -> None:
    left = phone.what_this_phone_keeps()
    for canary in CANARIES:
        assert left.count(canary) == 0, f"{canary!r} is still on the phone:\n{left[:2000]}"
    assert "service workers: 0" in left


def test_r17_the_offline_copy_is_off_until_chosen(jordans_phone: FamilyPhone) -> None:
    expect(jordans_phone.offline_copy_choice).to_be_visible()
    expect(jordans_phone.offline_copy_choice).not_to_be_checked()
    assert_nothing_left(jordans_phone)
    assert "cache " not in jordans_phone.what_this_phone_keeps()


def test_r17_plan_opens_without_signal_then_sign_out_leaves_nothing(
    joined_phone: FamilyPhone, jordan_id: int, check_page: Callable[[Page, str], None]
) -> None:
    phone, page = joined_phone, joined_phone.page
    online_sections = section_headings(page)
    assert "If I'm in danger" in online_sections and "My plan, every day" in online_sections

    phone.keep_a_copy_on_this_phone()
    assert "pineapple" in phone.what_this_phone_keeps()  # the copy is real, so the wipe below means something

    phone.lose_signal()
    answer = phone.reload()
    assert answer is not None and answer.from_service_worker
    expect(phone.plan.greeting).to_have_text("Hi Jordan")
    assert section_headings(page) == online_sections
    expect(phone.plan.call_999).to_be_visible()
    phone.plan.show_my_safe_word()
    expect(phone.plan.safe_word).to_have_text("pineapple")
    expect(phone.offline_copy_choice).to_be_checked()

    # A page that is not kept opens the offline page instead of the browser's error.
    answer = page.goto(f"/c/{jordan_id}/history")
    assert answer is not None and answer.from_service_worker
    expect(phone.heading).to_have_text("No signal right now")
    check_page(page, "family-offline")

    # Words sent without signal are refused in plain words and shown back, never lost.
    sent = phone.send_words_without_signal(f"/c/{jordan_id}/statements", WORDS)
    assert sent["status"] == 503 and sent["offline"] == "not-sent"
    assert "Your words were NOT sent" in sent["body"] and WORDS in sent["body"]
    assert "csrf" not in sent["body"].lower()
    htmx = phone.send_words_without_signal(f"/c/{jordan_id}/statements", WORDS, htmx=True)
    assert htmx["status"] == 200 and 'role="alert"' in htmx["body"] and WORDS in htmx["body"]
    assert "<html" not in htmx["body"]
    # The same for a form submitted the ordinary way (a navigation).
    page.goto("/")
    page.evaluate(
        """([action, words]) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = action;
            const text = document.createElement("textarea");
            text.name = "text";
            text.value = words;
            form.appendChild(text);
            document.body.appendChild(form);
            form.submit();
        }""",
        [f"/c/{jordan_id}/statements", WORDS],
    )
    expect(phone.heading).to_have_text("Your words were NOT sent")
    expect(page.get_by_label("What you typed")).to_have_value(WORDS)
    check_page(page, "family-offline-not-sent")

    phone.get_signal_back()
    phone.open_my_plan()
    expect(phone.plan.greeting).to_have_text("Hi Jordan")
    phone.sign_out()
    assert_nothing_left(phone)


AGE_KEPT_PAGES = """async (onlyPath) => {
    // Make kept pages look as if the server last sent them 15 days ago (their Date header).
    const fifteenDaysAgo = new Date(Date.now() - 15 * 24 * 60 * 60 * 1000).toUTCString();
    let count = 0;
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            const response = await cache.match(request);
            if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) { continue; }
            if (onlyPath && new URL(request.url).pathname !== onlyPath) { continue; }
            const headers = new Headers(response.headers);
            headers.set("Date", fifteenDaysAgo);
            await cache.put(request, new Response(await response.blob(), { status: response.status, headers }));
            count += 1;
        }
    }
    return count;
}"""


def test_r17_a_copy_not_updated_for_two_weeks_deletes_itself(
    joined_phone: FamilyPhone, jordan_id: int, check_page: Callable[[Page, str], None]
) -> None:
    """A phone that never gets signal again (say, taken and kept offline) stops showing the plan."""
    phone, page = joined_phone, joined_phone.page
    phone.keep_a_copy_on_this_phone()

    # One old page is fine while another was refreshed recently: the copy as a whole is in use.
    assert page.evaluate(AGE_KEPT_PAGES, f"/c/{jordan_id}") == 1
    phone.lose_signal()
    answer = page.goto(f"/c/{jordan_id}")
    assert answer is not None and answer.from_service_worker
    expect(phone.plan.greeting).to_have_text("Hi Jordan")

    # Every page 15 days old: the copy deletes itself and says why, even while marked locked (the
    # age is checked before the lock screen is shown).
    assert page.evaluate(AGE_KEPT_PAGES, None) >= 2
    page.evaluate(
        """async () => {
            const cache = await caches.open("daybook-offline");
            await cache.put("/__daybook-locked__", new Response(""));
        }"""
    )
    answer = phone.reload()
    assert answer is not None and answer.from_service_worker
    expect(phone.heading).to_have_text("The copy on this phone is deleted")
    expect(page.get_by_text("It had not been updated for 14 days")).to_be_visible()
    check_page(page, "family-offline-copy-too-old")
    assert_nothing_left(phone)


MARK_KEPT_PAGE = """async (path) => {
    // Make the kept page recognisable (its greeting) and 15 days old (its Date header); its ETag stays.
    const cache = await caches.open("daybook-offline");
    const held = await cache.match(path, { ignoreSearch: true, ignoreVary: true });
    const headers = new Headers(held.headers);
    headers.set("Date", new Date(Date.now() - 15 * 24 * 60 * 60 * 1000).toUTCString());
    const body = (await held.text()).replace("Hi Jordan", "Hi Jordan, from the kept copy");
    await cache.put(path, new Response(body, { status: held.status, headers }));
}"""

KEPT_PAGE_DATE = """async (path) => {
    const cache = await caches.open("daybook-offline");
    const held = await cache.match(path, { ignoreSearch: true, ignoreVary: true });
    return Date.now() - Date.parse(held.headers.get("Date"));
}"""


def test_a_kept_plan_is_asked_for_with_its_tag_and_an_unchanged_one_is_not_sent_again(
    joined_phone: FamilyPhone, jordan_id: int
) -> None:
    """Issue 13: with the copy on, the service worker revalidates the plan rather than fetching it
    again: an unchanged plan is a 304 and the kept copy is shown; a changed one comes whole."""
    phone, page = joined_phone, joined_phone.page
    plan = f"/c/{jordan_id}"
    phone.keep_a_copy_on_this_phone()
    page.evaluate(MARK_KEPT_PAGE, plan)

    # Online: the only way the marked copy can be shown is the server's 304 for the copy's tag.
    answer = page.goto(plan)
    assert answer is not None and answer.from_service_worker
    expect(phone.plan.greeting).to_have_text("Hi Jordan, from the kept copy")
    # Confirmed now, so "not updated for two weeks" counts from now.
    assert page.evaluate(KEPT_PAGE_DATE, plan) < 5 * 60 * 1000

    # The plan changes: the tag no longer matches and the whole page comes, and is kept.
    phone.plan.add_statement("I will", WORDS)
    page.goto(plan)
    expect(phone.plan.greeting).to_have_text("Hi Jordan")
    expect(page.get_by_text(WORDS).first).to_be_visible()
    assert WORDS in phone.what_this_phone_keeps()


def test_r17_turning_the_copy_off_deletes_it(jordans_phone: FamilyPhone) -> None:
    jordans_phone.keep_a_copy_on_this_phone()
    assert "pineapple" in jordans_phone.what_this_phone_keeps()
    jordans_phone.stop_keeping_a_copy()
    assert_nothing_left(jordans_phone)
    assert "cache " not in jordans_phone.what_this_phone_keeps()
    jordans_phone.reload()
    expect(jordans_phone.offline_copy_choice).not_to_be_checked()


@pytest.mark.parametrize("signal", ["with signal", "without signal"])
def test_r16_r17_quick_exit_leaves_no_copy(signal: str, joined_phone: FamilyPhone, base_url: str) -> None:
    joined_phone.keep_a_copy_on_this_phone()
    assert "pineapple" in joined_phone.what_this_phone_keeps()
    if signal == "without signal":
        joined_phone.lose_signal()
    with joined_phone.page.expect_request(re.compile(r"^https://www\.bbc\.co\.uk/")):
        joined_phone.press_quick_exit()
    expect(joined_phone.page).not_to_have_url(re.compile(f"^{re.escape(base_url)}"))
    joined_phone.get_signal_back()
    # Back on the site (on a file with no plan in it, so no page can keep anything again): nothing left.
    joined_phone.page.goto(f"{base_url}/manifest.webmanifest")
    assert_nothing_left(joined_phone)


def test_r18_installable_with_a_neutral_name(
    playwright: Playwright, browser_type_launch_args: dict[str, Any], base_url: str, tmp_path: Path
) -> None:
    """Chromium's own installability check; it needs a persistent profile (an incognito one says so)."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), **browser_type_launch_args, viewport=PHONE, base_url=base_url
    )
    try:
        page = context.new_page()
        page.goto("/sign-in")
        expect(page).to_have_title("Daybook")
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [], manifest["errors"]
        assert manifest["url"].endswith("/manifest.webmanifest")
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == [], errors
    finally:
        context.close()
