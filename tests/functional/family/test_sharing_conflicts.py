"""R24 and R6 on the young person's sharing page: a save from a page gone stale is a 409 that keeps
their choices and says what changed; a worker's lock never changes what they chose.

Every post here sends the form as the page gives it (its hidden `seen` and its ticked boxes), as a
browser would; tests of posts without it are in test_sharing_and_privacy.py.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.access.models import SectionShare
from app.demo.seed import DemoPeople
from app.people.inputs import FamilyMemberInput
from app.people.operations import add_family_member
from tests.support.clients import CsrfClient


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


def _open(young_person: CsrfClient, demo: DemoPeople) -> SharingForm:
    return _form(young_person.get(f"/c/{demo.jordan_id}/sharing").get_data(as_text=True))


def _shared_with(db: Session, demo: DemoPeople, member_id: int) -> set[str]:
    db.expire_all()
    rows = db.exec(
        select(SectionShare.section).where(
            SectionShare.child_id == demo.jordan_id,
            SectionShare.member_id == member_id,
            col(SectionShare.visible),
            col(SectionShare.locked).is_(False),
        )
    ).all()
    return set(rows)


def test_r24_a_save_from_a_stale_sharing_page_is_409_with_my_choices_and_what_changed(
    db: Session, young_person: CsrfClient, demo: DemoPeople
) -> None:
    path, dee = f"/c/{demo.jordan_id}/sharing", f"share-{demo.trusted_adult_id}"
    old_phone = _open(young_person, demo)
    other_phone = _open(young_person, demo)
    assert young_person.post(path, data=other_phone.data(tick=(f"{dee}-safe_network",))).status_code == 303

    stale = young_person.post(path, data=old_phone.data(tick=(f"{dee}-my_statements",)))

    assert stale.status_code == 409
    page = html.unescape(stale.get_data(as_text=True))
    assert "Your choices are not saved yet" in page
    assert "Denise Carter can now see: Safe people and places." in page
    again = _form(stale.get_data(as_text=True))
    assert again.ticked == old_phone.ticked | {f"{dee}-my_statements"}, "my own choices, as I ticked them"
    assert _shared_with(db, demo, demo.trusted_adult_id) == {"safe_network"}, "nothing merged or overwritten"

    # Saving the page shown again keeps my choices, on purpose.
    assert young_person.post(path, data=again.data()).status_code == 303
    assert _shared_with(db, demo, demo.trusted_adult_id) == {"my_statements"}


def test_r24_a_workers_lock_since_the_page_opened_is_named_and_the_box_stays_locked(
    db: Session, young_person: CsrfClient, allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    path, lisa = f"/c/{demo.jordan_id}/sharing", f"share-{demo.parent_id}"
    opened = _open(young_person, demo)
    assert f"{lisa}-review" in opened.ticked
    lock = {"member_id": str(demo.parent_id), "section": "review", "locked": "1"}
    assert allocated_worker.post(f"/children/{demo.jordan_id}/access/lock", data=lock).status_code == 303

    stale = young_person.post(path, data=opened.data(tick=(f"{lisa}-safe_word",)))

    assert stale.status_code == 409
    page = html.unescape(stale.get_data(as_text=True))
    assert "Your worker has kept this private from Lisa Ellis: When we check in next." in page
    assert "Lisa Ellis can no longer see" not in page, "a lock is said once, as a lock"
    again = _form(stale.get_data(as_text=True))
    assert f"{lisa}-review" in again.disabled and f"{lisa}-safe_word" in again.ticked
    assert "safe_word" not in _shared_with(db, demo, demo.parent_id)


def test_r24_a_garbled_seen_token_is_a_conflict_and_writes_nothing(
    db: Session, young_person: CsrfClient, demo: DemoPeople
) -> None:
    opened = _open(young_person, demo)
    data = {**opened.data(tick=(f"share-{demo.trusted_adult_id}-review",)), "seen": "7:everything/;x"}
    stale = young_person.post(f"/c/{demo.jordan_id}/sharing", data=data)
    assert stale.status_code == 409
    assert "Your choices were changed." in html.unescape(stale.get_data(as_text=True))
    assert _shared_with(db, demo, demo.trusted_adult_id) == set()


def test_r24_someone_who_joined_since_keeps_what_they_see_by_default(
    db: Session, young_person: CsrfClient, parent: CsrfClient, demo: DemoPeople
) -> None:
    """The page I saved from had no boxes for Nan: my save must not take away what she sees by default."""
    path = f"/c/{demo.jordan_id}/sharing"
    opened = _open(young_person, demo)
    nan = add_family_member(
        session=db, child_id=demo.jordan_id, member=FamilyMemberInput(display_name="Nan Ellis", role="parent_carer")
    )
    db.commit()

    stale = young_person.post(path, data=opened.data())

    assert stale.status_code == 409
    assert "Nan Ellis can now see your plan on their phone." in html.unescape(stale.get_data(as_text=True))
    again = _form(stale.get_data(as_text=True))
    assert {f"share-{nan.id}-review", f"share-{nan.id}-carer_commitments"} <= again.ticked
    assert young_person.post(path, data=again.data()).status_code == 303
    assert "review" in _open_sections(young_person, demo, nan.id or 0)


def _open_sections(young_person: CsrfClient, demo: DemoPeople, member_id: int) -> set[str]:
    prefix = f"share-{member_id}-"
    return {name.removeprefix(prefix) for name in _open(young_person, demo).ticked if name.startswith(prefix)}


def test_r6_a_lock_and_unlock_leave_an_unshared_section_unshared(
    young_person: CsrfClient, parent: CsrfClient, allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    """The other way round from issue 14's finding: Jordan hides the review date from Lisa, Sam locks
    and unlocks it, and it stays hidden, as Jordan chose."""
    path, lisa = f"/c/{demo.jordan_id}/sharing", f"share-{demo.parent_id}"
    assert young_person.post(path, data=_open(young_person, demo).data(untick=(f"{lisa}-review",))).status_code == 303
    lock = {"member_id": str(demo.parent_id), "section": "review"}
    for locked in ("1", "0"):
        answer = allocated_worker.post(f"/children/{demo.jordan_id}/access/lock", data={**lock, "locked": locked})
        assert answer.status_code == 303
    assert "review" not in _open_sections(young_person, demo, demo.parent_id)
    assert "14 December 2026" not in parent.get(f"/c/{demo.jordan_id}").get_data(as_text=True)


def test_r29_a_lock_post_that_is_neither_lock_nor_unlock_is_422_and_changes_nothing(
    allocated_worker: CsrfClient, parent: CsrfClient, demo: DemoPeople
) -> None:
    data = {"member_id": str(demo.parent_id), "section": "review", "locked": "maybe"}
    answer = allocated_worker.post(f"/children/{demo.jordan_id}/access/lock", data=data)
    assert answer.status_code == 422
    assert "Choose whether to lock or unlock the section." in html.unescape(answer.get_data(as_text=True))
    assert "14 December 2026" in parent.get(f"/c/{demo.jordan_id}").get_data(as_text=True)


def test_r2_a_bad_lock_post_from_someone_who_may_not_lock_is_not_found(
    unallocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    """The refusal page is the access page: only someone who may lock here gets it (R2)."""
    data = {"member_id": "Lisa", "section": "review", "locked": "1"}
    assert unallocated_worker.post(f"/children/{demo.jordan_id}/access/lock", data=data).status_code == 404
