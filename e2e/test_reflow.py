"""WCAG 1.4.10 reflow: the young person's pages work at 320 CSS px wide, which is also what a
640 px screen shows at 200% zoom. Nothing may scroll sideways and the main controls stay usable."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages import FamilyPhone

# Pages of Jordan's own app, relative to his plan (child id filled in by the test).
PAGES = ("/c/{id}", "/c/{id}/sharing", "/c/{id}/history", "/c/{id}/devices")


WIDTH = 320


def test_family_pages_reflow_at_320_px(jordans_phone: FamilyPhone, jordan_id: int) -> None:
    page = jordans_phone.page
    width = WIDTH
    page.set_viewport_size({"width": width, "height": 640})
    for path in PAGES:
        page.goto(path.format(id=jordan_id))
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    page.goto(f"/c/{jordan_id}")
    # The emergency controls are still whole and tappable (at least 44px tall) at this width.
    call = jordans_phone.plan.call_999
    expect(call).to_be_visible()
    box = call.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= width
    exit_box = page.get_by_role("link", name="Quick exit").bounding_box()
    assert exit_box is not None and exit_box["height"] >= 44 and exit_box["x"] + exit_box["width"] <= width
    page.screenshot(path="e2e/screenshots/family-plan-320px.png", full_page=False)
