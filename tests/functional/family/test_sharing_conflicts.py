"""R24 and R6 on the young person's sharing page: a save from a page gone stale is a 409 that keeps
their choices and says what changed; a worker's lock never changes what they chose.

Every post here sends the form as the page gives it (its hidden `seen` and its ticked boxes), as a
browser would; tests of posts without it are in test_sharing_and_privacy.py.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select

from app.access.models import SectionShare
from app.people.inputs import FamilyMemberInput
from app.people.operations import add_family_member
from tests.factories import people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support.clients import CsrfClient


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's agreed plan, whose sections he shares (or not) with Lisa and Dee."""
    return plans.agreed_plan(
        db, case.child, plans.statement("text Mum when I leave school"), by=case.worker, safe_word="pineapple"
    )


@dataclass(frozen=True)
class SharingForm:
    """The sharing form as a browser would send it: its `seen` token and the boxes ticked."""

    seen: str
    ticked: frozenset[str]
    disabled: frozenset[str]

    def data(self, *, tick: tuple[str, ...] = (), untick: tuple[str, ...] = ()) -> dict[str, str]:
        boxes = (self.ticked | set(tick)) - set(untick) - self.disabled
        return {"seen": self.seen, **dict.fromkeys(sorted(boxes), "on")}


def _form(page: str) -> SharingForm:
    forms = re.findall(r"<form[^>]*/sharing\"[^>]*>(.*?)</form>", page, flags=re.S)
    assert len(forms) == 1, f"{len(forms)} sharing forms on the page"
    seen = re.search(r'<input type="hidden" name="seen" value="([^"]*)">', forms[0])
    assert seen, "the form does not say what it was made from"
    boxes = re.findall(r'<input type="checkbox" id="[^"]*" name="([^"]*)"([^>]*)>', forms[0], flags=re.S)
    return SharingForm(
        seen=html.unescape(seen.group(1)),
        ticked=frozenset(name for name, attributes in boxes if "checked" in attributes),
        disabled=frozenset(name for name, attributes in boxes if "disabled" in attributes),
    )


def _open(as_young_person: CsrfClient, case: Case) -> SharingForm:
    return _form(as_young_person.get(f"/c/{case.child_id}/sharing").get_data(as_text=True))


def _shared_with(db: Session, case: Case, member_id: int) -> set[str]:
    db.expire_all()
    rows = db.exec(
        select(SectionShare.section).where(
            SectionShare.child_id == case.child_id,
            SectionShare.member_id == member_id,
            col(SectionShare.visible),
            col(SectionShare.locked).is_(False),
        )
    ).all()
    return set(rows)


def test_r24_a_save_from_a_stale_sharing_page_is_409_with_my_choices_and_what_changed(
    db: Session, as_young_person: CsrfClient, case: Case
) -> None:
    path, dee = f"/c/{case.child_id}/sharing", f"share-{case.trusted_adult_id}"
    old_phone = _open(as_young_person, case)
    other_phone = _open(as_young_person, case)
    assert as_young_person.post(path, data=other_phone.data(tick=(f"{dee}-safe_network",))).status_code == 303

    stale = as_young_person.post(path, data=old_phone.data(tick=(f"{dee}-my_statements",)))

    assert stale.status_code == 409
    page = html.unescape(stale.get_data(as_text=True))
    assert "Your choices are not saved yet" in page
    assert "Denise Carter can now see: Safe people and places." in page
    again = _form(stale.get_data(as_text=True))
    assert again.ticked == old_phone.ticked | {f"{dee}-my_statements"}, "my own choices, as I ticked them"
    assert _shared_with(db, case, case.trusted_adult_id) == {"safe_network"}, "nothing merged or overwritten"

    # Saving the page shown again keeps my choices, on purpose.
    assert as_young_person.post(path, data=again.data()).status_code == 303
    assert _shared_with(db, case, case.trusted_adult_id) == {"my_statements"}


def test_r24_a_workers_lock_since_the_page_opened_is_named_and_the_box_stays_locked(
    db: Session, as_young_person: CsrfClient, as_worker: CsrfClient, case: Case
) -> None:
    path, lisa = f"/c/{case.child_id}/sharing", f"share-{case.parent_id}"
    opened = _open(as_young_person, case)
    assert f"{lisa}-review" in opened.ticked
    lock = {"member_id": str(case.parent_id), "section": "review", "locked": "1"}
    assert as_worker.post(f"/children/{case.child_id}/access/lock", data=lock).status_code == 303

    stale = as_young_person.post(path, data=opened.data(tick=(f"{lisa}-safe_word",)))

    assert stale.status_code == 409
    page = html.unescape(stale.get_data(as_text=True))
    assert "Your worker has kept this private from Lisa Ellis: When we check in next." in page
    assert "Lisa Ellis can no longer see" not in page, "a lock is said once, as a lock"
    again = _form(stale.get_data(as_text=True))
    assert f"{lisa}-review" in again.disabled and f"{lisa}-safe_word" in again.ticked
    assert "safe_word" not in _shared_with(db, case, case.parent_id)


def test_r24_a_garbled_seen_token_is_a_conflict_and_writes_nothing(
    db: Session, as_young_person: CsrfClient, case: Case
) -> None:
    opened = _open(as_young_person, case)
    data = {**opened.data(tick=(f"share-{case.trusted_adult_id}-review",)), "seen": "7:everything/;x"}
    stale = as_young_person.post(f"/c/{case.child_id}/sharing", data=data)
    assert stale.status_code == 409
    assert "Your choices were changed." in html.unescape(stale.get_data(as_text=True))
    assert _shared_with(db, case, case.trusted_adult_id) == set()


def test_r24_someone_who_joined_since_keeps_what_they_see_by_default(
    db: Session, as_young_person: CsrfClient, as_parent: CsrfClient, case: Case
) -> None:
    """The page I saved from had no boxes for Nan: my save must not take away what she sees by default."""
    path = f"/c/{case.child_id}/sharing"
    opened = _open(as_young_person, case)
    nan = add_family_member(
        session=db, child_id=case.child_id, member=FamilyMemberInput(display_name="Nan Ellis", role="parent_carer")
    )
    db.commit()

    stale = as_young_person.post(path, data=opened.data())

    assert stale.status_code == 409
    assert "Nan Ellis can now see your plan on their phone." in html.unescape(stale.get_data(as_text=True))
    again = _form(stale.get_data(as_text=True))
    assert {f"share-{nan.id}-review", f"share-{nan.id}-carer_commitments"} <= again.ticked
    assert as_young_person.post(path, data=again.data()).status_code == 303
    assert "review" in _open_sections(as_young_person, case, nan.id or 0)


def _open_sections(as_young_person: CsrfClient, case: Case, member_id: int) -> set[str]:
    prefix = f"share-{member_id}-"
    return {name.removeprefix(prefix) for name in _open(as_young_person, case).ticked if name.startswith(prefix)}


def test_r6_a_lock_and_unlock_leave_an_unshared_section_unshared(
    as_young_person: CsrfClient, as_parent: CsrfClient, as_worker: CsrfClient, case: Case
) -> None:
    """The other way round from issue 14's finding: Jordan hides the review date from Lisa, Sam locks
    and unlocks it, and it stays hidden, as Jordan chose."""
    path, lisa = f"/c/{case.child_id}/sharing", f"share-{case.parent_id}"
    assert (
        as_young_person.post(path, data=_open(as_young_person, case).data(untick=(f"{lisa}-review",))).status_code
        == 303
    )
    lock = {"member_id": str(case.parent_id), "section": "review"}
    for locked in ("1", "0"):
        answer = as_worker.post(f"/children/{case.child_id}/access/lock", data={**lock, "locked": locked})
        assert answer.status_code == 303
    assert "review" not in _open_sections(as_young_person, case, case.parent_id)
    assert "14 December 2026" not in as_parent.get(f"/c/{case.child_id}").get_data(as_text=True)


def test_r29_a_lock_post_that_is_neither_lock_nor_unlock_is_422_and_changes_nothing(
    as_worker: CsrfClient, as_parent: CsrfClient, case: Case
) -> None:
    data = {"member_id": str(case.parent_id), "section": "review", "locked": "maybe"}
    answer = as_worker.post(f"/children/{case.child_id}/access/lock", data=data)
    assert answer.status_code == 422
    assert "Choose whether to lock or unlock the section." in html.unescape(answer.get_data(as_text=True))
    assert "14 December 2026" in as_parent.get(f"/c/{case.child_id}").get_data(as_text=True)


def test_r2_a_bad_lock_post_from_someone_who_may_not_lock_is_not_found(
    db: Session, sign_in: SignIn, case: Case
) -> None:
    """The refusal page is the access page: only someone who may lock here gets it (R2)."""
    alex = sign_in(people.other_case(db).worker)  # Kay's worker, with no link to Jordan
    data = {"member_id": "Lisa", "section": "review", "locked": "1"}
    assert alex.post(f"/children/{case.child_id}/access/lock", data=data).status_code == 404
