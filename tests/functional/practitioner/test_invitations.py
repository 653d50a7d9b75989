"""A practitioner invites a family member with a one-time, expiring link and QR code."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session, select

from app.auth.models import Invitation
from app.demo.seed import DemoPeople
from app.timeutil import utcnow
from tests.support.clients import CsrfClient


def _invite(client: CsrfClient, child_id: int, **form: str) -> tuple[int, str]:
    response = client.post(f"/children/{child_id}/invitations", data=form)
    return response.status_code, response.get_data(as_text=True)


def test_invitation_gives_a_one_time_link_and_qr_code(
    allocated_worker: CsrfClient, family_client: CsrfClient, demo: DemoPeople
) -> None:
    status, html = _invite(
        allocated_worker, demo.jordan_id, role="trusted_adult", display_name="Coach Marcus", relationship="Coach"
    )
    assert status == 200
    assert 'src="data:image/svg+xml' in html
    token = re.search(r"/join/([A-Za-z0-9_-]+)", html)
    assert token is not None
    page = family_client.get(f"/join/{token.group(1)}")
    assert page.status_code == 200
    assert "Hi Coach Marcus" in page.get_data(as_text=True)


def test_the_invitation_form_explains_what_is_wrong_and_keeps_what_was_typed(
    allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    status, html = _invite(allocated_worker, demo.jordan_id, role="", display_name="", relationship="Nan")
    assert status == 422
    assert "Choose who you are inviting." in html
    assert "Enter the name they like to be called." in html
    assert 'value="Nan"' in html


def test_only_workers_on_the_case_can_invite(unallocated_worker: CsrfClient, demo: DemoPeople) -> None:
    status, _html = _invite(unallocated_worker, demo.jordan_id, role="young_person", display_name="Jordan")
    assert status == 404
    assert unallocated_worker.get(f"/children/{demo.jordan_id}/invitations").status_code == 404


def test_an_expired_invitation_is_not_found(
    db: Session, allocated_worker: CsrfClient, family_client: CsrfClient, demo: DemoPeople
) -> None:
    _status, html = _invite(allocated_worker, demo.jordan_id, role="parent_carer", display_name="Mark")
    token = re.search(r"/join/([A-Za-z0-9_-]+)", html)
    assert token is not None
    invitation = db.exec(select(Invitation).order_by(Invitation.id.desc())).first()  # type: ignore[union-attr]
    assert invitation is not None
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    page = family_client.get(f"/join/{token.group(1)}")
    assert page.status_code == 404
    assert "doesn" in page.get_data(as_text=True)
    assert family_client.post(f"/join/{token.group(1)}/options").status_code == 404


def test_tokens_are_stored_only_as_hashes(db: Session, allocated_worker: CsrfClient, demo: DemoPeople) -> None:
    _status, html = _invite(allocated_worker, demo.jordan_id, role="parent_carer", display_name="Mark")
    token = re.search(r"/join/([A-Za-z0-9_-]+)", html)
    assert token is not None
    invitations = db.exec(select(Invitation)).all()
    assert invitations and all(token.group(1) not in inv.token_hash for inv in invitations)
    assert len(token.group(1)) >= 43  # 256 bits, base64url


def test_a_new_phone_for_someone_already_here_reuses_their_account(
    db: Session, allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    status, _html = _invite(allocated_worker, demo.jordan_id, who=str(demo.parent_id))
    assert status == 200
    invitation = db.exec(select(Invitation).order_by(Invitation.id.desc())).first()  # type: ignore[union-attr]
    assert invitation is not None
    assert invitation.member_id == demo.parent_id and invitation.role == "parent_carer"


def test_inviting_the_young_person_again_means_a_new_phone_for_the_same_person(
    db: Session, allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    status, _html = _invite(allocated_worker, demo.jordan_id, role="young_person", display_name="Jordan")
    assert status == 200
    invitation = db.exec(select(Invitation).order_by(Invitation.id.desc())).first()  # type: ignore[union-attr]
    assert invitation is not None and invitation.member_id == demo.young_person_id


def test_a_new_phone_only_for_people_linked_to_this_child(allocated_worker: CsrfClient, demo: DemoPeople) -> None:
    status, html = _invite(allocated_worker, demo.jordan_id, who="999999")
    assert status == 422
    assert "already in the plan" in html


def test_a_refused_invitation_keeps_every_word_and_says_which_box(
    allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    """R29: too long, NUL or invisible: a message by the box, and the box keeps what was typed."""
    relationship = "Aunt on Mum's side, " * 10  # 200 characters: the limit is 80
    status, html = _invite(
        allocated_worker, demo.jordan_id, role="trusted_adult", display_name="Dee\x00", relationship=relationship
    )
    assert status == 422
    assert 'id="relationship-error"' in html and 'id="display_name-error"' in html
    assert "Keep it under 80 characters." in html
    assert f'value="{relationship}"'.replace("'", "&#39;") in html
    assert 'value="Dee\x00"' in html


def test_someone_who_may_not_invite_never_sees_the_forms_refusal(
    application: object, db: Session, demo: DemoPeople
) -> None:
    """The form is parsed before the service asks the policy: a refusal would tell a read-only
    manager what it accepts. They get "not found" instead, as for a valid invitation (R2)."""
    from app.auth.models import AccountKind
    from app.people.models import Practitioner
    from tests.support.clients import make_client
    from tests.support.signin import sign_in_as

    manager = db.exec(select(Practitioner).where(Practitioner.email == demo.manager_email)).one()
    client = make_client(application.practitioner)  # type: ignore[attr-defined]
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=manager.id or 0)
    status, html = _invite(client, demo.jordan_id, role="", display_name="\u200b")
    assert status == 404
    assert "There is a problem" not in html
