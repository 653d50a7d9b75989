"""Meetings on the family door: the next meeting in plain words, what the young person wants the
meeting to know (before it, from their phone), which item is being discussed while it runs
(following it live), and "I agree" on each person's own phone.

The family never see the notes or who else said what (R4): app.meetings.queries.next_meeting
gives each person only the meeting they are invited to, and the young person alone their own
words. Live updates say only that something changed; the page then fetches its part again
through the same view, so the policy decides what comes back (R31).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.access import policy, sharing
from app.db import request_session
from app.errors import Conflict, NotFound, ValidationFailed
from app.inputs import parse_id
from app.live.changes import current_version, meeting_channel, plan_channel
from app.live.views import stream
from app.meetings import agenda, operations, queries, sharing_choice
from app.meetings.inputs import FirstWordsInput, WhoSeesWhatInput
from app.people.queries import children_of_family_member
from app.web.htmx import is_htmx, part_or_page, see_other

blueprint = Blueprint("family_meetings", __name__)


def _next(child_id: int) -> queries.FamilyMeeting | None:
    return queries.next_meeting(session=request_session(), actor=current_user.actor, child_id=child_id)


def _who_sees_what(found: queries.FamilyMeeting | None) -> sharing_choice.WhoSeesWhat | None:
    """At the agreement (the plan, the last item), the young person chooses who sees what."""
    if found is None or not found.is_open or found.current is None or not found.current.is_plan:
        return None
    return sharing_choice.who_sees_what(session=request_session(), actor=current_user.actor, meeting=found.meeting)


def _page(child_id: int, **state: Any) -> tuple[Callable[[], str], Callable[[], str]]:
    db, actor = request_session(), current_user.actor
    meeting = _next(child_id)
    pair = next((pair for pair in children_of_family_member(session=db, actor=actor) if pair[0].id == child_id), None)
    if pair is None:
        raise NotFound()
    child, link = pair
    context = {
        "child": child,
        "link": link,
        "meeting": meeting,
        "is_young_person": policy.holds("meeting.speak_first", session=db, actor=actor, child_id=child_id),
        # Asked by the permission the form needs: only the young person holds it on this door.
        "who": _who_sees_what(meeting)
        if policy.holds("sharing.choose_with_young_person", session=db, actor=actor, child_id=child_id)
        else None,
        "who_saved": request.args.get("shared") == "1",
        "who_errors": {},
        "who_conflict": None,
        "ticked": frozenset(),
        "since": current_version(db, meeting_channel(meeting.meeting.id or 0)) if meeting else 0,
        "plan_since": current_version(db, plan_channel(child_id)),
        "agenda_size": len(agenda.AGENDA),
        "errors": {},
        "conflict": False,
        "typed_words": None,
        "done": request.args.get("done", ""),
        **state,
    }
    return (
        lambda: render_template("meetings/_family_meeting_main.html", **context),
        lambda: render_template("meetings/family_meeting.html", **context),
    )


@blueprint.get("/c/<int:child_id>/meeting")
def meeting(child_id: int) -> Response:
    return part_or_page(*_page(child_id))


def _done(child_id: int, code: str) -> Response:
    if is_htmx():
        part, _whole = _page(child_id, done=code)
        return part_or_page(part, part)
    return see_other(url_for(".meeting", child_id=child_id, done=code))


@blueprint.post("/c/<int:child_id>/meeting/first-words")
def first_words(child_id: int) -> Response:
    """The young person's own words, read first when the meeting opens."""
    db, actor = request_session(), current_user.actor
    found = _next(child_id)
    if found is None:
        raise NotFound()
    text = request.form.get("words", "")
    revision = parse_id(request.form.get("revision", ""))
    try:
        words = FirstWordsInput.parse({"words": text, "expected_revision": -1 if revision is None else revision})
        operations.write_first_words(session=db, actor=actor, meeting_id=found.meeting.id or 0, words=words)
    except ValidationFailed as exc:
        # Only the young person learns what the form accepts; anyone else is refused, audited (R2).
        policy.require("meeting.speak_first", session=db, actor=actor, child_id=child_id)
        return part_or_page(*_page(child_id, errors=exc.errors, typed_words=text), status=422)
    except Conflict:
        return part_or_page(*_page(child_id, conflict=True, typed_words=text), status=409)
    return _done(child_id, "words")


@blueprint.post("/c/<int:child_id>/meeting/agree")
def agree(child_id: int) -> Response:
    """I agree, on my own phone, when the facilitator asks."""
    found = _next(child_id)
    if found is None:
        raise NotFound()
    operations.confirm_agreement(session=request_session(), actor=current_user.actor, meeting_id=found.meeting.id or 0)
    return _done(child_id, "agreed")


@blueprint.post("/c/<int:child_id>/meeting/sharing")
def who_sees_what(child_id: int) -> Response:
    """The young person chooses who sees what, at the agreement, on their own phone."""
    db, actor = request_session(), current_user.actor
    found = _next(child_id)
    if found is None:
        raise NotFound()
    chosen, ticked = sharing.chosen_from_form(request.form)
    try:
        choice = WhoSeesWhatInput.parse({"seen": request.form.get("seen", ""), "chosen": sorted(chosen)})
        sharing_choice.choose_with_young_person(
            session=db, actor=actor, meeting_id=found.meeting.id or 0, choice=choice
        )
    except ValidationFailed as exc:
        # Only the young person learns what the form accepts; anyone else is refused, audited (R2).
        policy.require("sharing.choose_with_young_person", session=db, actor=actor, child_id=child_id)
        return part_or_page(*_page(child_id, who_errors=exc.errors, ticked=frozenset(ticked)), status=422)
    except sharing.SharingChanged as exc:
        # Nothing saved: what changed is listed, and their own ticks come back to save again (R24).
        return part_or_page(*_page(child_id, who_conflict=exc, ticked=frozenset(ticked)), status=409)
    if is_htmx():
        part, _whole = _page(child_id, who_saved=True)
        return part_or_page(part, part)
    return see_other(url_for(".meeting", child_id=child_id, shared=1, _anchor="who-sees-what"))


@blueprint.get("/c/<int:child_id>/meeting/live")
def live(child_id: int) -> Response:
    """Changes to my next meeting and to the plan: counts only, never a word (R31)."""
    found = _next(child_id)
    since: dict[str, int | None] = {plan_channel(child_id): parse_id(request.args.get("plan_since", ""))}
    if found is not None:
        since[meeting_channel(found.meeting.id or 0)] = parse_id(request.args.get("since", ""))
    return stream(since)
