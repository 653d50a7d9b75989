"""A trusted adult facilitating a Safer Me meeting, from the family door (issue 9, item 4).

The same pages and views as the practitioner's (app.meetings.practitioner_views and run_views),
at the family door's addresses: the people and attendance, the consent statement, opening it,
the agenda with its notes, and the agreement. The views ask the policy for
"meeting.facilitate_as_family" when a family member reads them, and app.meetings.queries lets
them reach only the meeting they were nominated to facilitate: never another meeting, the plan's
sections or the meeting record the practitioners print. Scheduling stays with practitioners.
"""

from __future__ import annotations

from flask import Blueprint
from flask.typing import RouteCallable

from app.meetings import practitioner_views as meeting_pages
from app.meetings import run_views

blueprint = Blueprint("family_facilitation", __name__)

MEETING = "/c/<int:child_id>/meetings/<int:meeting_id>"
# endpoint: (what follows the meeting's address, methods, view); endpoints as on the practitioner
# door, so the shared templates' relative links (url_for('.run', ...)) work on both doors.
ROUTES: dict[str, tuple[str, list[str], RouteCallable]] = {
    "meeting": ("", ["GET"], meeting_pages.meeting),
    "invite_guest": ("/guests", ["POST"], meeting_pages.invite_guest),
    "attendance": ("/people/<int:person_id>/attendance", ["POST"], meeting_pages.attendance),
    "consent": ("/consent", ["POST"], meeting_pages.consent),
    "open_meeting": ("/open", ["POST"], meeting_pages.open_meeting),
    "cancel": ("/cancel", ["GET", "POST"], meeting_pages.cancel),
    "live": ("/live", ["GET"], meeting_pages.live),
    "run": ("/run", ["GET"], run_views.run),
    "move": ("/move", ["POST"], run_views.move),
    "note": ("/notes", ["POST"], run_views.note),
    "agreement": ("/agreement", ["GET", "POST"], run_views.agreement),
    "record_agreement": ("/people/<int:person_id>/agreed", ["POST"], run_views.record_agreement),
}

for endpoint, (suffix, methods, view) in ROUTES.items():
    blueprint.add_url_rule(MEETING + suffix, endpoint, view, methods=methods)
