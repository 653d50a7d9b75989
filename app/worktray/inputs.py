"""The work tray's filters and sorting: plain GET parameters, checked against the known values.

A filter is a link someone may have kept or typed: an unknown value is set aside with a message
(the page still answers), never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.inputs import parse_id
from app.people.models import CaseRole
from app.plans.models import MeetingType

PAGE_SIZE = 50
# A manager's team caseload: the cases they hold no part in themselves.
TEAM = "team"
ROLES = (*(r.value for r in CaseRole), TEAM)
MEETING_TYPES = tuple(m.value for m in MeetingType)
# Names are encrypted at rest, so the database cannot order by them: the tray sorts by dates.
SORTS = ("review", "meeting")
# Reviews due (the API's /reviews): late ones, those due within the week (today included), or every one.
REVIEW_OVERDUE, REVIEW_DUE_SOON, REVIEW_ANY = "overdue", "due_soon", "all"


@dataclass(frozen=True)
class TrayFilters:
    role: str = ""
    overdue_only: bool = False
    meeting_type: str = ""
    sort: str = "review"
    page: int = 1
    # Only cases whose review is REVIEW_OVERDUE, REVIEW_DUE_SOON or (REVIEW_ANY) set at all; "" for every case.
    review: str = ""
    # What was set aside, in words for the person (one sentence each).
    ignored: list[str] = field(default_factory=list)

    def query(self, **changes: object) -> dict[str, object]:
        """These filters as GET parameters (for links to another page or sort), defaults left out."""
        values: dict[str, object] = {
            "role": self.role,
            "overdue": "1" if self.overdue_only else "",
            "meeting_type": self.meeting_type,
            "sort": "" if self.sort == "review" else self.sort,
            "page": self.page if self.page > 1 else "",
        }
        values.update(changes)
        if values["page"] == 1:
            values["page"] = ""
        return {name: value for name, value in values.items() if value != ""}


def parse_filters(args: MultiDict[str, str]) -> TrayFilters:
    """The filters asked for, each unknown value dropped with a sentence saying so."""
    ignored: list[str] = []
    role = args.get("role", "")[:40]
    if role not in ("", *ROLES):
        ignored.append(_("The role asked for is not one we know, so all roles are shown."))
        role = ""
    meeting_type = args.get("meeting_type", "")[:40]
    if meeting_type not in ("", *MEETING_TYPES):
        ignored.append(_("The meeting type asked for is not one we know, so all meeting types are shown."))
        meeting_type = ""
    overdue = args.get("overdue", "")[:10]
    if overdue not in ("", "1"):
        ignored.append(_("The overdue filter was not understood, so all cases are shown."))
        overdue = ""
    sort = args.get("sort", "") or "review"
    if sort not in SORTS:
        ignored.append(_("The sort order asked for is not one we know, so the soonest review comes first."))
        sort = "review"
    raw_page = args.get("page", "")
    page = parse_id(raw_page) if raw_page else 1
    if page is None or page < 1:
        ignored.append(_("The page asked for is not a page number, so the first page is shown."))
        page = 1
    return TrayFilters(
        role=role, overdue_only=overdue == "1", meeting_type=meeting_type, sort=sort, page=page, ignored=ignored
    )
