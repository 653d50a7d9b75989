"""Issue 11: a young person's meetings over the API (app.api.meeting_views), through the meeting pages'
services: schedule, read the record, open, attendance, agenda notes, agreement, cancel.

Changes state the ETag read as If-Match: missing is 428, stale is 412 with the record as it is now;
a meeting not at that step is 409. A read token is 403; Alex's token is 404 on Jordan's meetings,
audited with the token's id, and writes nothing; a bad body is 422 naming the field (R2, R21, R24).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from app.api.models import TokenScope
from app.audit.models import AuditEvent, AuditKind
from app.demo.seed import DemoPeople
from app.meetings.models import AgendaNote, Meeting, MeetingPerson, MeetingStatus
from app.plans.models import PlanVersion
from app.timeutil import today
from tests.functional.api.conftest import Tokens, bearer, make_token, practitioner_actor

PROBLEM = "application/problem+json"


def _when(days: int = 7) -> str:
    return (today() + timedelta(days=days)).isoformat()


def schedule_body(db: Session, demo: DemoPeople, **fields: object) -> dict[str, object]:
    sam = practitioner_actor(db, demo.social_worker_email)
    return {
        "day": _when(),
        "start": "16:00",
        "place": "Millbrook Academy, room 2",
        "meeting_type": "safer_me",
        "is_review": True,
        "facilitator_practitioner_id": sam.account_id,
        **fields,
    }


def _if(headers: dict[str, str], etag: str) -> dict[str, str]:
    return {**headers, "If-Match": etag}


def _last_audit_id(db: Session) -> int:
    return db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0


def _schedule(api: FlaskClient, db: Session, demo: DemoPeople, tokens: Tokens) -> dict[str, Any]:
    made = api.post(
        f"/children/{demo.jordan_id}/meetings", json=schedule_body(db, demo), headers=bearer(tokens.sam_read_write)
    )
    assert made.status_code == 201, made.data
    return {"id": made.json["id"], "etag": made.headers["ETag"], "location": made.headers["Location"]}


def test_sam_schedules_runs_and_agrees_a_meeting_through_the_api(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    writer = bearer(tokens.sam_read_write)
    made = _schedule(api, db, demo, tokens)
    base = f"/children/{demo.jordan_id}/meetings/{made['id']}"
    assert made["location"].endswith(base)
    listed = api.get(f"/children/{demo.jordan_id}/meetings", headers=bearer(tokens.sam)).json
    assert listed["items"][0]["id"] == made["id"] and listed["items"][0]["status"] == "scheduled"

    record = api.get(base, headers=bearer(tokens.sam))
    assert record.status_code == 200 and record.headers["ETag"] == made["etag"] == record.json["etag"]
    body = record.json
    assert body["facilitator"] == "Sam Okafor" and body["is_review"] is True
    assert body["place"] == "Millbrook Academy, room 2" and body["young_person_words"] is None
    # Everyone on the case and in the family is invited, the young person first.
    assert body["attendees"][0]["role"] == "young_person"
    assert {a["attendance"] for a in body["attendees"]} == {"invited"}
    assert [n["number"] for n in body["agenda"]] == [1, 2, 3, 4, 5, 6, 7]
    assert {n["revision"] for n in body["agenda"]} == {0}

    # Notes wait for the meeting to open, at item 1 with the young person's words (as on the page).
    first = body["agenda"][0]
    early = api.put(f"{base}/agenda/{first['item']}", json={"text": "x"}, headers=_if(writer, first["etag"]))
    assert early.status_code == 409 and early.mimetype == PROBLEM
    # Open it, stating the meeting's ETag.
    assert api.post(f"{base}/open", headers=writer).status_code == 428
    opened = api.post(f"{base}/open", headers={**writer, "If-Match": made["etag"]})
    assert opened.status_code == 200, opened.data
    assert opened.json["status"] == "open" and opened.json["current_item"] == "introductions"
    # The ETag read before opening is stale now: 412, with the meeting as it is now.
    stale = api.post(f"{base}/open", headers={**writer, "If-Match": made["etag"]})
    assert stale.status_code == 412 and stale.json["current"]["status"] == "open"

    # Mum came; her attendance states her own ETag.
    mum = next(a for a in opened.json["attendees"] if a["member_id"] == demo.parent_id)
    present = api.put(
        f"{base}/people/{mum['id']}/attendance", json={"attendance": "present"}, headers=_if(writer, mum["etag"])
    )
    assert present.status_code == 200, present.data
    assert present.json["attendance"] == "present" and present.json["revision"] == mum["revision"] + 1
    again = api.put(
        f"{base}/people/{mum['id']}/attendance", json={"attendance": "absent"}, headers=_if(writer, mum["etag"])
    )
    assert again.status_code == 412 and again.json["current"]["attendance"] == "present"

    # Item 1's notes, from before anyone wrote them (revision 0), then a stale second writer.
    noted = api.put(
        f"{base}/agenda/introductions", json={"text": "Jordan spoke first."}, headers=_if(writer, first["etag"])
    )
    assert noted.status_code == 200, noted.data
    assert noted.json["text"] == "Jordan spoke first." and noted.json["revision"] == 1
    late = api.put(f"{base}/agenda/introductions", json={"text": "Overwrite?"}, headers=_if(writer, first["etag"]))
    assert late.status_code == 412 and late.json["current"]["text"] == "Jordan spoke first."

    # Agreeing before everyone present has agreed: refused, naming why.
    meeting_etag = api.get(base, headers=bearer(tokens.sam)).headers["ETag"]
    agreement = {"review_date": _when(42), "review_trigger": "a missing episode", "shared_with": "school"}
    early_agree = api.post(f"{base}/agreement", json=agreement, headers={**writer, "If-Match": meeting_etag})
    assert early_agree.status_code == 422 and "agreement" in early_agree.json["errors"]
    said = api.post(f"{base}/people/{mum['id']}/agreement", headers=writer)
    assert said.status_code == 200 and said.json["agreed"] is True and said.json["agreed_on_own_device"] is False

    assert api.post(f"{base}/agreement", json=agreement, headers=writer).status_code == 428
    agreed = api.post(f"{base}/agreement", json=agreement, headers={**writer, "If-Match": meeting_etag})
    assert agreed.status_code == 201, agreed.data
    number = agreed.json["number"]
    assert agreed.headers["Location"].endswith(f"/children/{demo.jordan_id}/versions/{number}")
    assert agreed.json["review_date"] == _when(42)
    closed = api.get(base, headers=bearer(tokens.sam)).json
    assert closed["status"] == "closed" and closed["agreed_version"] == number
    db.expire_all()
    version = db.exec(select(PlanVersion).where(PlanVersion.number == number)).first()
    assert version is not None and version.agreed_at is not None and version.review_trigger == "a missing episode"
    actions = db.exec(
        select(AuditEvent.action).where(
            AuditEvent.entity == "meeting", AuditEvent.entity_id == made["id"], AuditEvent.kind == AuditKind.WRITE
        )
    ).all()
    assert list(actions) == ["scheduled", "opened", "agreed"]


def test_cancel_states_the_etag_and_only_before_the_meeting_starts(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    writer = bearer(tokens.sam_read_write)
    made = _schedule(api, db, demo, tokens)
    base = f"/children/{demo.jordan_id}/meetings/{made['id']}"
    assert api.post(f"{base}/cancel", headers=writer).status_code == 428
    too_long = api.post(f"{base}/cancel", headers=_if(writer, '"' + "0" * 300 + '"'))
    assert too_long.status_code == 422 and "If-Match" in too_long.json["errors"]
    wrong = api.post(f"{base}/cancel", headers={**writer, "If-Match": '"meeting.1.99"'})
    assert wrong.status_code == 412 and wrong.json["current"]["status"] == "scheduled"
    assert wrong.headers["ETag"] == made["etag"]
    cancelled = api.post(f"{base}/cancel", headers={**writer, "If-Match": made["etag"]})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    # Cancelled is over: nothing more to run.
    assert api.post(f"{base}/cancel", headers={**writer, "If-Match": cancelled.headers["ETag"]}).status_code == 404
    # An open meeting cannot be cancelled: 409, with the ETag current (not a stale read).
    other = _schedule(api, db, demo, tokens)
    other_base = f"/children/{demo.jordan_id}/meetings/{other['id']}"
    opened = api.post(f"{other_base}/open", headers={**writer, "If-Match": other["etag"]})
    refused = api.post(f"{other_base}/cancel", headers={**writer, "If-Match": opened.headers["ETag"]})
    assert refused.status_code == 409 and refused.mimetype == PROBLEM
    assert refused.json["current"]["status"] == "open"


def test_a_read_token_may_not_write_a_meeting(api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople) -> None:
    before = len(db.exec(select(Meeting)).all())
    refused = api.post(f"/children/{demo.jordan_id}/meetings", json=schedule_body(db, demo), headers=bearer(tokens.sam))
    assert refused.status_code == 403 and refused.mimetype == PROBLEM
    made = _schedule(api, db, demo, tokens)
    base = f"/children/{demo.jordan_id}/meetings/{made['id']}"
    for method, path in (("POST", "/open"), ("POST", "/cancel"), ("PUT", "/agenda/patterns")):
        answer = api.open(base + path, method=method, json={}, headers={**bearer(tokens.sam), "If-Match": made["etag"]})
        assert answer.status_code == 403, path
    db.expire_all()
    assert len(db.exec(select(Meeting)).all()) == before + 1
    assert db.get(Meeting, made["id"]).status == MeetingStatus.SCHEDULED  # type: ignore[union-attr]


def test_alex_never_reaches_jordans_meetings_and_writes_nothing(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    made = _schedule(api, db, demo, tokens)
    writer = bearer(tokens.sam_read_write)
    base = f"/children/{demo.jordan_id}/meetings/{made['id']}"
    mum = next(a for a in api.get(base, headers=writer).json["attendees"] if a["member_id"] == demo.parent_id)
    alex_writer = make_token(
        db, practitioner_actor(db, demo.other_worker_email), name="Alex writes", scope=TokenScope.READ_WRITE
    )
    before = _last_audit_id(db)
    calls = [
        ("GET", f"/children/{demo.jordan_id}/meetings", None, {}),
        ("GET", base, None, {}),
        ("POST", f"/children/{demo.jordan_id}/meetings", schedule_body(db, demo), {}),
        ("POST", f"/children/{demo.jordan_id}/meetings", {"place": ""}, {}),
        ("PUT", f"{base}/people/{mum['id']}/attendance", {"attendance": "present"}, {"If-Match": mum["etag"]}),
        ("PUT", f"{base}/people/{mum['id']}/attendance", {"attendance": "nope"}, {"If-Match": mum["etag"]}),
        ("PUT", f"{base}/people/{mum['id']}/attendance", {"attendance": "present"}, {}),
        ("PUT", f"{base}/agenda/patterns", {"text": "x"}, {}),
        ("POST", f"{base}/open", None, {"If-Match": made["etag"]}),
        ("POST", f"{base}/cancel", None, {"If-Match": made["etag"]}),
        ("POST", f"{base}/people/{mum['id']}/agreement", None, {}),
        ("POST", f"{base}/agreement", {}, {"If-Match": made["etag"]}),
        # Jordan's meeting under Kay's record (Alex's own child): not there either.
        ("GET", f"/children/{demo.kayla_id}/meetings/{made['id']}", None, {}),
    ]
    for method, path, body, headers in calls:
        answer = api.open(path, method=method, json=body, headers={**bearer(alex_writer), **headers})
        assert answer.status_code == 404 and answer.mimetype == PROBLEM, (method, path, answer.status_code)
    db.expire_all()
    rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before)).all()
    denied = [r for r in rows if r.kind == AuditKind.DENIED and r.action != "api.call"]
    assert len(denied) >= len(calls) and {r.api_token_id for r in denied} == {alex_writer.token.id}
    assert not [r for r in rows if r.kind == AuditKind.WRITE]
    meeting = db.get(Meeting, made["id"])
    assert meeting is not None and meeting.status == MeetingStatus.SCHEDULED and meeting.revision == 1
    assert db.get(MeetingPerson, mum["id"]).attendance == "invited"  # type: ignore[union-attr]
    assert not db.exec(select(AgendaNote).where(AgendaNote.meeting_id == made["id"])).all()
    assert len(db.exec(select(Meeting).where(Meeting.child_id == demo.jordan_id)).all()) == len(
        db.exec(select(Meeting).where(Meeting.child_id == demo.jordan_id, col(Meeting.id) <= made["id"])).all()
    )


def test_bad_bodies_are_422_naming_the_field_and_save_nothing(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    writer = bearer(tokens.sam_read_write)
    path = f"/children/{demo.jordan_id}/meetings"
    before = len(db.exec(select(Meeting)).all())
    cases: list[tuple[dict[str, object], str]] = [
        (schedule_body(db, demo, place="  "), "place"),
        (schedule_body(db, demo, day=(today() - timedelta(days=1)).isoformat()), "day"),
        (schedule_body(db, demo, day="14/12/2026"), "day"),
        # A number is not a date (pydantic alone would read it as seconds since 1970).
        (schedule_body(db, demo, day=2000000000), "day"),
        (schedule_body(db, demo, start="4pm"), "start"),
        (schedule_body(db, demo, meeting_type="party"), "meeting_type"),
        (schedule_body(db, demo, facilitator_practitioner_id=None), "facilitator"),
        # Safer Me Plus is chaired by an independent chair, never the social worker.
        (schedule_body(db, demo, meeting_type="safer_me_plus"), "facilitator"),
        (schedule_body(db, demo, is_review={}), "is_review"),
    ]
    for body, field in cases:
        answer = api.post(path, json=body, headers=writer)
        assert answer.status_code == 422 and answer.mimetype == PROBLEM, (body, answer.data)
        assert field in json.loads(answer.data)["errors"], (field, answer.data)
    assert api.post(path, data="[1, 2", content_type="application/json", headers=writer).status_code == 422
    made = _schedule(api, db, demo, tokens)
    base = f"{path}/{made['id']}"
    mum = next(a for a in api.get(base, headers=writer).json["attendees"] if a["member_id"] == demo.parent_id)
    bad = api.put(
        f"{base}/people/{mum['id']}/attendance", json={"attendance": "maybe"}, headers=_if(writer, mum["etag"])
    )
    assert bad.status_code == 422 and "attendance" in bad.json["errors"]
    assert api.put(f"{base}/agenda/item_nine", json={"text": "x"}, headers=writer).status_code == 422
    for review_date in (0, None, "next week"):
        agreement = {"review_date": review_date, "review_trigger": "a missing episode"}
        refused = api.post(f"{base}/agreement", json=agreement, headers=_if(writer, made["etag"]))
        assert refused.status_code == 422 and "review_date" in refused.json["errors"], review_date
    db.expire_all()
    assert len(db.exec(select(Meeting)).all()) == before + 1
