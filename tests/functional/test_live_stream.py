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
from app.demo.seed import DemoPeople
from app.live.changes import current_version, plan_channel
from app.plans.models import Moment, StatementKind
from tests.support.clients import CsrfClient

# Everything a stream may ever say: a reconnect delay, a change count, a keep-alive comment.
ALLOWED_CHUNK = re.compile(r"(retry: \d+|event: plan-changed\ndata: \d+|: still here)\n\n")


def _chunks(response: object) -> Iterator[str]:
    for chunk in response.response:  # type: ignore[attr-defined]
        yield chunk.decode() if isinstance(chunk, bytes) else chunk


def _jordan_writes_an_idea(db: Session, demo: DemoPeople, text: str) -> None:
    actor = Actor(kind=AccountKind.FAMILY, account_id=demo.young_person_id)
    idea = IdeaInput(moment=Moment.EVERYDAY, kind=StatementKind.CAN, text=text)
    add_statement(session=db, actor=actor, child_id=demo.jordan_id, idea=idea)
    db.commit()


@pytest.mark.parametrize("door", ["family", "practitioner"])
def test_an_open_stream_hears_a_change_made_elsewhere(
    door: str, young_person: CsrfClient, allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    client, url = (
        (young_person, f"/c/{demo.jordan_id}/live")
        if door == "family"
        else (allocated_worker, f"/children/{demo.jordan_id}/live")
    )
    db.commit()
    now = current_version(db, plan_channel(demo.jordan_id))
    response = client.get(f"{url}?since={now}", buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["X-Accel-Buffering"] == "no"
    assert "no-store" in response.headers["Cache-Control"]
    stream = _chunks(response)
    try:
        assert next(stream) == "retry: 1000\n\n"
        # Up to date: nothing is said until something changes; then the new count, at once.
        threading.Timer(0.2, _jordan_writes_an_idea, args=(db, demo, "meet Dee at the library")).start()
        event = next(stream)
        assert event == f"event: plan-changed\ndata: {now + 1}\n\n"
    finally:
        response.close()


def test_a_page_that_missed_a_change_hears_of_it_as_it_connects(
    young_person: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    db.commit()
    seen = current_version(db, plan_channel(demo.jordan_id))
    _jordan_writes_an_idea(db, demo, "ask for a lift after boxing")
    response = young_person.get(f"/c/{demo.jordan_id}/live?since={seen}", buffered=False)
    stream = _chunks(response)
    try:
        assert next(stream) == "retry: 1000\n\n"
        assert next(stream) == f"event: plan-changed\ndata: {seen + 1}\n\n"
    finally:
        response.close()


def test_r31_a_stream_says_nothing_of_the_plan(
    young_person: CsrfClient, parent: CsrfClient, allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    """Whoever listens, every chunk is one of three shapes: no words, names or safe word ever pass."""
    for client, url in (
        (young_person, f"/c/{demo.jordan_id}/live"),
        (parent, f"/c/{demo.jordan_id}/live"),
        (allocated_worker, f"/children/{demo.jordan_id}/live"),
    ):
        response = client.get(f"{url}?since=0", buffered=False)
        stream = _chunks(response)
        try:
            threading.Timer(0.2, _jordan_writes_an_idea, args=(db, demo, "pineapple is my word")).start()
            said = [next(stream), next(stream), next(stream)]
        finally:
            response.close()
        for chunk in said:
            assert ALLOWED_CHUNK.fullmatch(chunk), chunk
        assert "pineapple" not in "".join(said)


def test_someone_the_plan_is_kept_from_gets_not_found_and_it_is_audited(
    unallocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    response = unallocated_worker.get(f"/children/{demo.jordan_id}/live")
    assert response.status_code == 404
    denied = db.exec(
        select(AuditEvent).where(AuditEvent.child_id == demo.jordan_id, AuditEvent.kind == AuditKind.DENIED)
    ).all()
    assert any(row.action == "plan.read" for row in denied)


def test_signed_out_streams_open_nothing(family_client: CsrfClient, demo: DemoPeople) -> None:
    response = family_client.get(f"/c/{demo.jordan_id}/live", headers={"Accept": "text/event-stream"})
    assert response.status_code in (302, 401)
    assert response.mimetype != "text/event-stream"


def test_the_worker_pages_live_part_fetches_itself_under_the_practitioner_prefix(
    allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    """The door is mounted at /practitioner: the part's own URL must carry it (it once fetched
    /children/<id>, a 404, so the worker's open draft never showed a change)."""
    page = allocated_worker.get(f"/children/{demo.jordan_id}", base_url="http://localhost/practitioner")
    assert page.status_code == 200
    part = re.search(r'<div id="plan-parts"[^>]*hx-get="([^"]+)"', page.get_data(as_text=True))
    assert part is not None
    assert part.group(1) == f"/practitioner/children/{demo.jordan_id}"
