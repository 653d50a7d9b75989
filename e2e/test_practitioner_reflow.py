"""Small screens (issue 8): the practitioner's caseload, plan, draft, meetings, team and access pages
reflow at 390 and 320 px.

Their tables used to scroll sideways inside the page at phone width (the access table's lock
column was off screen). Now each row stacks, so nothing scrolls sideways, not the page and not a
table inside it (WCAG 1.4.10), and each lock button lines up with its row's words.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import SCREENSHOTS
from e2e.pages import PractitionerDesk

PAGES = {
    "practitioner-caseload": "/practitioner/",
    "practitioner-plan": "/practitioner/children/{id}",
    "practitioner-draft": "/practitioner/children/{id}/draft",
    "practitioner-meetings": "/practitioner/children/{id}/meetings",
    "practitioner-case-team": "/practitioner/children/{id}/team",
    "practitioner-access": "/practitioner/children/{id}/access",
}

# Every element that scrolls sideways inside the page (a scrolling table, say), by its classes.
SIDEWAYS_SCROLLERS = """
[...document.querySelectorAll('body *')]
  .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))
"""

# For each row of the access tables: how far the lock button's middle is from the middle of the
# row's words (the section's name; on a narrow screen, the name and "Can see it now").
LOCK_OFFSETS = """
[...document.querySelectorAll('main tbody tr')].filter(row => row.querySelector('button')).map(row => {
  const rects = [...row.cells].slice(0, -1).map(cell => {
    const words = document.createRange();
    words.selectNodeContents(cell);
    return words.getBoundingClientRect();
  });
  const top = Math.min(...rects.map(r => r.top)), bottom = Math.max(...rects.map(r => r.bottom));
  const button = row.querySelector('button').getBoundingClientRect();
  return Math.abs((top + bottom) / 2 - (button.top + button.bottom) / 2);
})
"""


def _no_sideways_scrolling(page: Page, name: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than the screen"
    assert page.evaluate(SIDEWAYS_SCROLLERS) == [], f"{name} has parts that scroll sideways"


@pytest.mark.parametrize("width", [390, 320])
def test_practitioner_pages_reflow(practitioner: PractitionerDesk, jordan_id: int, width: int) -> None:
    page = practitioner.page
    page.set_viewport_size({"width": width, "height": 844})
    for name, path in PAGES.items():
        page.goto(path.format(id=jordan_id))
        expect(practitioner.heading).to_be_visible()
        _no_sideways_scrolling(page, f"{name} at {width}px")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}px.png"), full_page=True)
    # The access page's lock buttons are on screen, whole, and beside their row's words.
    locks = page.get_by_role("button", name="Lock Jordan's safe word")
    expect(locks.first).to_be_visible()
    box = locks.first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    offsets = page.evaluate(LOCK_OFFSETS)
    assert offsets and max(offsets) <= 6, offsets


def test_lock_buttons_line_up_with_their_rows_on_a_wide_screen(practitioner: PractitionerDesk, jordan_id: int) -> None:
    page = practitioner.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(PAGES["practitioner-access"].format(id=jordan_id))
    offsets = page.evaluate(LOCK_OFFSETS)
    assert offsets and max(offsets) <= 6, offsets
