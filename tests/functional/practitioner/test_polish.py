"""Small screens and polish (issue 8): confirmations after a removal, and one style for empty values.

The access page said nothing after a worker removed someone's access or a phone. Now it says, by
name, what happened ("Lisa Ellis can no longer see Jordan's plan."), while the address it is sent to
holds only ids (R18: no names in URLs), and a made-up address names nobody: not someone still on
the plan, nor another child's. "Not recorded" was italic in some places and plain in others.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from app.auth.models import AccountKind, Passkey
from app.demo.seed import DemoPeople
from app.people.models import FamilyLink, FamilyMember, FamilyRole
from app.timeutil import utcnow
from tests.support.bad_input import visible_text
from tests.support.clients import CsrfClient

REMOVED_LISA = "Lisa Ellis can no longer see Jordan's plan."


def _phone_for(db: Session, member_id: int) -> int:
    passkey = Passkey(
        account_kind=AccountKind.FAMILY,
        account_id=member_id,
        credential_id=b"lisas-phone-credential",
        public_key=b"unused-in-this-test",
        label="Lisa's phone",
    )
    db.add(passkey)
    db.commit()
    return passkey.id or 0


def test_removing_a_person_says_so_by_name(allocated_worker: CsrfClient, demo: DemoPeople) -> None:
    access = f"/children/{demo.jordan_id}/access"
    # Before: nobody has been removed, so nothing is said.
    assert REMOVED_LISA not in visible_text(allocated_worker.get(access).get_data(as_text=True))
    answer = allocated_worker.post(f"/children/{demo.jordan_id}/access/{demo.parent_id}/remove")
    assert answer.status_code == 303
    location = answer.headers["Location"]
    assert "Lisa" not in location and "Ellis" not in location
    page = allocated_worker.get(location).get_data(as_text=True)
    assert f'role="status">{REMOVED_LISA}' in page.replace("&#39;", "'")


def test_removing_a_phone_says_whose_it_was(allocated_worker: CsrfClient, db: Session, demo: DemoPeople) -> None:
    phone = _phone_for(db, demo.parent_id)
    answer = allocated_worker.post(f"/children/{demo.jordan_id}/devices/{phone}/remove")
    assert answer.status_code == 303
    assert "Lisa" not in answer.headers["Location"]
    page = visible_text(allocated_worker.get(answer.headers["Location"]).get_data(as_text=True))
    assert "Lisa Ellis's phone is removed and signed out." in page


def test_a_made_up_confirmation_names_nobody(allocated_worker: CsrfClient, db: Session, demo: DemoPeople) -> None:
    access = f"/children/{demo.jordan_id}/access"
    # Lisa still has access, and her phone was never removed: the page does not claim otherwise.
    phone = _phone_for(db, demo.parent_id)
    for query in (f"removed=person&who={demo.parent_id}", f"removed=phone&who={phone}", "removed=person&who=x"):
        page = visible_text(allocated_worker.get(f"{access}?{query}").get_data(as_text=True))
        assert "can no longer see" not in page and "is removed" not in page, query
    # Someone removed from Kayla's plan is not named on Jordan's page.
    kaylas_nan = FamilyMember(display_name="Nan Kayla-Only", webauthn_user_handle=b"n" * 32)
    db.add(kaylas_nan)
    db.flush()
    db.add(
        FamilyLink(
            child_id=demo.kayla_id, member_id=kaylas_nan.id or 0, role=FamilyRole.PARENT_CARER, revoked_at=utcnow()
        )
    )
    db.commit()
    page = visible_text(allocated_worker.get(f"{access}?removed=person&who={kaylas_nan.id}").get_data(as_text=True))
    assert "Nan Kayla-Only" not in page and "can no longer see" not in page


EMPTY_WORDS = ("Not recorded", "None recorded", "None agreed", "Not set", "Nothing yet", "None")


def test_empty_values_look_the_same_everywhere_on_the_plan(unallocated_worker: CsrfClient, demo: DemoPeople) -> None:
    """ "Not recorded" was italic in some places and plain in others: every empty value has one style."""
    page = unallocated_worker.get(f"/children/{demo.kayla_id}").get_data(as_text=True)  # Alex's case: a new draft
    plan = page[page.index('id="h-actions"') : page.index('<aside class="aside"')]
    shown = re.findall(r"<(\w+)([^>]*)>\s*(" + "|".join(EMPTY_WORDS) + r")\s*</\1>", plan)
    plain = [f"<{tag}{attrs}>{words}" for tag, attrs, words in shown if 'class="empty-note"' not in attrs]
    assert len(shown) >= 8, shown
    assert plain == []
    # And no empty value is shown as bare words outside any element of its own (e.g. "<dd>Not set · ...").
    bare = re.findall(r">\s*(?:" + "|".join(EMPTY_WORDS) + r")\s*(?:·|<(?!/))", plan)
    assert bare == []
