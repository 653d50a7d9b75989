"""A parent marks one of her commitments done, comments on it and undoes it, in Chromium at phone size.

Lisa (Jordan's mum in the demo) gets a key for her phone from Sam, then works on her page; Sam
sees her progress, read-only, beside the plan.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import part_screenshot, screenshot
from e2e.pages import FamilyPhone, PractitionerDesk

Check = Callable[[Page, str], None]
WEEKLY_PLAN = "a weekly plan for evenings with Jordan"


def test_a_parent_marks_a_commitment_done_comments_and_undoes(
    practitioner: PractitionerDesk, phone: FamilyPhone, jordan_id: int, check_page: Check
) -> None:
    practitioner.open_child_by_id(jordan_id)
    phone.open_invitation(practitioner.invite_a_new_phone_for("Lisa Ellis"))
    phone.make_my_key()
    carer = phone.carer
    expect(carer.my_commitments).to_contain_text(WEEKLY_PLAN)
    phone.page.evaluate("window.stillTheSamePage = true")

    carer.mark_done(WEEKLY_PLAN)
    expect(carer.status).to_have_text("Marked as done.")
    # The Undo button takes the focus where the Done button was (htmx, in place).
    expect(carer.commitment(WEEKLY_PLAN).get_by_role("button", name="Undo")).to_be_focused()
    carer.comment_on(WEEKLY_PLAN, "We did Sunday's plan together")
    expect(carer.status).to_have_text("Comment saved.")
    assert phone.page.evaluate("window.stillTheSamePage") is True
    check_page(phone.page, "family-carer-commitment-done")
    part_screenshot(carer.commitment(WEEKLY_PLAN), "family-carer-commitment-done-part")

    # Sam sees it beside the plan, read-only.
    practitioner.open_child_by_id(jordan_id)
    carers = practitioner.page.get_by_role("region", name="Parent / carer")
    expect(carers).to_contain_text("Done on")
    expect(carers).to_contain_text("We did Sunday's plan together")

    carer.undo(WEEKLY_PLAN)
    expect(carer.status).to_have_text("Marked as not done yet.")
    expect(carer.commitment(WEEKLY_PLAN)).not_to_contain_text("Done on")
    phone.page.reload()
    expect(carer.commitment(WEEKLY_PLAN)).to_contain_text("We did Sunday's plan together")
    screenshot(phone.page, "family-carer-commitment-undone")
