"""A child's meetings over the API (issue 11): schedule, read the record, attendance, agenda notes,
open, agreement (each person's, then the plan's), cancel.

Thin views over the services the meeting pages call (app.meetings.operations and queries), in the
same order: each asks "meeting.read" about the child in the address and reads the meeting as the
page's `record_on` does, then calls the same operation with the form's own input model, so both
doors leave the same rows and the same audit trail. Over the API the revision a page keeps in a
hidden field is the If-Match header (an ETag, app.api.etags): missing is 428, stale is 412 with the
record as it is now; a meeting not at that step (cancelling one that has started) is 409. The
policy is asked before any refusal says anything about the input: a token whose practitioner may
not run this meeting gets "not found" (audited), never a 422 or 428 (R2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_openapi3 import Tag
from pydantic import BaseModel

from app.access import policy
from app.api import meeting_schemas as out
from app.api.draft_items import checked_in_the_view, precondition_refused
from app.api.etags import etag_of, stated_revision
from app.api.list_views import WRITE_PROBLEMS
from app.api.problems import problem, problem_response
from app.api.schemas import ChildPath, IfMatch, VersionSummary
from app.api.views import PROBLEMS, as_json, blueprint
from app.db import request_session
from app.errors import Conflict, NotFound, ValidationFailed
from app.inputs import Input, read_json
from app.meetings import operations, queries
from app.meetings.inputs import AgreementInput, AttendanceInput, NoteInput, ScheduleInput
from app.meetings.models import AgendaNote, MeetingPerson, MeetingStatus
from app.plans.models import PlanVersion

MEETINGS = Tag(name="meetings", description="A young person's Safer Me meetings: schedule, run and agree them.")
COLLECTION = "/children/<int:child_id>/meetings"
ONE = COLLECTION + "/<int:meeting_id>"
_ETAG = {"ETag": {"description": "The ETag to state as If-Match.", "schema": {"type": "string"}}}
_THIS = {"child_id": "$request.path.child_id", "meeting_id": "$response.body#/id"}
_AS_READ = {**_THIS, "header.If-Match": "$response.body#/etag"}
# From a meeting's record: its first attendee and its first agenda item, as read.
_FROM_RECORD = {
    "SetFirstAttendance": {
        "operationId": "setMeetingAttendance",
        "parameters": {
            **_THIS,
            "person_id": "$response.body#/attendees/0/id",
            "header.If-Match": "$response.body#/attendees/0/etag",
        },
    },
    "WriteFirstNotes": {
        "operationId": "writeMeetingNotes",
        "parameters": {
            **_THIS,
            "item": "$response.body#/agenda/0/item",
            "header.If-Match": "$response.body#/agenda/0/etag",
        },
    },
    "OpenIt": {"operationId": "openMeeting", "parameters": _AS_READ},
    "CancelIt": {"operationId": "cancelMeeting", "parameters": _AS_READ},
}


def _conditional(conflict: type[BaseModel]) -> dict[str | int, Any]:
    return {
        **WRITE_PROBLEMS,
        404: problem_response("No such child, meeting or person, or not a meeting this token's practitioner may run."),
        409: problem_response("The meeting is not at that step (`current` is how it is now).", out.MeetingConflict),
        412: problem_response("Changed since that ETag was read; `current` is how it is now.", conflict),
        428: problem_response("No If-Match (or `*`): state the ETag you read."),
    }


def _content(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}


def _answer(model: BaseModel, etag: str, status: int = 200) -> Response:
    response = jsonify(model.model_dump(mode="json"))
    response.status_code = status
    response.headers["ETag"] = etag
    return response


def _record(path: out.MeetingPath) -> queries.MeetingRecord:
    """The meeting, if it is this child's and the token's practitioner may read it (the page's record_on)."""
    db = request_session()
    policy.require("meeting.read", session=db, actor=g.actor, child_id=path.child_id)
    record = queries.meeting_record(session=db, actor=g.actor, meeting_id=path.meeting_id)
    if record.meeting.child_id != path.child_id:
        raise NotFound()
    return record


def _may_run(path: out.MeetingPath) -> None:
    """Before any refusal of the input: only someone who may run the meeting learns it (else 404, audited)."""
    operations.runnable(session=request_session(), actor=g.actor, meeting_id=path.meeting_id)


def _words(model: type[Input], body: type[BaseModel], **more: object) -> Any:
    """The body as the page's form: only the form's fields, checked by the form's own model (R5, R29)."""
    data = read_json(request.get_data())
    if isinstance(data, dict):
        data = {**{name: data[name] for name in body.model_fields if name in data}, **more}
    return model.parse(data)


def _agreed_number(record: queries.MeetingRecord) -> int | None:
    version_id = record.meeting.agreed_version_id
    version = request_session().get(PlanVersion, version_id) if version_id is not None else None
    return version.number if version is not None else None


def _meeting_out(record: queries.MeetingRecord) -> out.MeetingOut:
    return out.MeetingOut.of_record(record, _agreed_number(record))


def _precondition(path: out.MeetingPath) -> Response | None:
    """No If-Match (or `*`): 428; one the contract refuses (too long): 422; after the policy (R2)."""
    return precondition_refused(lambda: _may_run(path), _("Send If-Match with the ETag you last read."))


def _refused(path: out.MeetingPath, stated: int | None, current: Callable[[], tuple[BaseModel, str, int]]) -> Response:
    """A Conflict from the service: 412 if the ETag stated is not the current one, else (or with no
    ETag stated) 409: the meeting is not at that step."""
    request_session().rollback()  # start clean: the service may have left a refused flush behind
    shown, etag, revision = current()
    extensions = {"current": shown.model_dump(mode="json")}
    if stated is not None and stated != revision:
        detail = _("It changed since you read it. Nothing was saved: compare, then send its new ETag.")
        return problem(412, detail=detail, extensions=extensions, headers={"ETag": etag})
    detail = _("The meeting is not at a step where this can be done. Nothing was saved: read it again.")
    return problem(409, detail=detail, extensions=extensions, headers={"ETag": etag})


def _fresh(now: Callable[[], tuple[BaseModel, str, int]]) -> Response:
    """After a write, the answer as the record reads now: read (and audited) as the page reads it
    to show its answer, so both doors leave the same audit trail."""
    shown, etag, _revision = now()
    return _answer(shown, etag)


def _meeting_now(path: out.MeetingPath) -> Callable[[], tuple[BaseModel, str, int]]:
    def now() -> tuple[BaseModel, str, int]:
        record = _record(path)
        return _meeting_out(record), etag_of(record.meeting), record.meeting.revision

    return now


@blueprint.get(
    COLLECTION,
    operation_id="listChildMeetings",
    tags=[MEETINGS],
    summary="A young person's meetings",
    responses={200: out.ChildMeetings, **PROBLEMS},
)
def child_meetings(path: ChildPath) -> Any:
    """Those to come first, soonest first; then the past ones, newest first."""
    rows = queries.meetings_of_child(session=request_session(), actor=g.actor, child_id=path.child_id)
    return as_json(out.ChildMeetings(child_id=path.child_id, items=[out.MeetingSummary.of(m) for m in rows]))


@blueprint.post(
    COLLECTION,
    operation_id="scheduleMeeting",
    tags=[MEETINGS],
    summary="Schedule a meeting (everyone on the case and in the family is invited)",
    responses={
        201: {
            "description": "Scheduled. Its record is at Location.",
            "headers": {**_ETAG, "Location": {"description": "The meeting.", "schema": {"type": "string"}}},
            "content": _content(out.MeetingSummary),
            "links": {
                "ReadIt": {"operationId": "getMeeting", "parameters": _THIS},
                "OpenIt": {"operationId": "openMeeting", "parameters": _AS_READ},
                "CancelIt": {"operationId": "cancelMeeting", "parameters": _AS_READ},
            },
        },
        **WRITE_PROBLEMS,
    },
)
@checked_in_the_view(body=out.ScheduleBody)
def schedule_meeting(path: ChildPath) -> Response:
    """`day` and `start` in England's local time, still to come; a facilitator who may run this kind of
    meeting: a practitioner on the case (`facilitator_practitioner_id`) or, for Safer Me, the young
    person's trusted adult (`facilitator_member_id`). Needs a read-and-change token."""
    db = request_session()
    try:
        details = _words(ScheduleInput, out.ScheduleBody)
        meeting = operations.schedule(session=db, actor=g.actor, child_id=path.child_id, details=details)
    except ValidationFailed:
        # As the page does: only someone who may schedule learns what it accepts (R2).
        policy.require("meeting.run", session=db, actor=g.actor, child_id=path.child_id)
        raise
    response = _answer(out.MeetingSummary.of(meeting), etag_of(meeting), 201)
    response.headers["Location"] = url_for("api_v1.meeting", child_id=path.child_id, meeting_id=meeting.id)
    return response


@blueprint.get(
    ONE,
    operation_id="getMeeting",
    tags=[MEETINGS],
    summary="A meeting's record",
    responses={
        200: {
            "description": "The record.",
            "headers": _ETAG,
            "content": _content(out.MeetingOut),
            "links": _FROM_RECORD,
        },
        **PROBLEMS,
    },
)
def meeting(path: out.MeetingPath) -> Response:
    """The young person's own words (read first), who was invited and came, each agenda item's notes
    with its ETag, and where the meeting stands. Its ETag is what opening, agreeing or cancelling states."""
    record = _record(path)
    return _answer(_meeting_out(record), etag_of(record.meeting))


@blueprint.put(
    ONE + "/people/<int:person_id>/attendance",
    operation_id="setMeetingAttendance",
    tags=[MEETINGS],
    summary="Present, apologies (with their update) or absent (If-Match required)",
    responses={
        200: {"description": "Saved.", "headers": _ETAG, "content": _content(out.AttendeeOut)},
        **_conditional(out.AttendeeConflict),
    },
)
@checked_in_the_view(body=out.AttendanceBody, header=IfMatch)
def attendance(path: out.PersonPath) -> Response:
    """State the attendee's `etag` as If-Match."""
    _record(path)
    refused = _precondition(path)
    if refused is not None:
        return refused
    stated = stated_revision(request.if_match, str(MeetingPerson.__tablename__), path.person_id)
    db = request_session()
    try:
        written = _words(AttendanceInput, out.AttendanceBody, expected_revision=stated)
    except ValidationFailed:
        _may_run(path)
        raise
    try:
        operations.set_attendance(
            session=db, actor=g.actor, meeting_id=path.meeting_id, person_id=path.person_id, attendance=written
        )
    except Conflict:
        return _refused(path, stated, lambda: _attendee_now(path))
    return _fresh(lambda: _attendee_now(path))


def _attendee_now(path: out.PersonPath) -> tuple[BaseModel, str, int]:
    record = _record(path)
    found = next((a for a in record.attendees if a.person.id == path.person_id), None)
    if found is None:
        raise NotFound()
    return out.AttendeeOut.of(found), etag_of(found.person), found.person.revision


@blueprint.post(
    ONE + "/people/<int:person_id>/agreement",
    operation_id="recordMeetingAgreement",
    tags=[MEETINGS],
    summary="Record that someone in the room agrees (on your own row: your own agreement)",
    responses={
        200: {"description": "Agreed.", "headers": _ETAG, "content": _content(out.AttendeeOut)},
        **WRITE_PROBLEMS,
        409: problem_response("The meeting is not running (`current` is how it is now).", out.MeetingConflict),
    },
)
@checked_in_the_view()
def record_agreement(path: out.PersonPath) -> Response:
    """While the meeting runs: they said so out loud, and this records it (and marks them present).
    Saying it again changes nothing."""
    record = _record(path)
    db = request_session()
    own = next((a.person.id for a in record.attendees if a.person.practitioner_id == g.actor.account_id), None)
    try:
        if path.person_id == own:
            operations.confirm_agreement(session=db, actor=g.actor, meeting_id=path.meeting_id)
        else:
            operations.record_agreement_for(
                session=db, actor=g.actor, meeting_id=path.meeting_id, person_id=path.person_id
            )
    except Conflict:  # the meeting is not running
        return _refused(path, None, _meeting_now(path))
    return _fresh(lambda: _attendee_now(path))


@blueprint.put(
    ONE + "/agenda/<item>",
    operation_id="writeMeetingNotes",
    tags=[MEETINGS],
    summary="An agenda item's notes (If-Match required, also for the first notes)",
    responses={
        200: {"description": "Saved.", "headers": _ETAG, "content": _content(out.AgendaNoteOut)},
        **_conditional(out.AgendaNoteConflict),
    },
)
@checked_in_the_view(body=out.NoteBody, header=IfMatch)
def agenda_notes(path: out.AgendaPath) -> Response:
    """While the meeting runs (it opens at item 1, with the young person's own words: they speak first).
    State the item's `etag` from the record as If-Match, as read before anyone wrote notes too."""
    record = _record(path)
    item = str(path.item.value)
    refused = _precondition(path)
    if refused is not None:
        return refused
    if record.meeting.status != MeetingStatus.OPEN:
        # The page takes notes only in the running meeting, after the young person's words.
        _may_run(path)
        return _refused(path, None, _meeting_now(path))
    stated = stated_revision(request.if_match, out.note_kind(item), path.meeting_id)
    db = request_session()
    try:
        written = _words(NoteInput, out.NoteBody, expected_revision=stated)
    except ValidationFailed:
        _may_run(path)
        raise
    try:
        operations.write_note(session=db, actor=g.actor, meeting_id=path.meeting_id, item=item, note=written)
    except Conflict:
        return _refused(path, stated, lambda: _note_now(path, item))
    return _fresh(lambda: _note_now(path, item))


def _note_now(path: out.AgendaPath, item: str) -> tuple[BaseModel, str, int]:
    record = _record(path)
    note: AgendaNote | None = record.notes.get(item)
    shown = out.AgendaNoteOut.of(path.meeting_id, item, note)
    return shown, shown.etag, shown.revision


def _meeting_step(path: out.MeetingPath, step: Callable[..., object], *, fresh: bool) -> Response:
    """A one-button step on the meeting (open, cancel), stating the meeting's ETag; answered with the
    record read again (`fresh`) where the page answers with the meeting page, as after opening."""
    record = _record(path)
    refused = _precondition(path)
    if refused is not None:
        return refused
    stated = stated_revision(request.if_match, str(record.meeting.__tablename__), path.meeting_id)
    try:
        step(session=request_session(), actor=g.actor, meeting_id=path.meeting_id, expected_revision=stated)
    except Conflict:
        return _refused(path, stated, _meeting_now(path))
    if fresh:
        return _fresh(_meeting_now(path))
    return _answer(_meeting_out(record), etag_of(record.meeting))


_MEETING_ANSWER = {"description": "Done: the record now.", "headers": _ETAG, "content": _content(out.MeetingOut)}


@blueprint.post(
    ONE + "/open",
    operation_id="openMeeting",
    tags=[MEETINGS],
    summary="Start the meeting at item 1, where the young person's words are read first (If-Match required)",
    responses={200: _MEETING_ANSWER, **_conditional(out.MeetingConflict)},
)
@checked_in_the_view(header=IfMatch)
def open_meeting(path: out.MeetingPath) -> Response:
    """A scheduled meeting only."""
    return _meeting_step(path, operations.open_meeting, fresh=True)


@blueprint.post(
    ONE + "/cancel",
    operation_id="cancelMeeting",
    tags=[MEETINGS],
    summary="Cancel a meeting that has not started (If-Match required)",
    responses={200: _MEETING_ANSWER, **_conditional(out.MeetingConflict)},
)
@checked_in_the_view(header=IfMatch)
def cancel_meeting(path: out.MeetingPath) -> Response:
    """Everyone invited is told it is not happening."""
    # The page goes back to the list of meetings: nothing is read again.
    return _meeting_step(path, operations.cancel, fresh=False)


@blueprint.post(
    ONE + "/agreement",
    operation_id="agreeMeetingPlan",
    tags=[MEETINGS],
    summary="Agree the plan: the draft becomes the agreed version (If-Match required)",
    responses={
        201: {
            "description": "Agreed: the new version, at Location. The meeting is closed.",
            "headers": {"Location": {"description": "The agreed version.", "schema": {"type": "string"}}},
            "content": _content(VersionSummary),
        },
        **_conditional(out.MeetingConflict),
    },
)
@checked_in_the_view(body=out.AgreementBody, header=IfMatch)
def agree_plan(path: out.MeetingPath) -> Response:
    """When everyone present has agreed (on their own device, or recorded for them): the review date
    (8 weeks at most) and what would bring it forward. State the meeting's ETag."""
    record = _record(path)
    refused = _precondition(path)
    if refused is not None:
        return refused
    stated = stated_revision(request.if_match, str(record.meeting.__tablename__), path.meeting_id)
    db = request_session()
    try:
        agreement = _words(AgreementInput, out.AgreementBody, expected_revision=stated)
        version = operations.agree(session=db, actor=g.actor, meeting_id=path.meeting_id, agreement=agreement)
    except ValidationFailed:
        _may_run(path)
        raise
    except Conflict:
        return _refused(path, stated, _meeting_now(path))
    response = jsonify(VersionSummary.model_validate(version).model_dump(mode="json"))
    response.status_code = 201
    response.headers["Location"] = url_for("api_v1.version", child_id=path.child_id, number=version.number)
    return response
