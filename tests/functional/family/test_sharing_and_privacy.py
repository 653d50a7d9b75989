"""R4 and R6: the young person chooses who sees what; locks, revocation and lost phones act at once."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import Session

from app.access import sharing
from app.actors import Actor
from app.auth.models import AccountKind, Passkey
from app.people.inputs import FamilyMemberInput
from app.people.operations import add_family_member
from app.plans.inputs import NetworkPersonInput
from app.plans.models import Moment, Safety
from app.plans.sections import Section
from tests.factories import commitments, people, plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient
from tests.support.signin import sign_in_as


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's agreed plan: his words, an emergency step, his safe word, a commitment of Lisa's and
    a person of concern."""
    return plans.agreed_plan(
        db,
        case.child,
        plans.statement("text Mum when I leave school and when I get to football", own_words_of=case.young_person),
        plans.statement("call 999 if I'm scared or hurt", moment=Moment.EMERGENCY),
        commitments.commitment_input(case.parent, "a weekly plan for evenings with Jordan"),
        NetworkPersonInput(name="'Dino'", relationship="Older male", safety=Safety.NOT_SAFE),
        by=case.worker,
        safe_word="pineapple",
    )


def _sam(db: Session, case: Case) -> Actor:
    return people.actor(case.worker)


def test_r4_a_trusted_adult_sees_nothing_until_the_young_person_shares(
    as_young_person: CsrfClient, as_trusted_adult: CsrfClient, case: Case
) -> None:
    before = as_trusted_adult.get("/").get_data(as_text=True)
    assert "text Mum when I leave school" not in before
    assert "pineapple" not in before
    response = as_young_person.post(
        f"/c/{case.child_id}/sharing", data={f"share-{case.trusted_adult_id}-my_statements": "on"}
    )
    assert response.status_code == 303
    after = as_trusted_adult.get("/").get_data(as_text=True)
    assert "text Mum when I leave school" in after
    assert "pineapple" not in after  # the safe word was not shared
    assert "Dino" not in after  # people of concern never leave the practitioner side


def test_r6_the_young_person_sees_who_can_see_each_section(as_young_person: CsrfClient, case: Case) -> None:
    page = as_young_person.get(f"/c/{case.child_id}/sharing").get_data(as_text=True)
    assert "Lisa Ellis" in page and "Denise Carter" in page
    # Lisa's own commitments are visible to her by default: that box starts ticked.
    assert f'id="share-{case.parent_id}-carer_commitments" name="share-{case.parent_id}-carer_commitments"\n' in page
    assert "checked" in page.split(f'id="share-{case.parent_id}-carer_commitments"')[1].split(">")[0]


def test_a_practitioner_lock_overrides_the_young_persons_choice(
    db: Session, as_young_person: CsrfClient, as_parent: CsrfClient, case: Case
) -> None:
    as_young_person.post(
        f"/c/{case.child_id}/sharing",
        data={f"share-{case.parent_id}-safe_word": "on", f"share-{case.parent_id}-emergency": "on"},
    )
    assert "pineapple" in as_parent.get("/").get_data(as_text=True)
    sharing.set_lock(
        session=db,
        actor=_sam(db, case),
        child_id=case.child_id,
        lock=sharing.SectionLock(member_id=case.parent_id, section=Section.SAFE_WORD, locked=True),
    )
    db.commit()
    assert "pineapple" not in as_parent.get("/").get_data(as_text=True)
    page = as_young_person.get(f"/c/{case.child_id}/sharing").get_data(as_text=True)
    assert "kept this private for now" in page
    # Re-ticking a locked box changes nothing.
    as_young_person.post(f"/c/{case.child_id}/sharing", data={f"share-{case.parent_id}-safe_word": "on"})
    assert "pineapple" not in as_parent.get("/").get_data(as_text=True)


def test_only_the_young_person_chooses(as_parent: CsrfClient, as_trusted_adult: CsrfClient, case: Case) -> None:
    response = as_parent.post(f"/c/{case.child_id}/sharing", data={f"share-{case.parent_id}-safe_word": "on"})
    assert response.status_code == 404
    assert "pineapple" not in as_parent.get("/").get_data(as_text=True)
    shared = as_trusted_adult.get(f"/c/{case.child_id}/sharing").get_data(as_text=True)
    assert "What Jordan shares with you" in shared


def test_r6_revoking_someones_access_takes_effect_on_their_next_request(
    db: Session, as_parent: CsrfClient, case: Case
) -> None:
    from app.people.operations import revoke_family_link

    assert as_parent.get(f"/c/{case.child_id}").status_code == 200
    revoke_family_link(session=db, actor=_sam(db, case), child_id=case.child_id, member_id=case.parent_id)
    db.commit()
    assert as_parent.get(f"/c/{case.child_id}").status_code == 404
    assert "Nothing here yet" in as_parent.get("/").get_data(as_text=True)


def test_the_young_person_sees_who_looked_at_their_plan(
    as_young_person: CsrfClient, as_worker: CsrfClient, case: Case
) -> None:
    assert as_worker.get(f"/children/{case.child_id}").status_code == 200
    page = as_young_person.get(f"/c/{case.child_id}/history").get_data(as_text=True)
    assert "Sam Okafor" in page and "looked at your plan" in page
    assert "changed your plan" in page


def _give_passkey(db: Session, member_id: int, label: str) -> int:
    passkey = Passkey(
        account_kind=AccountKind.FAMILY,
        account_id=member_id,
        credential_id=label.encode() * 4,
        public_key=b"unused-in-this-test",
        label=label,
    )
    db.add(passkey)
    db.commit()
    return passkey.id or 0


def test_r10_a_lost_phone_is_removed_and_signed_out_at_once(
    application: object, db: Session, as_trusted_adult: CsrfClient, case: Case
) -> None:
    from tests.support.clients import make_client

    lost_id = _give_passkey(db, case.young_person_id, "Lost phone")
    lost_phone = make_client(application.family)  # type: ignore[attr-defined]
    sign_in_as(
        lost_phone, session=db, account_kind=AccountKind.FAMILY, account_id=case.young_person_id, passkey_id=lost_id
    )
    assert lost_phone.get("/").status_code == 200
    # Aunt Dee helps: she sees Jordan's phone, asks for confirmation, then removes it.
    listing = as_trusted_adult.get(f"/c/{case.child_id}/devices").get_data(as_text=True)
    assert "Lost phone" in listing
    confirm = as_trusted_adult.get(f"/c/{case.child_id}/devices/{lost_id}/remove")
    assert "Remove this phone?" in confirm.get_data(as_text=True)
    assert as_trusted_adult.post(f"/c/{case.child_id}/devices/{lost_id}/remove").status_code == 303
    assert lost_phone.get("/").status_code == 302
    assert db.get(Passkey, lost_id).revoked_at is not None  # type: ignore[union-attr]


def test_a_parent_cannot_remove_anyones_phone(db: Session, as_parent: CsrfClient, case: Case) -> None:
    phone = _give_passkey(db, case.young_person_id, "Jordan phone")
    assert as_parent.get(f"/c/{case.child_id}/devices").status_code == 404
    assert as_parent.post(f"/c/{case.child_id}/devices/{phone}/remove").status_code == 404


def test_two_people_with_one_name_are_told_apart_on_the_access_page(
    as_worker: CsrfClient, db: Session, case: Case
) -> None:
    """Two "Lisa"s (say, invited twice) get a number each: the worker can tell them apart, and each
    section and table has its own name for screen readers (axe: landmark-unique)."""

    for _ in range(2):
        add_family_member(
            session=db,
            child_id=case.child_id,
            member=FamilyMemberInput.parse({"display_name": "Lisa", "role": "parent_carer"}),
        )
    db.commit()
    page = as_worker.get(f"/children/{case.child_id}/access").get_data(as_text=True)
    assert "What Lisa (1) can see" in page and "What Lisa (2) can see" in page
    text = html.unescape(page)
    assert "Remove Lisa (1)'s access" in text and "Remove Lisa (2)'s access" in text
    labels = re.findall(r'aria-label="([^"]*)"', page)
    assert len(labels) == len(set(labels)), labels
    # Someone whose name is theirs alone keeps it as it is.
    assert "What Lisa Ellis can see" in page
