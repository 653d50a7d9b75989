"""The young person's (or a parent's or trusted adult's) plan page, put together from its parts.

The page is the plan as this person may see it (app.plans.read_model), what's new since they last
looked (app.whats_new), carers' progress on their commitments (app.commitments) and the new ideas
since the meeting (app.cowriting). Feature views that answer a plain form post with the whole page
(rather than an htmx part) render it through `plan_page`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from flask import render_template
from flask_login import current_user

from app.commitments.editor import CommitmentEditor
from app.commitments.queries import with_progress
from app.cowriting.editor import KINDS, Editor
from app.cowriting.queries import new_ideas_since_agreed
from app.db import request_session
from app.errors import NotFound
from app.incidents.queries import review_on
from app.live.changes import current_version, plan_channel
from app.meetings.queries import next_meeting
from app.people.queries import children_of_family_member
from app.plans.read_model import family_plan
from app.whats_new.operations import look_at_plan

# The forms the new-ideas part opens on request (?add=...), and the field each one starts on.
OPENING_FIELDS = {"idea": "new-text", "place": "new-place-name", "contact": "new-contact-name"}
# Status codes a plain form post comes back with (?done=...): a code, never any of the plan's words.
IDEA_DONE_CODES = frozenset({"added", "saved", "removed", "moved"})
COMMITMENT_DONE_CODES = frozenset({"marked", "undone", "commented", "uncommented"})
assert set(OPENING_FIELDS) == set(KINDS)  # noqa: S101 - a form for every kind of addition


def opened_form(args: Mapping[str, str]) -> Editor:
    """?add=<form> opens that form (focus on its first field); ?back=<form> closed it (focus on its button)."""
    opened, closed = args.get("add", ""), args.get("back", "")
    if opened in OPENING_FIELDS:
        return Editor(open=opened, focus=OPENING_FIELDS[opened])
    if closed in OPENING_FIELDS:
        return Editor(focus=f"open-{closed}")
    return Editor()


def plan_page_after(child_id: int, args: Mapping[str, str]) -> str:
    """The plan page as a link or a redirect asked for it: a form opened (?add=), a status (?done=)."""
    done = args.get("done", "")
    editor = opened_form(args)
    if done in IDEA_DONE_CODES:
        editor = replace(editor, done=done)
    commitment_editor = CommitmentEditor(done=done) if done in COMMITMENT_DONE_CODES else None
    return plan_page(child_id, editor=editor, commitment_editor=commitment_editor)


def plan_page(child_id: int, *, editor: Editor | None = None, commitment_editor: CommitmentEditor | None = None) -> str:
    """The plan page, with the new-ideas part in the state `editor` describes (see app.cowriting.views)."""
    db, actor = request_session(), current_user.actor
    view = with_progress(session=db, view=family_plan(session=db, actor=actor, child_id=child_id))
    # A review an incident brought forward shows as the review date (nothing about the incident does).
    view.review_date = review_on(db, view.version)
    ideas = new_ideas_since_agreed(session=db, actor=actor, child_id=child_id)
    links = children_of_family_member(session=db, actor=actor)
    link = next((link for child, link in links if child.id == child_id), None)
    if link is None:
        raise NotFound()
    template = "family/plan.html" if view.access.is_young_person else "family/carer_plan.html"
    # Opening the plan is "looking at it": what changed since the last look is shown until "Got it".
    whats_new = look_at_plan(session=db, actor=actor, view=view)
    # The count of changes the page shows: its live stream says at once if the plan moved on since.
    live_version = current_version(db, plan_channel(child_id))
    return render_template(
        template,
        view=view,
        link=link,
        member=current_user.member,
        ideas=ideas,
        editor=editor or Editor(),
        commitment_editor=commitment_editor or CommitmentEditor(),
        whats_new=whats_new,
        live_version=live_version,
        # The next meeting this person is invited to (when, where; running now), on a card.
        meeting=next_meeting(session=db, actor=actor, child_id=child_id),
    )
