"""Small screens and polish (issue 8): confirmations after a removal, and one style for empty values.

The access page said nothing after a worker removed someone's access or a phone. Now it says, by
name, what happened ("Lisa Ellis can no longer see Jordan's plan."), while the address it is sent to
holds only ids (R18: no names in URLs), and a made-up address names nobody: not someone still on
the plan, nor another child's. "Not recorded" was italic in some places and plain in others.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from app.people.models import FamilyLink, FamilyMember, FamilyRole
from app.timeutil import utcnow
from tests.factories import access, people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support.bad_input import visible_text
from tests.support.clients import CsrfClient

REMOVED_LISA = "Lisa Ellis can no longer see Jordan's plan."


def _phone_for(db: Session, member: FamilyMember) -> int:
    passkey = access.passkey(db, member, credential_id=b"lisas-phone-credential", label="Lisa's phone")
    db.commit()
    return passkey.id or 0


@pytest.fixture
def sam(db: Session, case: Case, as_worker: CsrfClient) -> CsrfClient:
    """Sam, on Jordan's case with its plan started."""
    plans.plan(db, case.child, by=case.worker)
    return as_worker


def test_removing_a_person_says_so_by_name(sam: CsrfClient, case: Case) -> None:
    access = f"/children/{case.child.id}/access"
    # Before: nobody has been removed, so nothing is said.
    assert REMOVED_LISA not in visible_text(sam.get(access).get_data(as_text=True))
    answer = sam.post(f"/children/{case.child.id}/access/{case.parent.id}/remove")
    assert answer.status_code == 303
    location = answer.headers["Location"]
    assert "Lisa" not in location and "Ellis" not in location
    page = sam.get(location).get_data(as_text=True)
    assert f'role="status">{REMOVED_LISA}' in page.replace("&#39;", "'")


def test_removing_a_phone_says_whose_it_was(sam: CsrfClient, db: Session, case: Case) -> None:
    phone = _phone_for(db, case.parent)
    answer = sam.post(f"/children/{case.child.id}/devices/{phone}/remove")
    assert answer.status_code == 303
    assert "Lisa" not in answer.headers["Location"]
    page = visible_text(sam.get(answer.headers["Location"]).get_data(as_text=True))
    assert "Lisa Ellis's phone is removed and signed out." in page


def test_a_made_up_confirmation_names_nobody(sam: CsrfClient, db: Session, case: Case) -> None:
    access = f"/children/{case.child.id}/access"
    # Lisa still has access, and her phone was never removed: the page does not claim otherwise.
    phone = _phone_for(db, case.parent)
    for query in (f"removed=person&who={case.parent.id}", f"removed=phone&who={phone}", "removed=person&who=x"):
        page = visible_text(sam.get(f"{access}?{query}").get_data(as_text=True))
        assert "can no longer see" not in page and "is removed" not in page, query
    # Someone removed from Kayla's plan is not named on Jordan's page.
    kayla = people.child(db, first_name="Kayla", last_name="Brooks", preferred_name="Kay")
    kaylas_nan = FamilyMember(display_name="Nan Kayla-Only", webauthn_user_handle=b"n" * 32)
    db.add(kaylas_nan)
    db.flush()
    db.add(
        FamilyLink(
            child_id=kayla.id or 0, member_id=kaylas_nan.id or 0, role=FamilyRole.PARENT_CARER, revoked_at=utcnow()
        )
    )
    db.commit()
    page = visible_text(sam.get(f"{access}?removed=person&who={kaylas_nan.id}").get_data(as_text=True))
    assert "Nan Kayla-Only" not in page and "can no longer see" not in page


EMPTY_WORDS = ("Not recorded", "None recorded", "None agreed", "Not set", "Nothing yet", "None")


def test_empty_values_look_the_same_everywhere_on_the_plan(db: Session, sign_in: SignIn) -> None:
    """ "Not recorded" was italic in some places and plain in others: every empty value has one style."""
    kay = people.other_case(db)
    plans.plan(db, kay.child, by=kay.worker)  # Alex's case: a new draft, nothing recorded yet
    page = sign_in(kay.worker).get(f"/children/{kay.child.id}").get_data(as_text=True)
    plan = page[page.index('id="h-actions"') : page.index('<aside class="aside"')]
    shown = re.findall(r"<(\w+)([^>]*)>\s*(" + "|".join(EMPTY_WORDS) + r")\s*</\1>", plan)
    plain = [f"<{tag}{attrs}>{words}" for tag, attrs, words in shown if 'class="empty-note"' not in attrs]
    assert len(shown) >= 8, shown
    assert plain == []
    # And no empty value is shown as bare words outside any element of its own (e.g. "<dd>Not set · ...").
    bare = re.findall(r">\s*(?:" + "|".join(EMPTY_WORDS) + r")\s*(?:·|<(?!/))", plan)
    assert bare == []
