"""Printing (issue 8): what the server puts in a plan page for paper, on both doors.

The print button needs JavaScript, so it arrives hidden (app.js shows it). The safe word is on
paper only when chosen: the page carries a print-only copy of it next to "(not printed)", and the
copy is kept from the read-aloud voice like the safe word itself. Every printed plan ends with
"Printed by NAME on DATE". The browser side (what Chromium prints) is e2e/test_printing.py.
"""

from __future__ import annotations

import re

import pytest
from flask_babel import format_date
from sqlmodel import Session

from app import SaferPlan
from app.plans.models import Moment
from app.timeutil import today
from tests.factories import plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient

SAFE_WORD = "pineapple"
# What read_aloud.js never reads: the safe word's own box and anything marked data-no-read.
UNREAD = re.compile(r'<details class="safe-word">.*?</details>|<(\w+)[^>]*\bdata-no-read\b[^>]*>.*?</\1>', re.S)


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's agreed plan with his safe word (shared with no one else, as by default)."""
    return plans.agreed_plan(
        db,
        case.child,
        plans.statement(
            "text my safe word to Mum or Aunt Dee", moment=Moment.EMERGENCY, own_words_of=case.young_person
        ),
        by=case.worker,
        safe_word=SAFE_WORD,
    )


def _page(client: CsrfClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("&#39;", "'")


def _printed_on(application: SaferPlan) -> str:
    with application.family.test_request_context():
        return str(format_date(today(), "d MMMM yyyy"))


def test_the_young_persons_page_prints_without_the_safe_word_unless_chosen(
    application: SaferPlan, as_young_person: CsrfClient, case: Case
) -> None:
    page = _page(as_young_person, f"/c/{case.child.id}")
    assert re.search(r"<section[^>]*data-print-controls[^>]*\bhidden\b", page), "the print button needs JavaScript"
    assert "data-print-safe-word" in page  # the choice, off unless ticked (the box is not checked)
    assert not re.search(r"data-print-safe-word[^>]*checked", page)
    assert re.search(
        r'class="safe-word-printed">pineapple</span><span class="safe-word-not-printed">\(not printed\)', page
    )
    assert f"Printed by Jordan on {_printed_on(application)}." in page
    # The print-only copy is never read aloud, like the safe word itself.
    assert page.count(SAFE_WORD) >= 2 and SAFE_WORD not in UNREAD.sub("", page)


def test_a_parent_the_safe_word_is_not_shared_with_gets_no_choice_about_it(
    application: SaferPlan, as_parent: CsrfClient, case: Case
) -> None:
    page = _page(as_parent, f"/c/{case.child.id}")
    assert "data-print-controls" in page and f"Printed by Lisa Ellis on {_printed_on(application)}." in page
    assert "data-print-safe-word" not in page and "(not printed)" not in page and SAFE_WORD not in page


def test_the_practitioners_plan_prints_with_who_printed_it(
    application: SaferPlan, as_worker: CsrfClient, case: Case
) -> None:
    page = _page(as_worker, f"/children/{case.child.id}")
    assert re.search(r"<div[^>]*data-print-controls[^>]*\bhidden\b", page)
    assert "Print the safe word too" in page and "(not printed)" in page
    assert f"Printed by Sam Okafor on {_printed_on(application)}." in page
