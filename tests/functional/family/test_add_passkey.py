"""Adding another phone or computer (issue 4, R7-R10): a signed-in family member makes a second passkey.

The ceremony runs through the Flask test client with a software authenticator (the browser's and
the phone's part), CSRF on. The new key signs in on its own; the challenge belongs to the person
who asked for it; the options name nothing but the neutral app name (R9).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from app import SaferPlan
from app.audit.models import AuditEvent
from app.auth.models import AccountKind, Passkey, SignInSession
from tests.factories import people, plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient, make_client
from tests.support.soft_authenticator import SoftAuthenticator, b64url


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    return plans.agreed_plan(db, case.child, plans.statement("text Mum when I leave school"), by=case.worker)


def _options(client: CsrfClient, child_id: int) -> Any:
    return client.post(f"/c/{child_id}/devices/new/options")


def _add(client: CsrfClient, child_id: int, phone: SoftAuthenticator, **knobs: Any) -> Any:
    response = _options(client, child_id)
    assert response.status_code == 200, response.get_data(as_text=True)
    credential = phone.create(response.get_json(), **knobs)
    return client.post(f"/c/{child_id}/devices/new/verify", json=credential)


def _keys(db: Session, member_id: int) -> list[Passkey]:
    db.expire_all()
    return list(
        db.exec(
            select(Passkey).where(
                Passkey.account_kind == AccountKind.FAMILY,
                Passkey.account_id == member_id,
                col(Passkey.revoked_at).is_(None),
            )
        ).all()
    )


def _origin(application: SaferPlan) -> str:
    return application.settings.public_origin


def test_the_young_person_adds_a_second_phone_and_signs_in_with_it(
    application: SaferPlan, as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    page = as_young_person.get(f"/c/{case.child.id}/devices").get_data(as_text=True)
    assert "Add another phone or computer" in page and 'data-passkey="register"' in page
    laptop = SoftAuthenticator(_origin(application))
    response = _add(as_young_person, case.child.id or 0, laptop)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"redirect": f"/c/{case.child.id}/devices?added=1"}
    (key,) = _keys(db, case.young_person.id or 0)
    assert key.label == "Phone or computer 1"
    listed = as_young_person.get(f"/c/{case.child.id}/devices?added=1").get_data(as_text=True)
    assert "Done. That phone or computer can open this now." in listed and "Phone or computer 1" in listed
    # The plan's history records the change (R6, R21).
    db.expire_all()
    assert db.exec(select(AuditEvent).where(AuditEvent.entity == "passkey", AuditEvent.entity_id == key.id)).first()

    # The new key opens the app on its own, in a browser that was never signed in.
    fresh = make_client(application.family)
    options = fresh.post("/sign-in/options").get_json()
    signed_in = fresh.post("/sign-in/verify", json=laptop.get(options))
    assert signed_in.status_code == 200 and signed_in.get_json() == {"redirect": "/"}


def test_phone_names_are_never_used_twice(
    application: SaferPlan, as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    """A removed phone's number is not given to the next one, so a list never shows two the same."""
    assert _add(as_young_person, case.child.id or 0, SoftAuthenticator(_origin(application))).status_code == 200
    (first,) = _keys(db, case.young_person.id or 0)
    assert as_young_person.post(f"/c/{case.child.id}/devices/{first.id}/remove").status_code == 303
    assert _keys(db, case.young_person.id or 0) == []
    assert _add(as_young_person, case.child.id or 0, SoftAuthenticator(_origin(application))).status_code == 200
    (second,) = _keys(db, case.young_person.id or 0)
    assert (first.label, second.label) == ("Phone or computer 1", "Phone or computer 2")


def test_r9_the_options_use_neutral_words_and_this_persons_handle(
    application: SaferPlan, as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    options = _options(as_young_person, case.child.id or 0).get_json()
    neutral = application.settings.neutral_app_name
    assert options["user"]["name"] == neutral and options["user"]["displayName"] == neutral
    assert options["rp"]["name"] == neutral
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert "Jordan" not in str(options) and "Ellis" not in str(options)


def test_a_phone_that_already_has_a_key_is_excluded(
    application: SaferPlan, as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    phone = SoftAuthenticator(_origin(application))
    assert _add(as_young_person, case.child.id or 0, phone).status_code == 200
    options = _options(as_young_person, case.child.id or 0).get_json()
    assert [c["id"] for c in options["excludeCredentials"]] == [
        b64url(_keys(db, case.young_person.id or 0)[0].credential_id)
    ]


def test_r7_user_verification_and_origin_are_required(
    application: SaferPlan, as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    phone = SoftAuthenticator(_origin(application))
    no_uv = _add(as_young_person, case.child.id or 0, phone, user_verified=False)
    assert no_uv.status_code == 400 and "error" in no_uv.get_json()
    wrong_origin = _add(as_young_person, case.child.id or 0, SoftAuthenticator("https://evil.example"))
    assert wrong_origin.status_code == 400
    assert _keys(db, case.young_person.id or 0) == []


def test_r8_a_replayed_registration_is_refused(
    application: SaferPlan, as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    phone = SoftAuthenticator(_origin(application))
    options = _options(as_young_person, case.child.id or 0).get_json()
    credential = phone.create(options)
    assert as_young_person.post(f"/c/{case.child.id}/devices/new/verify", json=credential).status_code == 200
    again = as_young_person.post(f"/c/{case.child.id}/devices/new/verify", json=credential)
    assert again.status_code == 400
    assert len(_keys(db, case.young_person.id or 0)) == 1


def test_a_challenge_made_for_someone_else_adds_nothing(
    application: SaferPlan, as_young_person: CsrfClient, as_parent: CsrfClient, db: Session, case: Case
) -> None:
    """Lisa's challenge, signed and posted from Jordan's session, must not give Jordan (or Lisa) a key."""
    phone = SoftAuthenticator(_origin(application))
    lisas_options = _options(as_parent, case.child.id or 0).get_json()
    credential = phone.create(lisas_options)
    refused = as_young_person.post(f"/c/{case.child.id}/devices/new/verify", json=credential)
    assert refused.status_code == 400
    assert _keys(db, case.young_person.id or 0) == [] and _keys(db, case.parent.id or 0) == []


def test_a_parent_can_add_a_phone_from_their_own_page(
    application: SaferPlan, as_parent: CsrfClient, db: Session, case: Case
) -> None:
    plan = as_parent.get(f"/c/{case.child.id}").get_data(as_text=True)
    assert f"/c/{case.child.id}/devices/new" in plan
    page = as_parent.get(f"/c/{case.child.id}/devices/new")
    assert page.status_code == 200 and 'data-passkey="register"' in page.get_data(as_text=True)
    response = _add(as_parent, case.child.id or 0, SoftAuthenticator(_origin(application)))
    assert response.status_code == 200
    assert response.get_json() == {"redirect": f"/c/{case.child.id}/devices/new?added=1"}
    assert len(_keys(db, case.parent.id or 0)) == 1


def test_only_soon_after_signing_in_with_a_key(
    application: SaferPlan, as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    """A phone picked up while unlocked, long after its owner opened it, cannot gain a stranger's key."""
    db.expire_all()
    for record in db.exec(select(SignInSession).where(SignInSession.account_id == case.young_person.id)).all():
        record.created_at = record.created_at - timedelta(minutes=20)
        db.add(record)
    db.commit()
    response = _options(as_young_person, case.child.id or 0)
    assert response.status_code == 400
    assert "just after opening the app with your key" in response.get_json()["error"]
    assert _keys(db, case.young_person.id or 0) == []


def test_someone_not_linked_to_the_child_gets_not_found(as_young_person: CsrfClient, db: Session) -> None:
    kay = people.other_case(db)
    plans.plan(db, kay.child, by=kay.worker)
    assert _options(as_young_person, kay.child.id or 0).status_code == 404
    assert as_young_person.get(f"/c/{kay.child.id}/devices/new").status_code == 404
