"""A practitioner invites a family member with a one-time, expiring link and QR code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.auth.models import Invitation
from app.timeutil import utcnow
from tests.factories import people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support.clients import CsrfClient


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> None:
    """Jordan's plan is started: people are invited to a plan."""
    plans.plan(db, case.child, by=case.worker)


@pytest.fixture
def alex(db: Session, sign_in: SignIn) -> CsrfClient:
    """Alex Morgan, who works with Kay and has no link to Jordan."""
    return sign_in(people.other_case(db).worker)


def _invite(client: CsrfClient, child_id: int, **form: str) -> tuple[int, str]:
    response = client.post(f"/children/{child_id}/invitations", data=form)
    return response.status_code, response.get_data(as_text=True)


def test_invitation_gives_a_one_time_link_and_qr_code(
    as_worker: CsrfClient, family_client: CsrfClient, case: Case
) -> None:
    status, html = _invite(
        as_worker, case.child.id or 0, role="trusted_adult", display_name="Coach Marcus", relationship="Coach"
    )
    assert status == 200
    assert 'src="data:image/svg+xml' in html
    token = re.search(r"/join/([A-Za-z0-9_-]+)", html)
    assert token is not None
    page = family_client.get(f"/join/{token.group(1)}")
    assert page.status_code == 200
    assert "Hi Coach Marcus" in page.get_data(as_text=True)


def test_the_invitation_form_explains_what_is_wrong_and_keeps_what_was_typed(as_worker: CsrfClient, case: Case) -> None:
    status, html = _invite(as_worker, case.child.id or 0, role="", display_name="", relationship="Nan")
    assert status == 422
    assert "Choose who you are inviting." in html
    assert "Enter the name they like to be called." in html
    assert 'value="Nan"' in html


def test_only_workers_on_the_case_can_invite(alex: CsrfClient, case: Case) -> None:
    status, _html = _invite(alex, case.child.id or 0, role="young_person", display_name="Jordan")
    assert status == 404
    assert alex.get(f"/children/{case.child.id or 0}/invitations").status_code == 404


def test_an_expired_invitation_is_not_found(
    db: Session, as_worker: CsrfClient, family_client: CsrfClient, case: Case
) -> None:
    _status, html = _invite(as_worker, case.child.id or 0, role="parent_carer", display_name="Mark")
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


def test_tokens_are_stored_only_as_hashes(db: Session, as_worker: CsrfClient, case: Case) -> None:
    _status, html = _invite(as_worker, case.child.id or 0, role="parent_carer", display_name="Mark")
    token = re.search(r"/join/([A-Za-z0-9_-]+)", html)
    assert token is not None
    invitations = db.exec(select(Invitation)).all()
    assert invitations and all(token.group(1) not in inv.token_hash for inv in invitations)
    assert len(token.group(1)) >= 43  # 256 bits, base64url


def test_a_new_phone_for_someone_already_here_reuses_their_account(
    db: Session, as_worker: CsrfClient, case: Case
) -> None:
    status, _html = _invite(as_worker, case.child.id or 0, who=str(case.parent.id))
    assert status == 200
    invitation = db.exec(select(Invitation).order_by(Invitation.id.desc())).first()  # type: ignore[union-attr]
    assert invitation is not None
    assert invitation.member_id == case.parent.id and invitation.role == "parent_carer"


def test_inviting_the_young_person_again_means_a_new_phone_for_the_same_person(
    db: Session, as_worker: CsrfClient, case: Case
) -> None:
    status, _html = _invite(as_worker, case.child.id or 0, role="young_person", display_name="Jordan")
    assert status == 200
    invitation = db.exec(select(Invitation).order_by(Invitation.id.desc())).first()  # type: ignore[union-attr]
    assert invitation is not None and invitation.member_id == case.young_person.id


def test_a_new_phone_only_for_people_linked_to_this_child(as_worker: CsrfClient, case: Case) -> None:
    status, html = _invite(as_worker, case.child.id or 0, who="999999")
    assert status == 422
    assert "already in the plan" in html


def test_a_refused_invitation_keeps_every_word_and_says_which_box(as_worker: CsrfClient, case: Case) -> None:
    """R29: too long, NUL or invisible: a message by the box, and the box keeps what was typed."""
    relationship = "Aunt on Mum's side, " * 10  # 200 characters: the limit is 80
    status, html = _invite(
        as_worker, case.child.id or 0, role="trusted_adult", display_name="Dee\x00", relationship=relationship
    )
    assert status == 422
    assert 'id="relationship-error"' in html and 'id="display_name-error"' in html
    assert "Keep it under 80 characters." in html
    assert f'value="{relationship}"'.replace("'", "&#39;") in html
    assert 'value="Dee\x00"' in html


def test_someone_who_may_not_invite_never_sees_the_forms_refusal(db: Session, sign_in: SignIn, case: Case) -> None:
    """The form is parsed before the service asks the policy: a refusal would tell a read-only
    manager what it accepts. They get "not found" instead, as for a valid invitation (R2)."""
    from app.people.models import PractitionerRole

    # Morgan Lee manages Sam's team: he reads Jordan's plan, and may not invite anyone to it.
    manager = people.practitioner(db, name="Morgan Lee", role=PractitionerRole.MANAGER, team=case.worker.team)
    client = sign_in(manager)
    status, html = _invite(client, case.child.id or 0, role="", display_name="\u200b")
    assert status == 404
    assert "There is a problem" not in html
