"""R24: when the database itself refuses the second of two writers, the page still shows both texts.

A request whose write loses in the database (PostgreSQL: a versioned UPDATE that matches no row, a
second update in the same place of a commitment's history) ends its transaction mid-request; the
view then renders the conflict with the same session. These tests make that happen every time
(tests.support.two_writers): another phone's save holds its transaction open until this request
waits for it. On SQLite the request waits at its start instead and meets the conflict in its own
check: the page must be the same.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlmodel import Session, func, select

from app import SaferPlan, create_app
from app.actors import Actor
from app.audit.models import AuditEvent
from app.auth.models import AccountKind
from app.commitments.inputs import CommentInput
from app.commitments.operations import comment_on
from app.commitments.queries import current_progress
from app.cowriting.inputs import IdeaEdit
from app.cowriting.operations import edit_statement
from app.db import Database
from app.plans.models import ChildStatement
from app.web.limits import family_limiter, practitioner_limiter
from tests.factories import commitments, people, plans
from tests.factories.cowriting import idea
from tests.factories.people import Case
from tests.support.clients import CsrfClient, make_client
from tests.support.signin import sign_in_as
from tests.support.two_writers import BuiltDatabase, built_database, in_thread, wait_until_someone_waits_for_a_lock

JORDANS_IDEA = "ask Aunt Dee to pick me up from boxing if it's dark"
THREAD_TIMEOUT = 30


def _jordans_case(session: Session) -> Case:
    """Jordan's agreed plan with a commitment of Lisa's; since then Jordan has added an idea."""
    case = people.case(session)
    plans.agreed_plan(
        session,
        case.child,
        commitments.commitment_input(case.parent, "a weekly plan for evenings with Jordan", by_when="Sundays"),
        by=case.worker,
    )
    idea(session, case.child, JORDANS_IDEA, by=case.young_person)
    return case


@dataclass(frozen=True)
class Doors:
    database: BuiltDatabase[Case]
    app: SaferPlan

    def client(self, member_id: int) -> CsrfClient:
        client = make_client(self.app.family)
        with self.database.session() as session:
            sign_in_as(client, session=session, account_kind=AccountKind.FAMILY, account_id=member_id)
        return client


@pytest.fixture(scope="module")
def doors(application: SaferPlan, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Doors]:
    """The app on a database of its own: the other phone's writes here are committed, not rolled back."""
    with built_database(tmp_path_factory.mktemp("conflict-pages"), "conflictpages", _jordans_case) as database:
        app = create_app(application.settings, Database(database.engine))
        try:
            yield Doors(database=database, app=app)
        finally:
            family_limiter.reset()
            practitioner_limiter.reset()


def _kept_audit_rows(doors: Doors, actor: Actor) -> int:
    with doors.database.session() as session:
        return session.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.actor == actor.label)).one()


def test_r24_an_idea_saved_on_another_phone_first_shows_both_texts(doors: Doors) -> None:
    case = doors.database.built
    jordan = Actor(kind=AccountKind.FAMILY, account_id=case.young_person_id)
    client = doors.client(case.young_person_id)
    with doors.database.session() as session:
        statement = session.exec(select(ChildStatement).where(ChildStatement.text == JORDANS_IDEA)).one()
    statement_id, seen = statement.id or 0, statement.revision
    typed = {"moment": statement.moment, "kind": statement.kind, "text": "Dee picks me up <after> boxing & tea"}
    audited_before = _kept_audit_rows(doors, jordan)

    with doors.database.session() as other_phone:
        edit_statement(
            session=other_phone,
            actor=jordan,
            child_id=case.child_id,
            statement_id=statement_id,
            edit=IdeaEdit(expected_revision=seen, text="Dee picks me up, saved on my other phone"),
        )
        thread, outcome = in_thread(
            lambda: client.post(f"/c/{case.child_id}/statements/{statement_id}", data={**typed, "revision": str(seen)})
        )
        wait_until_someone_waits_for_a_lock(doors.database.engine, outcome)  # type: ignore[arg-type]
        other_phone.commit()
    thread.join(THREAD_TIMEOUT)

    assert outcome.error is None, outcome.error
    response = outcome.result
    assert response is not None and response.status_code == 409, response and response.status_code
    page = html.unescape(response.get_data(as_text=True))
    assert "Dee picks me up, saved on my other phone" in page, "the saved text is not shown"
    assert "Dee picks me up <after> boxing & tea" in page, "the words typed are not shown"
    with doors.database.session() as session:
        saved = session.get(ChildStatement, statement_id)
        assert saved is not None and (saved.text, saved.revision) == (
            "Dee picks me up, saved on my other phone",
            seen + 1,
        )
    # The door still wrote the refused request's audit rows after the conflict's early rollback (R21).
    assert _kept_audit_rows(doors, jordan) > audited_before


def test_r24_a_comment_saved_on_another_phone_first_shows_both_comments(doors: Doors) -> None:
    case = doors.database.built
    lisa = Actor(kind=AccountKind.FAMILY, account_id=case.parent_id)
    client = doors.client(case.parent_id)
    page = client.get(f"/c/{case.child_id}").get_data(as_text=True)
    commitment_id = int(page.split("/comment")[0].rsplit("/commitments/", 1)[1])
    with doors.database.session() as session:
        now = current_progress(session=session, commitment_id=commitment_id)
    latest = now.latest_update_id if now is not None else 0

    with doors.database.session() as other_phone:
        comment_on(
            session=other_phone,
            actor=lisa,
            child_id=case.child_id,
            commitment_id=commitment_id,
            comment=CommentInput(comment="Sunday went well, from my other phone", expected_latest=latest),
        )
        thread, outcome = in_thread(
            lambda: client.post(
                f"/c/{case.child_id}/commitments/{commitment_id}/comment",
                data={"comment": "I'll ask Jordan about Sunday", "latest": str(latest)},
            )
        )
        wait_until_someone_waits_for_a_lock(doors.database.engine, outcome)  # type: ignore[arg-type]
        other_phone.commit()
    thread.join(THREAD_TIMEOUT)

    assert outcome.error is None, outcome.error
    response = outcome.result
    assert response is not None and response.status_code == 409, response and response.status_code
    shown = html.unescape(response.get_data(as_text=True))
    assert "Sunday went well, from my other phone" in shown and "I'll ask Jordan about Sunday" in shown
