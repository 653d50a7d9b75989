"""Issue 15, in Chromium at phone size: Jordan reads his plan in Arabic (right to left), Albanian and
Vietnamese, then goes back to English. Each page passes axe, fits 390 and 320 px without sideways
scrolling, and is saved as a screenshot (e2e/screenshots/family-plan-<language>.png)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.pages import FamilyPhone

Check = Callable[[Page, str], None]
# Code, the button's name (the language named in itself), direction, and the emergency heading.
LANGUAGES = (
    ("ar", "العربية", "rtl", "إذا كنتُ في خطر"),
    ("sq", "Shqip", "ltr", "Nëse jam në rrezik"),
    ("vi", "Tiếng Việt", "ltr", "Nếu mình gặp nguy hiểm"),
)
NARROW = {"width": 320, "height": 720}


def _sideways(page: Page) -> int:
    overflow: int = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return overflow


def test_jordan_reads_his_plan_in_arabic_albanian_and_vietnamese(jordans_phone: FamilyPhone, check_page: Check) -> None:
    page, plan = jordans_phone.page, jordans_phone.plan
    phone_size = page.viewport_size
    html = page.locator("html")
    try:
        for code, name, direction, in_danger in LANGUAGES:
            plan.choose_language(name)
            expect(html).to_have_attribute("lang", code)
            expect(html).to_have_attribute("dir", direction)
            expect(page.get_by_role("heading", name=in_danger)).to_be_visible()
            expect(page.get_by_role("link", name="Quick exit")).to_have_count(0)  # its words changed too
            # Jordan's own words stay as he wrote them.
            expect(page.get_by_text("text Mum when I leave school", exact=False).first).to_be_visible()
            check_page(page, f"family-plan-{code}")
            page.set_viewport_size(NARROW)
            assert _sideways(page) <= 0, f"the {code} plan page scrolls sideways at 320 px"
            assert phone_size is not None
            page.set_viewport_size(phone_size)
        # Right to left: the Arabic page mirrored, its phone numbers still read left to right.
        plan.choose_language("العربية")
        assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
        phone_number = page.locator(".contact-phone").first
        expect(phone_number).to_have_attribute("dir", "ltr")
    finally:
        plan.choose_language("English")  # the choice is kept with Jordan: later tests read English
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
