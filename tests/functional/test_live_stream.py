"""The live stream on both doors: access checked (and audited) like a page, then only change counts.

SECURITY.md R31: an event says that something changed, never what; each page fetches its own
parts again through the usual views.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from app.actors import Actor
from app.audit.models import AuditEvent, AuditKind
from app.auth.models import AccountKind
from app.cowriting.inputs import IdeaInput
from app.cowriting.operations import add_statement
from app.live.changes import current_version, plan_channel
from app.plans.models import Moment, StatementKind
from tests.factories import people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support.clients import CsrfClient

# Everything a stream may ever say: a reconnect delay, a change count, a keep-alive comment.
ALLOWED_CHUNK = re.compile(r"(retry: \d+|event: plan-changed\ndata: \d+|: still here)\n\n")


def _chunks(response: object) -> Iterator[str]:
    for chunk in response.response:  # type: ignore[attr-defined]
        yield chunk.decode() if isinstance(chunk, bytes) else chunk


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's agreed plan, with his safe word; his draft is open for ideas."""
    return plans.agreed_plan(
        db, case.child, plans.statement("text Mum when I leave school"), by=case.worker, safe_word="pineapple"
    )


def _jordan_writes_an_idea(db: Session, case: Case, text: str) -> None:
    actor = Actor(kind=AccountKind.FAMILY, account_id=case.young_person.id or 0)
    idea = IdeaInput(moment=Moment.EVERYDAY, kind=StatementKind.CAN, text=text)
    add_statement(session=db, actor=actor, child_id=case.child.id or 0, idea=idea)
    db.commit()


@pytest.mark.parametrize("door", ["family", "practitioner"])
def test_an_open_stream_hears_a_change_made_elsewhere(
    door: str, as_young_person: CsrfClient, as_worker: CsrfClient, db: Session, case: Case
) -> None:
    client, url = (
        (as_young_person, f"/c/{case.child.id}/live")
        if door == "family"
        else (as_worker, f"/children/{case.child.id}/live")
    )
    db.commit()
    now = current_version(db, plan_channel(case.child.id or 0))
    response = client.get(f"{url}?since={now}", buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["X-Accel-Buffering"] == "no"
    assert "no-store" in response.headers["Cache-Control"]
    stream = _chunks(response)
    try:
        assert next(stream) == "retry: 1000\n\n"
        # Up to date: nothing is said until something changes; then the new count, at once.
        threading.Timer(0.2, _jordan_writes_an_idea, args=(db, case, "meet Dee at the library")).start()
        event = next(stream)
        assert event == f"event: plan-changed\ndata: {now + 1}\n\n"
    finally:
        response.close()


def test_a_page_that_missed_a_change_hears_of_it_as_it_connects(
    as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    db.commit()
    seen = current_version(db, plan_channel(case.child.id or 0))
    _jordan_writes_an_idea(db, case, "ask for a lift after boxing")
    response = as_young_person.get(f"/c/{case.child.id}/live?since={seen}", buffered=False)
    stream = _chunks(response)
    try:
        assert next(stream) == "retry: 1000\n\n"
        assert next(stream) == f"event: plan-changed\ndata: {seen + 1}\n\n"
    finally:
        response.close()


def test_r31_a_stream_says_nothing_of_the_plan(
    as_young_person: CsrfClient, as_parent: CsrfClient, as_worker: CsrfClient, db: Session, case: Case
) -> None:
    """Whoever listens, every chunk is one of three shapes: no words, names or safe word ever pass."""
    for client, url in (
        (as_young_person, f"/c/{case.child.id}/live"),
        (as_parent, f"/c/{case.child.id}/live"),
        (as_worker, f"/children/{case.child.id}/live"),
    ):
        response = client.get(f"{url}?since=0", buffered=False)
        stream = _chunks(response)
        try:
            threading.Timer(0.2, _jordan_writes_an_idea, args=(db, case, "pineapple is my word")).start()
            said = [next(stream), next(stream), next(stream)]
        finally:
            response.close()
        for chunk in said:
            assert ALLOWED_CHUNK.fullmatch(chunk), chunk
        assert "pineapple" not in "".join(said)


def test_someone_the_plan_is_kept_from_gets_not_found_and_it_is_audited(
    sign_in: SignIn, db: Session, case: Case
) -> None:
    unallocated_worker = sign_in(people.other_case(db).worker)
    response = unallocated_worker.get(f"/children/{case.child.id}/live")
    assert response.status_code == 404
    denied = db.exec(
        select(AuditEvent).where(AuditEvent.child_id == case.child.id, AuditEvent.kind == AuditKind.DENIED)
    ).all()
    assert any(row.action == "plan.read" for row in denied)


def test_signed_out_streams_open_nothing(family_client: CsrfClient, case: Case) -> None:
    response = family_client.get(f"/c/{case.child.id}/live", headers={"Accept": "text/event-stream"})
    assert response.status_code in (302, 401)
    assert response.mimetype != "text/event-stream"


def test_the_worker_pages_live_part_fetches_itself_under_the_practitioner_prefix(
    as_worker: CsrfClient, case: Case
) -> None:
    """The door is mounted at /practitioner: the part's own URL must carry it (it once fetched
    /children/<id>, a 404, so the worker's open draft never showed a change)."""
    page = as_worker.get(f"/children/{case.child.id}", base_url="http://localhost/practitioner")
    assert page.status_code == 200
    part = re.search(r'<div id="plan-parts"[^>]*hx-get="([^"]+)"', page.get_data(as_text=True))
    assert part is not None
    assert part.group(1) == f"/practitioner/children/{case.child.id}"
