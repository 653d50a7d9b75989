"""R11: practitioners sign in with an argon2 password plus a passkey second factor."""

from __future__ import annotations

import json

from sqlmodel import Session

from app import SaferPlan
from tests.factories import people
from tests.factories.people import PASSWORD, Case
from tests.support.clients import CsrfClient, make_client
from tests.support.soft_authenticator import SoftAuthenticator


def _password_step(client: CsrfClient, email: str) -> None:
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"].endswith("/sign-in/passkey")


def _passkey_step(client: CsrfClient, device: SoftAuthenticator, *, enrol: bool) -> int:
    options = client.post("/sign-in/passkey/options")
    assert options.status_code == 200
    data = json.loads(options.get_data(as_text=True))
    credential = device.create(data) if enrol else device.get(data)
    return client.post("/sign-in/passkey/verify", json=credential).status_code


def test_r11_first_sign_in_enrols_a_passkey_then_it_is_required(
    application: SaferPlan, practitioner_client: CsrfClient, case: Case
) -> None:
    device = SoftAuthenticator(application.settings.public_origin)
    _password_step(practitioner_client, case.worker.email)
    page = practitioner_client.get("/sign-in/passkey").get_data(as_text=True)
    assert "Set up your passkey" in page
    assert _passkey_step(practitioner_client, device, enrol=True) == 200
    assert practitioner_client.get("/").status_code == 200

    again = make_client(application.practitioner)
    _password_step(again, case.worker.email)
    assert "Confirm it" in again.get("/sign-in/passkey").get_data(as_text=True)
    assert _passkey_step(again, device, enrol=False) == 200
    assert "Jordan Ellis" in again.get("/").get_data(as_text=True)


def test_r11_once_enrolled_a_password_cannot_enrol_another_passkey(
    application: SaferPlan, practitioner_client: CsrfClient, case: Case
) -> None:
    mine = SoftAuthenticator(application.settings.public_origin)
    _password_step(practitioner_client, case.worker.email)
    assert _passkey_step(practitioner_client, mine, enrol=True) == 200

    # Someone who learned the password tries to add their own passkey.
    attacker = make_client(application.practitioner)
    _password_step(attacker, case.worker.email)
    options = json.loads(attacker.post("/sign-in/passkey/options").get_data(as_text=True))
    assert options.get("allowCredentials")
    fake = SoftAuthenticator(application.settings.public_origin)
    registration = fake.create(
        {
            **options,
            "rp": {"id": "localhost", "name": "x"},
            "user": {"id": "AAAA", "name": "x"},
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
        }
    )
    assert attacker.post("/sign-in/passkey/verify", json=registration).status_code == 400
    assert attacker.get("/").status_code == 302


def test_r11_another_practitioners_passkey_does_not_complete_my_sign_in(
    application: SaferPlan, db: Session, case: Case
) -> None:
    other_worker = people.other_case(db).worker
    origin = application.settings.public_origin
    sams_device, alexs_device = SoftAuthenticator(origin), SoftAuthenticator(origin)
    sam, alex = make_client(application.practitioner), make_client(application.practitioner)
    _password_step(sam, case.worker.email)
    assert _passkey_step(sam, sams_device, enrol=True) == 200
    _password_step(alex, other_worker.email)
    assert _passkey_step(alex, alexs_device, enrol=True) == 200

    # Alex knows Sam's password but holds only Alex's own passkey.
    intruder = make_client(application.practitioner)
    _password_step(intruder, case.worker.email)
    options = json.loads(intruder.post("/sign-in/passkey/options").get_data(as_text=True))
    options["allowCredentials"] = []  # let the authenticator offer Alex's credential
    assertion = alexs_device.get(options)
    assert intruder.post("/sign-in/passkey/verify", json=assertion).status_code == 400
    assert intruder.get("/").status_code == 302


def test_the_passkey_step_needs_the_password_step_first(practitioner_client: CsrfClient, case: Case) -> None:
    assert practitioner_client.post("/sign-in/passkey/options").status_code == 401
    assert practitioner_client.get("/sign-in/passkey").status_code == 302
