"""R11 and R12: throttled practitioner sign-in, and server-side sessions that really end."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from app import SaferPlan
from app.auth.models import SignInSession
from tests.factories import plans
from tests.factories.people import PASSWORD, Case
from tests.support.clients import CsrfClient, make_client


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's case (Sam's, password PASSWORD) with an agreed plan: both doors have a page to open."""
    return plans.agreed_plan(db, case.child, plans.statement("text Mum when I leave school"), by=case.worker)


def _sign_in(client: CsrfClient, email: str, password: str) -> int:
    return client.post("/sign-in", data={"email": email, "password": password}).status_code


def test_a_password_alone_does_not_open_the_practitioner_door(practitioner_client: CsrfClient, case: Case) -> None:
    response = practitioner_client.post("/sign-in", data={"email": case.worker.email.upper(), "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/sign-in/passkey")
    assert practitioner_client.get("/").status_code == 302
    assert practitioner_client.get(f"/children/{case.child_id}").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(practitioner_client: CsrfClient, case: Case) -> None:
    wrong = practitioner_client.post("/sign-in", data={"email": case.worker.email, "password": "nope"})
    unknown = practitioner_client.post("/sign-in", data={"email": "nobody@example.org", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "did not match an account" in wrong.get_data(as_text=True)

    def page_without_values(html: str, email: str) -> str:
        # CSRF tokens carry a timestamp; the typed email is echoed back. Everything else must match.
        return re.sub(r'(content|value)="[^"]*\.[^"]*\.[^"]*"', "", html.replace(email, ""))

    assert page_without_values(wrong.get_data(as_text=True), case.worker.email) == page_without_values(
        unknown.get_data(as_text=True), "nobody@example.org"
    )


def test_r11_the_sixth_attempt_in_a_minute_is_throttled(practitioner_client: CsrfClient, case: Case) -> None:
    codes = [_sign_in(practitioner_client, case.worker.email, "wrong-password") for _ in range(6)]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    # The refusal says when to try again; ordinary answers carry no rate-limit headers (bytes, R11).
    refused = practitioner_client.post("/sign-in", data={"email": case.worker.email, "password": "x"})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    ordinary = practitioner_client.get("/sign-in")
    assert ordinary.status_code == 200
    names = [name.lower() for name, _value in ordinary.headers.items()]
    assert not [name for name in names if name.startswith(("x-ratelimit", "retry-after"))], names


def test_sign_in_without_csrf_token_is_refused(practitioner_client: CsrfClient, case: Case) -> None:
    practitioner_client.send_csrf = False
    assert _sign_in(practitioner_client, case.worker.email, PASSWORD) == 400
    assert practitioner_client.get("/").status_code == 302


def test_r12_new_session_id_at_sign_in(practitioner_client: CsrfClient, case: Case) -> None:
    practitioner_client.get("/sign-in")
    before = practitioner_client.get_cookie("sp_practitioner")
    _sign_in(practitioner_client, case.worker.email, PASSWORD)
    after = practitioner_client.get_cookie("sp_practitioner")
    assert before is not None and after is not None and before.value != after.value


def test_r12_a_copied_cookie_is_rejected_after_sign_out(application: SaferPlan, as_worker: CsrfClient) -> None:
    cookie = as_worker.get_cookie("sp_practitioner")
    assert cookie is not None
    copy = make_client(application.practitioner)
    copy.set_cookie("sp_practitioner", cookie.value)
    assert copy.get("/").status_code == 200
    assert as_worker.post("/sign-out").status_code == 303
    assert copy.get("/").status_code == 302


def _live_session(db: Session) -> SignInSession:
    return db.exec(select(SignInSession).where(col(SignInSession.revoked_at).is_(None))).one()


def _go_idle(record: SignInSession) -> None:
    record.last_seen_at = record.last_seen_at - timedelta(minutes=31)


def _reach_absolute_limit(record: SignInSession) -> None:
    record.expires_at = record.created_at


def _revoke(record: SignInSession) -> None:
    record.revoked_at = record.created_at


@pytest.mark.parametrize("person", ["as_worker", "as_young_person"])
@pytest.mark.parametrize("end_it", [_go_idle, _reach_absolute_limit, _revoke], ids=["idle", "absolute", "revoked"])
def test_r12_sessions_end_when_idle_too_long_past_their_limit_or_revoked(
    request: pytest.FixtureRequest, db: Session, person: str, end_it: Callable[[SignInSession], None]
) -> None:
    client: CsrfClient = request.getfixturevalue(person)
    assert client.get("/").status_code == 200
    end_it(_live_session(db))
    db.commit()
    assert client.get("/").status_code == 302


def test_family_cookie_does_not_open_the_practitioner_door(application: SaferPlan, as_young_person: CsrfClient) -> None:
    cookie = as_young_person.get_cookie("daybook")
    assert cookie is not None
    other = make_client(application.practitioner)
    other.set_cookie("sp_practitioner", cookie.value)
    assert other.get("/").status_code == 302


def test_quick_exit_ends_the_session_and_clears_site_data(as_young_person: CsrfClient) -> None:
    response = as_young_person.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("https://")
    assert '"storage"' in response.headers["Clear-Site-Data"]
    assert as_young_person.get("/").status_code == 302
