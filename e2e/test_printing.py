"""Printing a plan (issue 8), in Chromium: A4, one column, no controls, nothing cut off, a
"Printed by NAME on DATE" line, and the safe word only when the person printing chooses it.

Before the print styles, the practitioner's plan printed on six pages with both columns, the
header and the buttons, and the table's "Success looks like" column cut off at the page edge.
"""

from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages import FamilyPhone, PractitionerDesk
from e2e.printing import Printout, page_count, pdf_text

SAFE_WORD = "pineapple"
# The longest words of the actions table's last column: cut off at the page edge before.
LAST_COLUMN = "Jordan is found quickly and brought somewhere safe"
# What nobody needs on paper: the bars, the navigation, anything to press or fill in.
CONTROLS = "header, nav, button, form, .button:not(.call-999), input, .skip-link"


def _check_paper(printout: Printout, *, printed_by: str, safe_word_shown: bool) -> str:
    """What every printed plan must be; returns the printed words."""
    printout.look_at_paper()
    assert printout.shown(CONTROLS) == 0, "controls, forms or navigation on paper"
    words = printout.printed_words()
    assert f"Printed by {printed_by} on " in words
    if safe_word_shown:
        assert SAFE_WORD in words and "(not printed)" not in words
    else:
        assert SAFE_WORD not in words and "(not printed)" in words
    # Nothing is wider than the paper: long words wrap rather than run off the edge.
    overflow = printout.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the printed page is {overflow}px wider than A4"
    return words


def test_a_practitioner_prints_the_plan_on_a4_without_the_safe_word_unless_chosen(
    practitioner: PractitionerDesk, jordan_id: int
) -> None:
    page = practitioner.page
    phone_size = page.viewport_size
    assert phone_size is not None
    practitioner.open_child_by_id(jordan_id)
    printout = Printout(page)
    expect(printout.print_button).to_be_visible()
    expect(printout.safe_word_choice).not_to_be_checked()  # off unless chosen

    words = _check_paper(printout, printed_by="Sam Okafor", safe_word_shown=False)
    assert LAST_COLUMN in words
    # One column: the side panel ("People involved") follows the plan instead of sitting beside it.
    plan_box = page.locator(".content").bounding_box()
    aside_box = page.locator(".aside").bounding_box()
    assert plan_box and aside_box and aside_box["y"] >= plan_box["y"] + plan_box["height"]
    # The table fits the page: its last column ends inside the paper's width.
    table_box = page.locator(".actions-table").bounding_box()
    assert table_box and table_box["x"] + table_box["width"] <= 794
    pdf = printout.save_pdf("print-practitioner-plan")
    assert 2 <= page_count(pdf) <= 5, page_count(pdf)
    text = pdf_text(pdf)
    if text is not None:
        assert SAFE_WORD not in text and "Printed by Sam Okafor on" in text
        assert "Sign out" not in text and "Invite someone" not in text
        assert "somewhere safe" in text

    printout.back_to_screen(phone_size)
    printout.choose_to_print_the_safe_word()
    _check_paper(printout, printed_by="Sam Okafor", safe_word_shown=True)
    text = pdf_text(printout.save_pdf("print-practitioner-plan-with-safe-word"))
    if text is not None:
        assert SAFE_WORD in text


def test_the_young_person_prints_his_plan(jordans_phone: FamilyPhone) -> None:
    page = jordans_phone.page
    phone_size = page.viewport_size
    assert phone_size is not None
    printout = Printout(page)
    expect(printout.print_button).to_be_visible()
    expect(printout.safe_word_choice).not_to_be_checked()

    words = _check_paper(printout, printed_by="Jordan", safe_word_shown=False)
    assert "Call 999" in words and "Quick exit" not in words
    pdf = printout.save_pdf("print-family-plan")
    assert 1 <= page_count(pdf) <= 5, page_count(pdf)
    text = pdf_text(pdf)
    if text is not None:
        assert SAFE_WORD not in text and "Printed by Jordan on" in text

    printout.back_to_screen(phone_size)
    printout.choose_to_print_the_safe_word()
    _check_paper(printout, printed_by="Jordan", safe_word_shown=True)
    # Back on the phone's screen the safe word still waits behind its tap.
    printout.back_to_screen(phone_size)
    expect(jordans_phone.plan.safe_word).to_be_hidden()
