"""A change made through one server process, seen on a page open on another (issue 9 §5).

Two gunicorn processes on one database and one Redis, as production runs several: the young
person's phone talks to one, the worker's laptop to the other, so a change can only reach the
other screen through Redis. Used by e2e/test_two_servers.py (it happens) and bench/propagation.py
(how fast: median and p95 over many edits).

Each measure starts just before the writer's click and ends when the other page shows the
change, polled every animation frame; it includes the write's own request, the commit, Redis,
the stream, and the reader's fetch of its fragment, as a person watching both screens would see.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from e2e.server import LiveServer, e2e_database_url

PAIR_DATABASE = "test_e2e_pair"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# A section Lisa (parent) sees in the demo, and that locking takes off her page.
PARENT_SECTION = "When we check in next"
# The most a change may take to show in a test (a bench measures; a test only checks it arrives).
ARRIVES_WITHIN_MS = 10_000


def start_pair(workdir: Path, redis_url: str) -> tuple[LiveServer, LiveServer]:
    """Two server processes on a fresh demo database, fanning out through Redis at `redis_url`."""
    (workdir / "first").mkdir(parents=True, exist_ok=True)
    (workdir / "second").mkdir(parents=True, exist_ok=True)
    database_url = e2e_database_url(workdir, name=PAIR_DATABASE)
    first = LiveServer(workdir=workdir / "first", database_url=database_url, extra_env={"REDIS_URL": redis_url})
    first.start()
    try:
        second = first.twin(workdir / "second")
    except Exception:
        first.stop()
        raise
    return first, second


def signed_in_page(browser: Browser, server: LiveServer, cookie: dict[str, str], viewport: dict[str, int]) -> Page:
    """A new browser window signed in (by a server-side session's cookie) on `server`."""
    context: BrowserContext = browser.new_context(base_url=server.origin, viewport=viewport, locale="en-GB")  # type: ignore[arg-type]
    context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": server.origin}])
    return context.new_page()


def _stream_open(page: Page) -> None:
    """Wait until the page's live stream is connected (htmx's sse extension marks it)."""
    page.wait_for_function(
        "() => { const el = document.querySelector('[sse-connect]');"
        " const source = el && el['htmx-internal-data'] && el['htmx-internal-data'].sseEventSource;"
        " return Boolean(source) && source.readyState === 1; }"
    )


def _text_of_parts(page: Page) -> str:
    return str(page.evaluate("() => (document.getElementById('plan-parts') || document.body).innerText"))


def _wait_for_other_text(page: Page, before: str) -> None:
    page.wait_for_function(
        "before => ((document.getElementById('plan-parts') || document.body).innerText) !== before",
        arg=before,
        polling="raf",
        timeout=ARRIVES_WITHIN_MS,
    )


@dataclass
class Screens:
    """Jordan's and Lisa's phones on one server, Sam's laptop on the other."""

    phone: Page
    laptop: Page
    parent_phone: Page
    child_id: int

    def open_pages(self) -> None:
        self.phone.goto("/")
        self.laptop.goto(f"/practitioner/children/{self.child_id}")
        self.parent_phone.goto("/")
        for page in (self.phone, self.laptop, self.parent_phone):
            _stream_open(page)

    def idea_reaches_the_worker(self, text: str) -> float:
        """Jordan adds an idea on his phone; seconds until Sam's open draft shows it."""
        form = self.phone.get_by_role("form", name="Add an idea")
        if not form.is_visible():
            ideas = self.phone.get_by_role("region", name="My new ideas")
            ideas.get_by_role("link", name="Add an idea", exact=True).click()
        expect(form).to_be_visible()
        form.get_by_label("When").select_option(label="Every day")
        form.get_by_label("Starts with").select_option(label="I can…")
        form.get_by_label("Then in your own words").fill(text)
        start = time.perf_counter()
        form.get_by_role("button", name="Add to my ideas").click()
        self.laptop.wait_for_function(
            "text => document.body.innerText.includes(text)", arg=text, polling="raf", timeout=ARRIVES_WITHIN_MS
        )
        elapsed = time.perf_counter() - start
        # The phone's own answer has landed too before the next edit (its form closes).
        expect(self.phone.get_by_role("region", name="My new ideas")).to_contain_text(text)
        return elapsed

    def the_parent_sees(self, section: str) -> bool:
        """Whether Sam's access page says Lisa can see `section` now."""
        self.laptop.goto(f"/practitioner/children/{self.child_id}/access")
        row = self._row(section)
        return row.get_by_role("cell", name="Yes", exact=True).count() == 1

    def _row(self, section: str) -> Locator:
        table = self.laptop.get_by_role("table", name="What Lisa Ellis can see")
        return table.get_by_role("row").filter(has=self.laptop.get_by_role("cell", name=section, exact=True))

    def lock_reaches_the_parent(self, section: str) -> float:
        """Sam locks (or unlocks) `section` for Lisa; seconds until her open plan page changes."""
        if not self.laptop.url.endswith("/access"):
            self.laptop.goto(f"/practitioner/children/{self.child_id}/access")
        button = self._row(section).get_by_role("button", name=re.compile(r"^(Lock|Unlock)\b"))
        before = _text_of_parts(self.parent_phone)
        start = time.perf_counter()
        button.click()
        _wait_for_other_text(self.parent_phone, before)
        elapsed = time.perf_counter() - start
        self.laptop.wait_for_load_state()
        return elapsed


def screens(browser: Browser, phone_server: LiveServer, desk_server: LiveServer, cookies: dict[str, Any]) -> Screens:
    """Jordan's and Lisa's phones on `phone_server`; Sam's laptop on `desk_server`."""
    return Screens(
        phone=signed_in_page(browser, phone_server, cookies["young_person"], PHONE),
        laptop=signed_in_page(browser, desk_server, cookies["sam.okafor@example.org"], LAPTOP),
        parent_phone=signed_in_page(browser, phone_server, cookies["parent_carer"], PHONE),
        child_id=int(str(phone_server.demo["jordan_id"])),
    )


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (p95 of 30 values is the 29th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]
