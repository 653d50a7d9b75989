"""The young person's (or a parent's or trusted adult's) plan page, put together from its parts.

The page is the plan as this person may see it (app.plans.read_model), what's new since they last
looked (app.whats_new), carers' progress on their commitments (app.commitments) and the new ideas
since the meeting (app.cowriting). Feature views that answer a plain form post with the whole page
(rather than an htmx part) render it through `plan_page`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from flask import Response, make_response, render_template
from flask_login import current_user
from sqlalchemy import BindParameter, Boolean, and_, bindparam

from app.actors import Actor
from app.commitments.editor import CommitmentEditor
from app.commitments.queries import with_progress
from app.cowriting.editor import KINDS, Editor
from app.cowriting.queries import new_ideas
from app.db import request_session
from app.db_reads import SideBySide, side_by_side, side_by_side_first, table_of
from app.errors import NotFound
from app.incidents.queries import review_on
from app.meetings.models import Meeting, MeetingPerson
from app.meetings.queries import FamilyMeeting, family_meeting, invited_place
from app.people.models import Child, FamilyMember
from app.plans.read_model import family_lists, family_view
from app.plans.reading import IDEA_LISTS, PlanReading, read_plan
from app.web.conditional import not_modified, page_etag, tagged
from app.whats_new.models import PlanSeen
from app.whats_new.operations import bookmark_on, changes_to_show, record_look_from

# The forms the new-ideas part opens on request (?add=...), and the field each one starts on.
OPENING_FIELDS = {"idea": "new-text", "place": "new-place-name", "contact": "new-contact-name"}
# Status codes a plain form post comes back with (?done=...): a code, never any of the plan's words.
IDEA_DONE_CODES = frozenset({"added", "saved", "removed", "moved"})
COMMITMENT_DONE_CODES = frozenset({"marked", "undone", "commented", "uncommented"})
# What the page uses besides "plan.read": recorded in the one audit row of each view.
PAGE_PERMISSIONS = ("meeting.take_part",)
assert set(OPENING_FIELDS) == set(KINDS)  # noqa: S101 - a form for every kind of addition


def opened_form(args: Mapping[str, str]) -> Editor:
    """?add=<form> opens that form (focus on its first field); ?back=<form> closed it (focus on its button)."""
    opened, closed = args.get("add", ""), args.get("back", "")
    if opened in OPENING_FIELDS:
        return Editor(open=opened, focus=OPENING_FIELDS[opened])
    if closed in OPENING_FIELDS:
        return Editor(focus=f"open-{closed}")
    return Editor()


def _editors(args: Mapping[str, str]) -> tuple[Editor, CommitmentEditor | None]:
    done = args.get("done", "")
    editor = opened_form(args)
    if done in IDEA_DONE_CODES:
        editor = replace(editor, done=done)
    return editor, CommitmentEditor(done=done) if done in COMMITMENT_DONE_CODES else None


def plan_page_after(child_id: int, args: Mapping[str, str]) -> str:
    """The plan page as a link or a redirect asked for it: a form opened (?add=), a status (?done=)."""
    editor, commitment_editor = _editors(args)
    return plan_page(child_id, editor=editor, commitment_editor=commitment_editor)


def plan_page_answer(child_id: int, args: Mapping[str, str]) -> Response:
    """A GET of the plan page: 304 when the caller (the offline copy) holds this very page, else the page.

    The 304 is decided after the access check, so it is audited as a read: the person looked at
    the plan again (and their "what's new" bookmark moves as on any look). It costs the reading's
    few statements but no lists, no rendering and almost no bytes (app.web.conditional).
    """
    editor, commitment_editor = _editors(args)
    parts = _PagePlan.read(child_id)
    etag = page_etag(parts.actor.label, parts.actor.session_id, parts.etag_parts())
    answer = not_modified(etag)
    if answer is not None:
        return answer
    return tagged(make_response(parts.render(editor, commitment_editor)), etag)


def plan_page(child_id: int, *, editor: Editor | None = None, commitment_editor: CommitmentEditor | None = None) -> str:
    """The plan page, with the new-ideas part in the state `editor` describes (see app.cowriting.views)."""
    return _PagePlan.read(child_id).render(editor or Editor(), commitment_editor)


@dataclass
class _PagePlan:
    """What the page is made from, read once: the plan (access decided and audited once), the
    reader's "what's new" bookmark after this look, and the next meeting they are invited to."""

    actor: Actor
    member: FamilyMember
    reading: PlanReading
    bookmark: PlanSeen | None
    meeting: FamilyMeeting | None
    # The review date as it stands: the version's own, or sooner if an incident brought it forward.
    review_on: date | None

    @classmethod
    def read(cls, child_id: int) -> _PagePlan:
        db, actor = request_session(), current_user.actor
        # One audited decision for everything the page shows (the plan, the new ideas, the next
        # meeting), and the plan and its versions read once (app.plans.reading).
        reading = read_plan(session=db, actor=actor, child_id=child_id, permission="plan.read", also=PAGE_PERMISSIONS)
        if not reading.access.is_family:
            raise NotFound()
        # A review an incident brought forward shows as the review date (nothing about the incident does).
        review = review_on(db, reading.family_version, reading)
        # Opening the plan is "looking at it": what changed since the last look (a moved review date
        # included) is shown until "Got it".
        # The reader's bookmark and next meeting, read together: one row (the child's), a part None
        # where they have no bookmark yet or are invited to no meeting.
        with_meeting = reading.access.holds("meeting.take_part")
        params = {"child_id": child_id, "member_id": actor.account_id, "with_meeting": with_meeting}
        found = side_by_side_first(db, _bookmark_and_meeting(), params)
        bookmark_row, meeting_row, me = found or (None, None, None)
        version = reading.family_version
        bookmark = record_look_from(
            session=db, actor=actor, child_id=child_id, version=version, review_on=review, row=bookmark_row
        )
        meeting = family_meeting(reading.access, meeting_row, me)
        member = current_user.member
        return cls(actor=actor, member=member, reading=reading, bookmark=bookmark, meeting=meeting, review_on=review)

    def etag_parts(self) -> tuple[object, ...]:
        """Everything that makes this page differ (app.web.conditional adds the reader's session,
        CSRF secret, language and path): the plan's revision (its draft and agreed version, and
        the live count every change to its rows, sharing, links, progress and meetings moves),
        the reader, their sharing, their settings, their bookmark and their next meeting."""
        reading, access, member = self.reading, self.reading.access, self.member
        link = access.family_link
        agreed = reading.agreed
        return (
            reading.live_version,
            # An incident brings the review forward by moving the plan's revision (app.incidents).
            reading.plan.revision,
            (reading.draft.id, reading.draft.revision),
            (agreed.id, agreed.revision) if agreed else None,
            access.relation,
            (link.id, link.role, link.relationship, link.revision) if link else None,
            sorted(access.sections),
            (member.display_name, member.easy_read, member.language),
            _bookmark_parts(self.bookmark),
            _meeting_parts(self.meeting),
        )

    def render(self, editor: Editor, commitment_editor: CommitmentEditor | None) -> str:
        db, reading = request_session(), self.reading
        shown = reading.family_version
        # The lists of the version shown (as far as they are shared), and those the new ideas compare.
        reading.load([(shown.id, family_lists(reading.access)), (shown.id, IDEA_LISTS), (reading.draft.id, IDEA_LISTS)])
        view = with_progress(session=db, view=family_view(reading), reading=reading)
        view.review_date = self.review_on
        template = "family/plan.html" if view.access.is_young_person else "family/carer_plan.html"
        return render_template(
            template,
            view=view,
            link=reading.access.family_link,
            member=self.member,
            ideas=new_ideas(reading, self.actor),
            editor=editor,
            commitment_editor=commitment_editor or CommitmentEditor(),
            whats_new=changes_to_show(
                session=db,
                bookmark=self.bookmark,
                version=view.version,
                sections=view.sections,
                review_on=self.review_on,
            ),
            # The count of changes the page shows: its live stream says at once if the plan moved on since.
            live_version=reading.live_version,
            # The next meeting this person is invited to (when, where; running now), on a card.
            meeting=self.meeting,
        )


@cache
def _bookmark_and_meeting() -> SideBySide:
    """The reader's "what's new" bookmark and their place in the next meeting they are invited to,
    read in one statement: one round trip rather than two (about 1% of the page on PostgreSQL).
    The conditions are the two features' own (app.whats_new, app.meetings), joined to the child;
    the meeting is read only for a reader the page's decision lets take part (`with_meeting`).
    Built once (its SQL compiled once)."""
    child, seen = table_of(Child), table_of(PlanSeen)
    person, meeting = table_of(MeetingPerson), table_of(Meeting)
    child_id: BindParameter[int] = bindparam("child_id")
    member_id: BindParameter[int] = bindparam("member_id")
    with_meeting = bindparam("with_meeting", type_=Boolean)
    return side_by_side(
        (PlanSeen, Meeting, MeetingPerson),
        lambda statement: (
            statement.select_from(child)
            .outerjoin(seen, bookmark_on(child_id, member_id))
            .outerjoin(person, and_(with_meeting, person.c.id == invited_place(child_id, member_id)))
            .outerjoin(meeting, meeting.c.id == person.c.meeting_id)
            .where(child.c.id == child_id)
        ),
    )


def _bookmark_parts(bookmark: PlanSeen | None) -> tuple[object, ...] | None:
    """The "what's new" card's inputs: the versions it compares and a review date it says moved."""
    if bookmark is None:
        return None
    return (bookmark.version_id, bookmark.changes_since_version_id, bookmark.review_on, bookmark.review_moved_from)


def _meeting_parts(meeting: FamilyMeeting | None) -> tuple[object, ...] | None:
    """The meeting card's inputs: the meeting (its plan channel moves) and this person's row in it
    (which moves only the meeting's channel, so its revision is named here)."""
    if meeting is None:
        return None
    me = meeting.me
    return (meeting.meeting.id, meeting.meeting.revision, me.id if me else None, me.revision if me else None)
