"""The "API tokens" page: make a token (shown once, hashed at rest), list, revoke, and refusals."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.api.models import ApiToken, TokenScope
from app.audit.models import AuditEvent
from app.auth.tokens import token_hash
from app.demo.seed import DemoPeople
from app.timeutil import today
from tests.functional.api.conftest import bearer, practitioner_actor

PAGE = "/account/tokens"
RAW = re.compile(r'id="new-token"[^>]*>(sp_pat_[A-Za-z0-9_-]+)</textarea>')


def _form(**changes: str) -> dict[str, str]:
    form = {"name": "Mosaic nightly sync", "scope": "read", "expires_on": (today() + timedelta(days=30)).isoformat()}
    return {**form, **changes}


def _make(client: FlaskClient, **changes: str) -> tuple[object, str]:
    response = client.post(PAGE, data=_form(**changes))
    assert response.status_code == 200, response.data
    found = RAW.search(response.get_data(as_text=True))
    assert found, "the new token is shown"
    return response, found.group(1)


def _tokens_of(db: Session, demo: DemoPeople, email: str) -> list[ApiToken]:
    actor = practitioner_actor(db, email)
    return list(db.exec(select(ApiToken).where(ApiToken.practitioner_id == actor.account_id)).all())


def test_the_page_lists_nothing_at_first_and_offers_the_form(allocated_worker: FlaskClient, demo: DemoPeople) -> None:
    response = allocated_worker.get(PAGE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "You have no tokens yet." in page and 'name="expires_on"' in page
    assert 'name="csrf_token"' in page
    # The account bar links here for practitioners who hold cases.
    assert f'href="{PAGE}"' in allocated_worker.get("/").get_data(as_text=True)


def test_a_token_is_shown_once_and_only_its_hash_is_kept(
    allocated_worker: FlaskClient, api: FlaskClient, db: Session, demo: DemoPeople
) -> None:
    response, raw = _make(allocated_worker)
    assert "shown only once" in response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.headers["Cache-Control"] == "no-store"  # type: ignore[attr-defined]
    [row] = _tokens_of(db, demo, demo.social_worker_email)
    assert row.name == "Mosaic nightly sync" and row.scope == TokenScope.READ
    assert row.token_hash == token_hash(raw) and raw not in row.token_hash
    assert row.expires_at.date() == today() + timedelta(days=30)
    # Hashed at rest: the raw token is in no column of any row, nor in the audit log.
    for table_row in db.exec(select(ApiToken)).all():
        assert raw not in repr(table_row.model_dump())
    assert not db.exec(select(AuditEvent).where(col(AuditEvent.detail).contains(raw[7:20]))).first()
    # Shown once: the page never shows it again.
    assert raw not in allocated_worker.get(PAGE).get_data(as_text=True)
    # And it works on the API.
    assert api.get("/children", headers=bearer(raw)).status_code == 200


def test_refusals_say_what_to_change_and_give_back_what_was_typed(
    allocated_worker: FlaskClient, db: Session, demo: DemoPeople
) -> None:
    too_late = (today() + timedelta(days=91)).isoformat()
    response = allocated_worker.post(PAGE, data=_form(name="   ", scope="admin", expires_on=too_late))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Say what the token is for" in page
    assert "Choose what the token may do." in page
    assert "at most 90 days away" in page
    assert f'value="{too_late}"' in page
    assert 'href="#name"' in page and 'aria-invalid="true"' in page
    for expires_on in (today().isoformat(), "2026-02-30", "tomorrow", ""):
        response = allocated_worker.post(PAGE, data=_form(name="Ok", expires_on=expires_on))
        assert response.status_code == 422, expires_on
    assert _tokens_of(db, demo, demo.social_worker_email) == []
    # The last day allowed is accepted.
    _make(allocated_worker, expires_on=(today() + timedelta(days=90)).isoformat())


def test_revoking_asks_first_then_the_token_stops_working(
    allocated_worker: FlaskClient, api: FlaskClient, db: Session, demo: DemoPeople
) -> None:
    _response, raw = _make(allocated_worker)
    [row] = _tokens_of(db, demo, demo.social_worker_email)
    confirm = allocated_worker.get(f"{PAGE}/{row.id}/revoke")
    assert confirm.status_code == 200 and "Yes, revoke it" in confirm.get_data(as_text=True)
    assert row.revoked_at is None  # asking changed nothing
    done = allocated_worker.post(f"{PAGE}/{row.id}/revoke")
    assert done.status_code == 303
    db.expire_all()
    assert db.get(ApiToken, row.id).revoked_at is not None  # type: ignore[union-attr]
    assert "Token revoked" in allocated_worker.get(done.headers["Location"]).get_data(as_text=True)
    assert api.get("/children", headers=bearer(raw)).status_code == 401
    # A revoked token cannot be revoked again, nor is its confirmation offered.
    assert allocated_worker.get(f"{PAGE}/{row.id}/revoke").status_code == 404
    assert allocated_worker.post(f"{PAGE}/{row.id}/revoke").status_code == 404


def test_an_expired_token_is_listed_as_expired_and_refused(
    allocated_worker: FlaskClient, api: FlaskClient, db: Session, demo: DemoPeople
) -> None:
    _response, raw = _make(allocated_worker)
    [row] = _tokens_of(db, demo, demo.social_worker_email)
    row.expires_at = row.created_at - timedelta(seconds=1)
    db.add(row)
    db.commit()
    assert "Expired" in allocated_worker.get(PAGE).get_data(as_text=True)
    assert api.get("/children", headers=bearer(raw)).status_code == 401
    assert allocated_worker.get(f"{PAGE}/{row.id}/revoke").status_code == 404


def test_no_one_revokes_or_sees_anyone_elses_token(
    allocated_worker: FlaskClient, unallocated_worker: FlaskClient, db: Session, demo: DemoPeople
) -> None:
    _make(allocated_worker, name="Sam's sync")
    [row] = _tokens_of(db, demo, demo.social_worker_email)
    assert "Sam&#39;s sync" not in unallocated_worker.get(PAGE).get_data(as_text=True)
    assert unallocated_worker.get(f"{PAGE}/{row.id}/revoke").status_code == 404
    assert unallocated_worker.post(f"{PAGE}/{row.id}/revoke").status_code == 404
    db.expire_all()
    assert db.get(ApiToken, row.id).revoked_at is None  # type: ignore[union-attr]


def test_the_admin_may_not_make_tokens(admin: FlaskClient, db: Session, demo: DemoPeople) -> None:
    assert admin.get(PAGE).status_code == 404
    assert admin.post(PAGE, data=_form()).status_code == 404
    assert _tokens_of(db, demo, demo.admin_email) == []
    accounts = admin.get("/admin/accounts")
    assert accounts.status_code == 200 and f'href="{PAGE}"' not in accounts.get_data(as_text=True)


def test_signed_out_the_page_sends_to_sign_in(practitioner_client: FlaskClient) -> None:
    response = practitioner_client.get(PAGE)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
