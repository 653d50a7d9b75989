"""Live updates across two server processes (issue 9 §5): the fan-out goes through Redis.

Jordan's and Lisa's phones talk to one gunicorn, Sam's laptop to another, both on one database
and one Redis: a change written through one process shows on pages open on the other without
reloading. How fast is `make bench`'s business (bench/propagation.py); here it must arrive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from e2e.conftest import screenshot
from e2e.propagation import PARENT_SECTION, Screens, screens, start_pair
from e2e.server import LiveServer, drop_e2e_database
from tests.support.redis_server import redis_url_or_skip


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, LiveServer]]:
    redis_url = redis_url_or_skip()
    first, second = start_pair(tmp_path_factory.mktemp("two-servers"), redis_url)
    try:
        yield first, second
    finally:
        second.stop()
        first.stop()
        drop_e2e_database(first.database_url)


@pytest.fixture
def people(browser: Browser, two_servers: tuple[LiveServer, LiveServer]) -> Iterator[Screens]:
    first, second = two_servers
    cookies: dict[str, Any] = first.run_module("e2e.practitioner_cookies")
    open_screens = screens(browser, first, second, cookies)
    yield open_screens
    for page in (open_screens.phone, open_screens.laptop, open_screens.parent_phone):
        page.context.close()
    for server in two_servers:
        assert "Traceback" not in server.log_text(), server.log_text()


def test_changes_cross_from_one_server_process_to_the_other(people: Screens) -> None:
    people.open_pages()
    # Two processes, two ports: the phones on one, the laptop on the other.
    assert people.phone.url.split("/")[2] == people.parent_phone.url.split("/")[2]
    assert people.phone.url.split("/")[2] != people.laptop.url.split("/")[2]
    # The laptop and the phones keep the same page all along: changes come in, nothing reloads.
    for page in (people.phone, people.laptop, people.parent_phone):
        page.evaluate("window.stillTheSamePage = true")

    # Jordan writes on his phone (first server); Sam's open draft (second server) shows it.
    for words in ("go to the library after school instead", "ask Aunt Dee for a lift on Fridays"):
        seconds = people.idea_reaches_the_worker(words)
        assert seconds > 0
        expect(people.laptop.get_by_text(words)).to_be_visible()
    screenshot(people.phone, "two-servers-jordans-ideas")

    # Sam locks a section for Lisa (second server); her open phone page (first server) changes,
    # and changes back when he unlocks it.
    checking_in = people.parent_phone.get_by_role("region", name="Checking in")
    expect(checking_in).to_be_visible()
    assert people.the_parent_sees(PARENT_SECTION)
    people.lock_reaches_the_parent(PARENT_SECTION)
    expect(checking_in).to_have_count(0)
    # Said in a polite live region (issue 10, item 2), so a screen reader hears it too.
    expect(people.parent_phone.locator("#live-status")).to_have_text("The plan was updated just now.")
    people.lock_reaches_the_parent(PARENT_SECTION)
    expect(checking_in).to_be_visible()
    screenshot(people.parent_phone, "two-servers-parent-after-unlock")

    for page in (people.phone, people.parent_phone):
        assert page.evaluate("window.stillTheSamePage === true"), "a phone page reloaded"
