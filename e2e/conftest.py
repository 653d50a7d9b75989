"""Browser-test fixtures: the real server, Debian's Chromium at phone size, passkeys, axe, screenshots.

Run with `make test-e2e` (SQLite in a temporary folder), or with DATABASE_URL pointing at a
PostgreSQL server to use a fresh `test_e2e` database there. Screenshots land in e2e/screenshots/.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Locator, Page, StorageState

from app.demo.seed import DEMO_PASSWORD
from e2e.pages import SAM, FamilyPhone, PractitionerDesk, SyncedPasskeys
from e2e.server import LiveServer, drop_e2e_database, e2e_database_url

E2E_DIR = Path(__file__).resolve().parent
SCREENSHOTS = E2E_DIR / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Quick exit sends people to a real news site. Playwright cannot intercept a redirect's target
    # (page.route sees only the first request), so make that host fail at once, the same on a
    # laptop with no internet and in CI with it: tests check we were sent there, not that it loaded.
    "--host-resolver-rules=MAP www.bbc.co.uk ~NOTFOUND",
]


def pytest_configure(config: pytest.Config) -> None:
    # pytest-playwright writes failure artifacts (traces, videos) to --output; keep them in the
    # git-ignored e2e/.artifacts rather than ./test-results when --output is left at its default.
    if config.getoption("--output", default=None) == "test-results":
        config.option.output = str(E2E_DIR / ".artifacts")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests whose module says it agrees a new version of Jordan's plan on the shared server
    (RUNS_LAST = True, e.g. test_meeting.py) run after all the others, which expect his plan as
    the demo made it."""
    items.sort(key=lambda item: bool(getattr(item.module, "RUNS_LAST", False)))  # type: ignore[attr-defined]


# --- The browser ---------------------------------------------------------------------------------


def chromium_path() -> str | None:
    """CHROMIUM_PATH, else Debian's Chromium when installed, else Playwright's own browser."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Playwright cannot download browsers here, so drive the system Chromium (TOOLCHAIN.md)."""
    path = chromium_path()
    return {**browser_type_launch_args, "args": CHROMIUM_ARGS, **({"executable_path": path} if path else {})}


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.origin


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], base_url: str) -> dict[str, Any]:
    """Every context is a phone (390x844) opening pages on http://localhost:PORT."""
    return {**browser_context_args, "base_url": base_url, "viewport": PHONE, "locale": "en-GB"}


# --- The server ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("e2e-server")
    database_url = e2e_database_url(workdir)
    server = LiveServer(workdir=workdir, database_url=database_url)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        drop_e2e_database(database_url)


@pytest.fixture(autouse=True)
def _no_server_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that made the server log an unhandled error, even if the page looked fine."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server: LiveServer = request.getfixturevalue("live_server")
    before = len(server.log_text())
    yield
    new_output = server.log_text()[before:]
    assert "unhandled" not in new_output and "Traceback" not in new_output, new_output


@pytest.fixture(scope="session")
def jordan_id(live_server: LiveServer) -> int:
    return int(str(live_server.demo["jordan_id"]))


# --- People and their devices --------------------------------------------------------------------


@pytest.fixture(scope="module")
def practitioner_cookies(live_server: LiveServer) -> dict[str, Any]:
    """Signed-in cookies for the people e2e/practitioner_cookies.py names (server-side sessions, no
    password or passkey steps), made once a module."""
    return live_server.run_module("e2e.practitioner_cookies")


@pytest.fixture
def signed_in_practitioner(
    new_context: Callable[..., BrowserContext], practitioner_cookies: dict[str, Any], base_url: str
) -> Callable[..., Page]:
    """open(email, viewport=PHONE): a new browser window with that practitioner signed in."""

    def open_window(email: str, viewport: dict[str, int] = PHONE) -> Page:
        context = new_context()  # every context starts as a phone (browser_context_args)
        cookie = practitioner_cookies[email]
        context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": base_url}])
        page = context.new_page()
        if viewport != PHONE:
            page.set_viewport_size(viewport)
        return page

    return open_window


@pytest.fixture(scope="session")
def sams_passkeys() -> SyncedPasskeys:
    """Sam's work passkey, made at his first sign-in and then available in every browser he uses."""
    return SyncedPasskeys()


@pytest.fixture(scope="session")
def practitioner_state(
    browser: Browser, browser_context_args: dict[str, Any], sams_passkeys: SyncedPasskeys
) -> StorageState:
    """Sam signs in once per run; tests reuse the cookie.

    Password sign-in is limited to five a minute per address (app/web/limits.py). The whole run
    makes four: this one, the headline journey, the wrong password and the passkey-step page.
    """
    context = browser.new_context(**browser_context_args)
    try:
        desk = PractitionerDesk.in_new_browser(context, sams_passkeys)
        desk.sign_in(SAM, DEMO_PASSWORD)
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture
def practitioner(
    new_context: Callable[..., BrowserContext], practitioner_state: StorageState, sams_passkeys: SyncedPasskeys
) -> PractitionerDesk:
    """Sam Okafor, Jordan's social worker, already signed in."""
    return PractitionerDesk.in_new_browser(new_context(storage_state=practitioner_state), sams_passkeys)


@pytest.fixture
def signed_out_practitioner(
    new_context: Callable[..., BrowserContext], practitioner_state: StorageState, sams_passkeys: SyncedPasskeys
) -> PractitionerDesk:
    """Sam in a new browser, signed out; he already has his passkey (practitioner_state made it)."""
    return PractitionerDesk.in_new_browser(new_context(), sams_passkeys)


@pytest.fixture
def new_phone(new_context: Callable[..., BrowserContext]) -> Callable[..., FamilyPhone]:
    """Make a phone: its own browser context, with a virtual passkey authenticator."""

    def make(**context_args: Any) -> FamilyPhone:
        return FamilyPhone.with_authenticator(new_context(**context_args))

    return make


@pytest.fixture
def phone(new_phone: Callable[..., FamilyPhone]) -> FamilyPhone:
    return new_phone()


@pytest.fixture
def invitation_link(practitioner: PractitionerDesk, jordan_id: int) -> Callable[..., str]:
    """Sam invites someone to Jordan's plan; returns the one-time link read from the page."""

    def invite(role: str, name: str, relationship: str = "") -> str:
        practitioner.open_child_by_id(jordan_id)
        return practitioner.invite(role, name, relationship)

    return invite


@pytest.fixture(scope="session")
def young_person_state(
    browser: Browser,
    browser_context_args: dict[str, Any],
    practitioner_state: StorageState,
    sams_passkeys: SyncedPasskeys,
    jordan_id: int,
) -> StorageState:
    """Jordan joins once per run for the tests that only read his plan (passkey calls are rate limited)."""
    desk_context = browser.new_context(**browser_context_args, storage_state=practitioner_state)
    phone_context = browser.new_context(**browser_context_args)
    try:
        desk = PractitionerDesk.in_new_browser(desk_context, sams_passkeys)
        desk.open_child_by_id(jordan_id)
        phone = FamilyPhone.with_authenticator(phone_context)
        phone.open_invitation(desk.invite("Young person", "Jordan"))
        phone.make_my_key()
        return phone_context.storage_state()
    finally:
        desk_context.close()
        phone_context.close()


@pytest.fixture
def jordans_phone(new_context: Callable[..., BrowserContext], young_person_state: StorageState) -> FamilyPhone:
    """Jordan's phone, already signed in, showing his plan. Do not sign out or quick-exit with it."""
    phone = FamilyPhone.with_authenticator(new_context(storage_state=young_person_state))
    phone.open_my_plan()
    return phone


@pytest.fixture
def joined_phone(invitation_link: Callable[..., str], phone: FamilyPhone) -> FamilyPhone:
    """Jordan's phone, joined from its own fresh invitation (its session can be ended), showing his plan."""
    phone.open_invitation(invitation_link("Young person", "Jordan"))
    phone.make_my_key()
    return phone


# --- Checks every page gets ----------------------------------------------------------------------


# A part's own screenshot shows the part alone. Without this, the sticky top bar (and the
# practitioner's sticky aside) was drawn over whatever of the part sat under it once scrolled into
# view; on the phone it does the same as the reader scrolls, by design. Set through the DOM, as
# screenshot(style=...) adds a <style> element, which the page's CSP refuses.
STICKY = ".topbar, .aside"


def part_screenshot(part: Locator, name: str) -> Path:
    """A PNG of one part of a page (a card, a form), in e2e/screenshots/, for people to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    unstick = "([sticky, how]) => document.querySelectorAll(sticky).forEach((e) => { e.style.position = how; })"
    part.page.evaluate(unstick, [STICKY, "static"])
    try:
        part.screenshot(path=str(path))
    finally:
        part.page.evaluate(unstick, [STICKY, ""])
    return path


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG at phone width, in e2e/screenshots/ (git-ignored), for people to look at."""
    assert page.viewport_size == PHONE
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page: Page) -> None:
    """axe-core finds nothing wrong; on failure, say which rules and which elements."""
    results = Axe().run(page)
    violations = results.response["violations"]
    report = "\n".join(
        f"- {v['id']} ({v.get('impact')}): {v['help']}\n    "
        + "\n    ".join(", ".join(map(str, node["target"])) for node in v["nodes"])
        for v in violations
    )
    assert results.violations_count == 0, f"axe found violations on {page.url}:\n{report}"


@pytest.fixture
def check_page() -> Callable[[Page, str], None]:
    """Screenshot the page, then check it with axe and for sideways scrolling."""

    def check(page: Page, name: str) -> None:
        screenshot(page, name)
        assert_accessible(page)
        # Nothing may push a phone-width page sideways (WCAG 1.4.10 reflow).
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than the screen"

    return check
