"""Running a meeting on the practitioner door: the guided agenda (seed 003 items 1 to 7, then the
plan), each item's notes, moving on; then the agreement and the record, printable on A4.

Routes are on app.meetings.practitioner_views' blueprint. Notes are revision-checked: when
someone else saved the same item first, the page shows what is saved now and keeps the writer's
own words in the box (R24), so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from app.access import policy, sharing
from app.db import request_session
from app.errors import Conflict, ValidationFailed
from app.meetings import agenda, operations, sharing_choice
from app.meetings.inputs import AgreementInput, MoveInput, NoteInput, WhoSeesWhatInput
from app.meetings.models import MeetingStatus
from app.meetings.practitioner_views import (
    answer,
    blueprint,
    done,
    expected_revision,
    live_versions,
    may_run,
    my_person_id,
    record_on,
    typed,
)
from app.plans.models import PlanVersion
from app.plans.versions import draft_of
from app.web.htmx import see_other

# Where the plan itself is written (item 8): the drafting page, built on its own branch.
DRAFT_PATH = "/children/<int:child_id>/draft"


def draft_link(child_id: int) -> str | None:
    """The drafting page's address, once that page exists on this door (it is built separately)."""
    for rule in current_app.url_map.iter_rules():
        if rule.rule == DRAFT_PATH:
            try:
                return url_for(rule.endpoint, child_id=child_id)
            except BuildError:
                return None
    return None


def _run_page(child_id: int, meeting_id: int, **state: Any) -> tuple[Callable[[], str], Callable[[], str]]:
    record = record_on(child_id, meeting_id)
    current = record.current or agenda.AGENDA[0]
    context = {
        "record": record,
        "agenda": agenda.AGENDA,
        "current": current,
        "next_item": agenda.next_item(current.key),
        "previous_item": agenda.previous_item(current.key),
        "may_run": may_run(child_id) and record.is_open,
        "draft_url": draft_link(child_id),
        "errors": {},
        "conflict": None,
        "typed_note": None,
        **live_versions(record),
        **state,
    }
    return (
        lambda: render_template("meetings/_run_main.html", **context),
        lambda: render_template("meetings/run.html", **context),
    )


def _run_url(child_id: int, meeting_id: int, anchor: str = "current-item") -> str:
    return url_for(".run", child_id=child_id, meeting_id=meeting_id, _anchor=anchor)


@blueprint.get("/children/<int:child_id>/meetings/<int:meeting_id>/run")
def run(child_id: int, meeting_id: int) -> Response:
    return answer(*_run_page(child_id, meeting_id))


@blueprint.post("/children/<int:child_id>/meetings/<int:meeting_id>/move")
def move(child_id: int, meeting_id: int) -> Response:
    """Go to another item: everyone's screen follows (the family's phones through the live stream)."""
    record_on(child_id, meeting_id)
    db, actor = request_session(), current_user.actor
    try:
        chosen = MoveInput.parse({"item": request.form.get("item", ""), "expected_revision": expected_revision()})
        operations.move_to(session=db, actor=actor, meeting_id=meeting_id, move=chosen)
    except ValidationFailed as exc:
        operations.runnable(session=db, actor=actor, meeting_id=meeting_id)
        return answer(*_run_page(child_id, meeting_id, errors=exc.errors), status=422)
    except Conflict:
        return answer(*_run_page(child_id, meeting_id, moved_meanwhile=True), status=409)
    part, _page = _run_page(child_id, meeting_id)
    return done(_run_url(child_id, meeting_id), part)


@blueprint.post("/children/<int:child_id>/meetings/<int:meeting_id>/notes")
def note(child_id: int, meeting_id: int) -> Response:
    """The notes of one agenda item (the item is in the form, like its revision)."""
    record_on(child_id, meeting_id)
    db, actor = request_session(), current_user.actor
    item = request.form.get("item", "")
    text = typed("text")["text"]
    try:
        written = NoteInput.parse({"text": text, "expected_revision": expected_revision()})
        if item not in agenda.NOTE_KEYS:
            raise ValidationFailed({"item": _l("Choose an item of the agenda.")})
        operations.write_note(session=db, actor=actor, meeting_id=meeting_id, item=item, note=written)
    except ValidationFailed as exc:
        operations.runnable(session=db, actor=actor, meeting_id=meeting_id)
        return answer(*_run_page(child_id, meeting_id, errors=exc.errors, typed_note=text), status=422)
    except Conflict:
        # Both texts: what is saved now, and what this writer typed (still in the box).
        return answer(*_run_page(child_id, meeting_id, conflict=item, typed_note=text), status=409)
    part, _page = _run_page(child_id, meeting_id, saved=item)
    return done(_run_url(child_id, meeting_id), part)


# Agreement: who has agreed, agreeing for someone in the room, the review, "Agree this version".

AGREEMENT_FIELDS = ("review_date", "review_trigger", "shared_with")


def _agreement_form(child_id: int, meeting_id: int) -> dict[str, str]:
    """The draft's own review words to start from, so the facilitator confirms rather than retypes."""
    record = record_on(child_id, meeting_id)
    draft = draft_of(session=request_session(), plan_id=record.meeting.plan_id)
    return {
        "review_date": draft.review_date.isoformat() if draft.review_date else "",
        "review_trigger": draft.review_trigger,
        "shared_with": draft.shared_with,
    }


def _who_sees_what(record: Any) -> sharing_choice.WhoSeesWhat | None:
    """The "who sees what" form, for a plan editor running the meeting (never a trusted adult
    facilitating: the young person's choice is never made by someone it is about)."""
    db, actor = request_session(), current_user.actor
    child_id = record.meeting.child_id
    if not (record.is_open and may_run(child_id)):
        return None
    if not policy.holds("sharing.choose_with_young_person", session=db, actor=actor, child_id=child_id):
        return None
    return sharing_choice.who_sees_what(session=db, actor=actor, meeting=record.meeting)


def _agreement_page(child_id: int, meeting_id: int, **state: Any) -> tuple[Callable[[], str], Callable[[], str]]:
    record = record_on(child_id, meeting_id)
    context = {
        "record": record,
        "may_run": may_run(child_id) and record.is_open,
        "errors": {},
        "conflict": False,
        "form": {name: "" for name in AGREEMENT_FIELDS},
        "my_person_id": my_person_id(record),
        "who": _who_sees_what(record),
        "who_saved": request.args.get("shared") == "1",
        "who_errors": {},
        "who_conflict": None,
        "ticked": frozenset(),
        **live_versions(record),
        **state,
    }
    return (
        lambda: render_template("meetings/_agreement_main.html", **context),
        lambda: render_template("meetings/agreement.html", **context),
    )


@blueprint.route("/children/<int:child_id>/meetings/<int:meeting_id>/agreement", methods=["GET", "POST"])
def agreement(child_id: int, meeting_id: int) -> Response:
    record = record_on(child_id, meeting_id)
    if request.method == "GET":
        form = _agreement_form(child_id, meeting_id) if record.is_open else {n: "" for n in AGREEMENT_FIELDS}
        return answer(*_agreement_page(child_id, meeting_id, form=form))
    db, actor = request_session(), current_user.actor
    form = typed(*AGREEMENT_FIELDS)
    try:
        agreed = AgreementInput.parse({**form, "expected_revision": expected_revision()})
        operations.agree(session=db, actor=actor, meeting_id=meeting_id, agreement=agreed)
    except ValidationFailed as exc:
        operations.runnable(session=db, actor=actor, meeting_id=meeting_id)
        return answer(*_agreement_page(child_id, meeting_id, errors=exc.errors, form=form), status=422)
    except Conflict:
        return answer(*_agreement_page(child_id, meeting_id, conflict=True, form=form), status=409)
    # Agreed: the meeting is over; its record is the page to print (a trusted adult facilitating
    # goes back to the family's meeting page: the record is the practitioners'). htmx follows too.
    if request.blueprint != blueprint.name:
        return see_other(url_for("family_meetings.meeting", child_id=child_id, done="agreed"))
    return see_other(url_for(".record", child_id=child_id, meeting_id=meeting_id, done="agreed"))


@blueprint.post("/children/<int:child_id>/meetings/<int:meeting_id>/people/<int:person_id>/agreed")
def record_agreement(child_id: int, meeting_id: int, person_id: int) -> Response:
    """Someone in the room said they agree: the facilitator records it for them. On one's own row,
    it is one's own "I agree", given on one's own computer."""
    record = record_on(child_id, meeting_id)
    db, actor = request_session(), current_user.actor
    try:
        if person_id == my_person_id(record):
            operations.confirm_agreement(session=db, actor=actor, meeting_id=meeting_id)
        else:
            operations.record_agreement_for(session=db, actor=actor, meeting_id=meeting_id, person_id=person_id)
    except Conflict:
        return answer(*_agreement_page(child_id, meeting_id, conflict=True), status=409)
    part, _page = _agreement_page(child_id, meeting_id, form=_agreement_form(child_id, meeting_id))
    return done(url_for(".agreement", child_id=child_id, meeting_id=meeting_id, _anchor=f"person-{person_id}"), part)


@blueprint.post("/children/<int:child_id>/meetings/<int:meeting_id>/sharing")
def who_sees_what(child_id: int, meeting_id: int) -> Response:
    """Who sees what, ticked as the young person says: saved as their own sharing choice."""
    record_on(child_id, meeting_id)
    db, actor = request_session(), current_user.actor
    chosen, ticked = sharing.chosen_from_form(request.form)
    try:
        choice = WhoSeesWhatInput.parse({"seen": request.form.get("seen", ""), "chosen": sorted(chosen)})
        sharing_choice.choose_with_young_person(session=db, actor=actor, meeting_id=meeting_id, choice=choice)
    except ValidationFailed as exc:
        # Only someone who may choose learns what the form accepts; anyone else is refused, audited.
        operations.runnable(session=db, actor=actor, meeting_id=meeting_id)
        policy.require("sharing.choose_with_young_person", session=db, actor=actor, child_id=child_id)
        page = _agreement_page(child_id, meeting_id, who_errors=exc.errors, ticked=frozenset(ticked))
        return answer(*page, status=422)
    except sharing.SharingChanged as exc:
        # Both choices: what is saved now (what changed, listed), and this person's ticks, kept.
        page = _agreement_page(child_id, meeting_id, who_conflict=exc, ticked=frozenset(ticked))
        return answer(*page, status=409)
    part, _page = _agreement_page(child_id, meeting_id, who_saved=True)
    location = url_for(".agreement", child_id=child_id, meeting_id=meeting_id, shared=1, _anchor="who-sees-what")
    return done(location, part)


@blueprint.get("/children/<int:child_id>/meetings/<int:meeting_id>/record")
def record(child_id: int, meeting_id: int) -> str:
    """The meeting record: who came, the young person's words, each item's notes, what was agreed."""
    meeting_record = record_on(child_id, meeting_id)
    version_id = meeting_record.meeting.agreed_version_id
    version = request_session().get(PlanVersion, version_id) if version_id is not None else None
    db, actor = request_session(), current_user.actor
    # What each person sees now: chosen with the young person at the agreement, and theirs to
    # change since on their privacy page (so this is the choice as it stands, not a copy).
    people = (
        sharing.sharing_overview(session=db, actor=actor, child_id=child_id)
        if version is not None and policy.holds("sharing.read", session=db, actor=actor, child_id=child_id)
        else []
    )
    return render_template(
        "meetings/record.html",
        record=meeting_record,
        who_sees=people,
        agenda=agenda.AGENDA,
        version=version,
        done=request.args.get("done", ""),
        is_over=meeting_record.meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED),
    )
