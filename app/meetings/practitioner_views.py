"""Meetings on the practitioner door: the child's meetings, scheduling one, and the meeting page
(who is invited and came, guests, the consent statement, opening it, cancelling it).

Running it item by item, the agreement and the record are in app.meetings.run_views, on the same
blueprint. Every page asks the policy about the child in the address first (so a refusal is
audited about that child), then reads the meeting through app.meetings.queries and writes through
app.meetings.operations; the door commits. Each form works as a plain post (then back to the page,
303) and with htmx (the page's main part comes back in place, errors and conflicts included).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from app.access import policy
from app.auth.models import AccountKind
from app.db import request_session
from app.errors import Conflict, NotFound, ValidationFailed
from app.inputs import parse_id
from app.live.changes import current_version, meeting_channel, plan_channel
from app.live.views import stream
from app.meetings import operations, queries
from app.meetings.inputs import AttendanceInput, GuestInput, ScheduleInput
from app.meetings.models import Attendance, MeetingStatus
from app.people.models import Agency, Child
from app.plans.models import MeetingType
from app.plans.versions import open_plan_for_child
from app.web.htmx import is_htmx, part_or_page, see_other

blueprint = Blueprint("practitioner_meetings", __name__)

# Seed 003: the agencies it would be good to get to the meeting (or an update from them).
SEED_AGENCIES: tuple[Agency, ...] = (
    Agency.SCHOOL,
    Agency.HEALTH,
    Agency.INCLUSION,
    Agency.YOUTH_OFFER,
    Agency.COMMUNITY_SAFETY,
    Agency.POLICE,
    Agency.YOUTH_JUSTICE,
)
SCHEDULE_FIELDS = ("day", "start", "place", "meeting_type", "is_review", "facilitator")


def typed(*names: str) -> dict[str, str]:
    """What was typed, whole, to give back on a refusal (the request limit bounds it)."""
    return {name: request.form.get(name, "") for name in names}


def expected_revision() -> int:
    # A missing or garbled revision can never match, so it ends as a conflict, not a guess.
    revision = parse_id(request.form.get("revision", ""))
    return -1 if revision is None else revision


def _reading_permission() -> str:
    # The same pages serve a trusted adult facilitating from the family door (app.meetings.
    # facilitation_views): there only the meeting they facilitate (queries.meeting_record checks).
    return "meeting.facilitate_as_family" if current_user.actor.kind == AccountKind.FAMILY else "meeting.read"


def record_on(child_id: int, meeting_id: int) -> queries.MeetingRecord:
    """The meeting, if it is this child's and the reader may read it (asked about the child first)."""
    db = request_session()
    policy.require(_reading_permission(), session=db, actor=current_user.actor, child_id=child_id)
    record = queries.meeting_record(session=db, actor=current_user.actor, meeting_id=meeting_id)
    if record.meeting.child_id != child_id:
        raise NotFound()
    return record


def may_run(child_id: int) -> bool:
    """Whether to show the controls: a plan editor, or (family door) the trusted adult facilitating,
    whom record_on has already matched to this meeting."""
    permission = "meeting.facilitate_as_family" if current_user.actor.kind == AccountKind.FAMILY else "meeting.run"
    return policy.holds(permission, session=request_session(), actor=current_user.actor, child_id=child_id)


def my_person_id(record: queries.MeetingRecord) -> int | None:
    """The reader's own place among the people invited (their "I agree" is their own, not recorded)."""
    actor = current_user.actor
    family = actor.kind == AccountKind.FAMILY
    for attendee in record.attendees:
        person = attendee.person
        if (person.member_id if family else person.practitioner_id) == actor.account_id:
            return person.id
    return None


def live_versions(record: queries.MeetingRecord) -> dict[str, int]:
    db = request_session()
    return {
        "since": current_version(db, meeting_channel(record.meeting.id or 0)),
        "plan_since": current_version(db, plan_channel(record.meeting.child_id)),
    }


def answer(part: Callable[[], str], page: Callable[[], str], status: int = 200) -> Response:
    return part_or_page(part, page, status)


def done(location: str, part: Callable[[], str]) -> Response:
    """After a write: htmx gets the fresh part in place; a plain post goes back to the page (303)."""
    if is_htmx():
        return part_or_page(part, part)
    return see_other(location)


# The child's meetings, and scheduling one.


@blueprint.route("/children/<int:child_id>/meetings", methods=["GET", "POST"])
def meetings(child_id: int) -> Any:
    db, actor = request_session(), current_user.actor
    errors: dict[str, Any] = {}
    form = typed(*SCHEDULE_FIELDS)
    status = 200
    if request.method == "POST":
        try:
            meeting = operations.schedule(session=db, actor=actor, child_id=child_id, details=_schedule_input(form))
            return see_other(url_for(".meeting", child_id=child_id, meeting_id=meeting.id, done="scheduled"))
        except ValidationFailed as exc:
            # Checked before the service would: only someone who may schedule learns what it accepts (R2).
            policy.require("meeting.run", session=db, actor=actor, child_id=child_id)
            errors, status = _with_facilitator_error(exc.errors, form), 422
    else:
        policy.require("meeting.read", session=db, actor=actor, child_id=child_id)
        form["meeting_type"] = _meeting_type_asked() or _plan_meeting_type(child_id)
    child = db.get(Child, child_id)
    if child is None:
        raise NotFound()
    runs = may_run(child_id)
    return render_template(
        "meetings/meetings.html",
        child=child,
        meetings=queries.meetings_of_child(session=db, actor=actor, child_id=child_id),
        form=form,
        errors=errors,
        may_run=runs,
        choices=queries.facilitator_choices(session=db, actor=actor, child_id=child_id) if runs else [],
        meeting_types=list(MeetingType),
    ), status


def _meeting_type_asked() -> str:
    """The kind of meeting a link asked for (the Hub's "Schedule the Safer Me Plus meeting"), if it
    is one; anything else in the address is ignored."""
    asked = request.args.get("meeting_type", "")
    return asked if asked in set(MeetingType) else ""


def _plan_meeting_type(child_id: int) -> str:
    plan = open_plan_for_child(session=request_session(), child_id=child_id)
    return plan.meeting_type if plan is not None else MeetingType.SAFER_ME


def _schedule_input(form: dict[str, str]) -> ScheduleInput:
    """The form's one "facilitator" choice ("p:<id>" a practitioner, "m:<id>" a family member)."""
    kind, _sep, raw = form["facilitator"].partition(":")
    who = {"p": "facilitator_practitioner_id", "m": "facilitator_member_id"}.get(kind)
    data: dict[str, Any] = {k: v for k, v in form.items() if k != "facilitator"}
    if who is not None:
        data[who] = raw
    return ScheduleInput.parse(data)


def _with_facilitator_error(errors: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The form's other refusals hide the service's check of who facilitates: say at once if nobody was chosen."""
    if not form["facilitator"] and "facilitator" not in errors:
        errors = {**errors, "facilitator": _l("Choose who will facilitate the meeting.")}
    return errors


# The meeting page: people, attendance, guests, consent, open.


def _meeting_page(child_id: int, meeting_id: int, **state: Any) -> tuple[Callable[[], str], Callable[[], str]]:
    record = record_on(child_id, meeting_id)
    context = {
        "record": record,
        "may_run": may_run(child_id) and record.meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.OPEN),
        "agencies": list(Agency),
        "seed_agencies": SEED_AGENCIES,
        "attendances": [a for a in Attendance if a != Attendance.INVITED],
        "errors": {},
        "guest": {"name": "", "role": "", "agency": ""},
        "editing": 0,
        "conflict": False,
        "done": request.args.get("done", ""),
        **live_versions(record),
        **state,
    }
    return (
        lambda: render_template("meetings/_meeting_main.html", **context),
        lambda: render_template("meetings/meeting.html", **context),
    )


@blueprint.get("/children/<int:child_id>/meetings/<int:meeting_id>")
def meeting(child_id: int, meeting_id: int) -> Response:
    return answer(*_meeting_page(child_id, meeting_id))


def _meeting_url(child_id: int, meeting_id: int, code: str, anchor: str | None = None) -> str:
    return url_for(".meeting", child_id=child_id, meeting_id=meeting_id, done=code, _anchor=anchor)


@blueprint.post("/children/<int:child_id>/meetings/<int:meeting_id>/guests")
def invite_guest(child_id: int, meeting_id: int) -> Response:
    record_on(child_id, meeting_id)
    guest = typed("name", "role", "agency")
    try:
        operations.invite_guest(
            session=request_session(), actor=current_user.actor, meeting_id=meeting_id, guest=GuestInput.parse(guest)
        )
    except ValidationFailed as exc:
        operations.runnable(session=request_session(), actor=current_user.actor, meeting_id=meeting_id)
        return answer(*_meeting_page(child_id, meeting_id, errors=exc.errors, guest=guest), status=422)
    part, _page = _meeting_page(child_id, meeting_id, done="invited")
    return done(_meeting_url(child_id, meeting_id, "invited", "people"), part)


@blueprint.post("/children/<int:child_id>/meetings/<int:meeting_id>/people/<int:person_id>/attendance")
def attendance(child_id: int, meeting_id: int, person_id: int) -> Response:
    record_on(child_id, meeting_id)
    form = typed("attendance", "update")
    db, actor = request_session(), current_user.actor
    try:
        written = AttendanceInput.parse({**form, "expected_revision": expected_revision()})
        operations.set_attendance(
            session=db, actor=actor, meeting_id=meeting_id, person_id=person_id, attendance=written
        )
    except ValidationFailed as exc:
        operations.runnable(session=db, actor=actor, meeting_id=meeting_id)
        page = _meeting_page(child_id, meeting_id, errors=exc.errors, editing=person_id, typed_person=form)
        return answer(*page, status=422)
    except Conflict:
        page = _meeting_page(child_id, meeting_id, conflict=True, editing=person_id, typed_person=form)
        return answer(*page, status=409)
    part, _page = _meeting_page(child_id, meeting_id, done="attendance")
    return done(_meeting_url(child_id, meeting_id, "attendance", f"person-{person_id}"), part)


def _meeting_step(child_id: int, meeting_id: int, step: Callable[..., object], code: str) -> Response:
    """A one-button step on the meeting (consent read, open): a conflict says the page was out of date."""
    record_on(child_id, meeting_id)
    try:
        step(
            session=request_session(),
            actor=current_user.actor,
            meeting_id=meeting_id,
            expected_revision=expected_revision(),
        )
    except Conflict:
        return answer(*_meeting_page(child_id, meeting_id, conflict=True), status=409)
    part, _page = _meeting_page(child_id, meeting_id, done=code)
    return done(_meeting_url(child_id, meeting_id, code), part)


@blueprint.post("/children/<int:child_id>/meetings/<int:meeting_id>/consent")
def consent(child_id: int, meeting_id: int) -> Response:
    return _meeting_step(child_id, meeting_id, operations.record_consent, "consent")


@blueprint.post("/children/<int:child_id>/meetings/<int:meeting_id>/open")
def open_meeting(child_id: int, meeting_id: int) -> Response:
    response = _meeting_step(child_id, meeting_id, operations.open_meeting, "opened")
    if response.status_code == 303:
        # Opened: straight to the agenda, where the young person's words come first.
        return see_other(url_for(".run", child_id=child_id, meeting_id=meeting_id))
    return response


@blueprint.route("/children/<int:child_id>/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel(child_id: int, meeting_id: int) -> Any:
    """A confirmation step first: cancelling tells everyone invited that it is not happening."""
    record = record_on(child_id, meeting_id)
    conflict = False
    if request.method == "POST":
        try:
            operations.cancel(
                session=request_session(),
                actor=current_user.actor,
                meeting_id=meeting_id,
                expected_revision=expected_revision(),
            )
            if request.blueprint != blueprint.name:  # a trusted adult facilitating, on the family door
                return see_other(url_for("family_meetings.meeting", child_id=child_id))
            return see_other(url_for(".meetings", child_id=child_id, done="cancelled"))
        except Conflict:
            conflict = True
            record = record_on(child_id, meeting_id)
    return render_template(
        "meetings/cancel.html",
        record=record,
        may_run=may_run(child_id),
        conflict=conflict,
    ), (409 if conflict else 200)


@blueprint.get("/children/<int:child_id>/meetings/<int:meeting_id>/live")
def live(child_id: int, meeting_id: int) -> Response:
    """Changes to the meeting (and the plan it agrees): counts only, never a word (R31)."""
    record_on(child_id, meeting_id)
    return stream(
        {
            meeting_channel(meeting_id): parse_id(request.args.get("since", "")),
            plan_channel(child_id): parse_id(request.args.get("plan_since", "")),
        }
    )
