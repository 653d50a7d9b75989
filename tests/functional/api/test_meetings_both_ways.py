"""Issue 11, "the same result both ways" for meetings: a meeting scheduled on Sam's meetings page, Mum's
attendance recorded there and the meeting cancelled there, and the same through the API with Sam's
token, leave the same rows (the meeting and everyone invited) and the same audit trail, apart from
ids, clock times and which door (the session or the token) it came through.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.demo.seed import DemoPeople
from app.meetings.models import Meeting, MeetingPerson
from app.timeutil import today
from tests.functional.api.conftest import Tokens, bearer, practitioner_actor
from tests.support.clients import CsrfClient

MEETING = ("child_id", "plan_id", "meeting_type", "is_review", "starts_at", "place", "status", "revision")
MEETING += ("facilitator_practitioner_id", "facilitator_member_id", "created_by", "updated_by")
PERSON = ("practitioner_id", "member_id", "name", "role", "agency", "attendance", "update", "revision")
PERSON += ("created_by", "updated_by")


def _last_audit_id(db: Session) -> int:
    return db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0


def _newest_meeting(db: Session) -> int:
    db.expire_all()
    found = db.exec(select(Meeting.id).order_by(col(Meeting.id).desc())).first()
    assert found is not None
    return found


def _rows(db: Session, meeting_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    db.expire_all()
    meeting = db.get(Meeting, meeting_id)
    assert meeting is not None
    people = db.exec(
        select(MeetingPerson).where(MeetingPerson.meeting_id == meeting_id).order_by(col(MeetingPerson.id))
    ).all()
    return (
        {name: getattr(meeting, name) for name in MEETING},
        [{name: getattr(p, name) for name in PERSON} for p in people],
    )


def _trail(db: Session, after: int, meeting_id: int) -> list[tuple[Any, ...]]:
    """The audit log since `after`, apart from the API's own record of each call; the meeting and its
    people named by what they are, not their ids."""
    db.expire_all()
    people = db.exec(select(MeetingPerson.id).where(MeetingPerson.meeting_id == meeting_id)).all()
    names = {("meeting", meeting_id): "the meeting"} | {("meeting_person", p): "a person" for p in people}
    rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > after).order_by(col(AuditEvent.id))).all()
    return [
        (r.actor, r.child_id, r.kind, r.action, r.entity, names.get((r.entity, r.entity_id), r.entity_id))
        for r in rows
        if r.action != "api.call"
    ]


def _mums(db: Session, meeting_id: int, demo: DemoPeople) -> MeetingPerson:
    db.expire_all()
    return db.exec(
        select(MeetingPerson).where(MeetingPerson.meeting_id == meeting_id, MeetingPerson.member_id == demo.parent_id)
    ).one()


def test_a_meeting_scheduled_attended_and_cancelled_on_the_page_and_through_the_api_leaves_the_same_rows_and_audit(
    allocated_worker: CsrfClient, api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    sam = practitioner_actor(db, demo.social_worker_email)
    day = (today() + timedelta(days=10)).isoformat()
    page = f"/children/{demo.jordan_id}/meetings"

    # Through the page: the schedule form (its one "facilitator" choice), Mum's attendance, cancel.
    before_page = _last_audit_id(db)
    form = {
        "day": day,
        "start": "16:30",
        "place": "Family centre, room 4",
        "meeting_type": "safer_me",
        "is_review": "on",
        "facilitator": f"p:{sam.account_id}",
    }
    assert allocated_worker.post(page, data=form).status_code == 303
    on_page = _newest_meeting(db)
    mum = _mums(db, on_page, demo)
    attendance = {"attendance": "apologies", "update": "Working late; Jordan has been home on time.", "revision": "1"}
    answered = allocated_worker.post(f"{page}/{on_page}/people/{mum.id}/attendance", data=attendance)
    assert answered.status_code == 303
    assert allocated_worker.post(f"{page}/{on_page}/cancel", data={"revision": "1"}).status_code == 303
    page_rows = _rows(db, on_page)
    page_trail = _trail(db, before_page, on_page)

    # Through the API, with Sam's read-and-change token: the same choices, the ETags as If-Match.
    before_api = _last_audit_id(db)
    writer = bearer(tokens.sam_read_write)
    body = {
        "day": day,
        "start": "16:30",
        "place": "Family centre, room 4",
        "meeting_type": "safer_me",
        "is_review": True,
        "facilitator_practitioner_id": sam.account_id,
    }
    made = api.post(page, json=body, headers=writer)
    assert made.status_code == 201, made.data
    through_api = made.json["id"]
    mum = _mums(db, through_api, demo)
    etag = f'"meeting_person.{mum.id}.{mum.revision}"'
    changed = api.put(
        f"{page}/{through_api}/people/{mum.id}/attendance",
        json={"attendance": "apologies", "update": "Working late; Jordan has been home on time."},
        headers={**writer, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.data
    cancelled = api.post(f"{page}/{through_api}/cancel", headers={**writer, "If-Match": made.headers["ETag"]})
    assert cancelled.status_code == 200, cancelled.data
    api_rows = _rows(db, through_api)
    api_trail = _trail(db, before_api, through_api)

    assert through_api != on_page
    assert page_rows == api_rows
    meeting, people = api_rows
    assert meeting["status"] == "cancelled" and meeting["is_review"] is True and len(people) >= 3
    assert [p["attendance"] for p in people if p["member_id"] == demo.parent_id] == ["apologies"]
    # The same decisions and writes, in the same order.
    assert page_trail == api_trail, "\n".join(map(str, page_trail)) + "\n---\n" + "\n".join(map(str, api_trail))
    assert [(kind, action, entity) for _actor, _child, kind, action, entity, _what in api_trail if kind == "write"] == [
        ("write", "scheduled", "meeting"),
        ("write", "attendance", "meeting_person"),
        ("write", "cancelled", "meeting"),
    ]
    # Each door says which it was: the page's rows carry the session, the API's the token.
    db.expire_all()
    api_audit = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before_api)).all()
    page_audit = db.exec(
        select(AuditEvent).where(col(AuditEvent.id) > before_page, col(AuditEvent.id) <= before_api)
    ).all()
    assert all(r.api_token_id == tokens.sam_read_write.token.id for r in api_audit)
    assert all(r.api_token_id is None and r.session_id is not None for r in page_audit)
