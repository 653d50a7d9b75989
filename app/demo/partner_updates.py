"""PC Hughes's word on how the police's actions for Jordan are going, in the demo (issue 10).

A newcomer opening Jordan's plan as Sam sees a partner's update under the underpass patrols, and
signing in as Rhys sees the same on his own page. Fictional, like everything in the demo.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.actors import Actor
from app.agency_actions.operations import AgencyActionNote, add_update
from app.auth.models import AccountKind
from app.people.models import Agency
from app.plans.models import AgencyAction, AgencyActionKind
from app.plans.versions import open_draft

UNDERPASS_UPDATES = (
    "Patrolled the underpass on Friday 20 and Saturday 21 November. The older group was not there either night.",
    "Intelligence submitted on two cars seen collecting boys at the retail park; shared with Community Safety.",
)


def add_rhys_updates(session: Session, *, rhys_id: int, child_id: int) -> None:
    """Rhys's updates on the police's patrol action in Jordan's working draft, oldest first."""
    draft = open_draft(session=session, child_id=child_id)
    patrol = session.exec(
        select(AgencyAction).where(
            AgencyAction.version_id == draft.id,
            AgencyAction.agency == Agency.POLICE,
            AgencyAction.kind == AgencyActionKind.PREVENT_DISRUPT,
        )
    ).one()
    rhys = Actor(kind=AccountKind.PRACTITIONER, account_id=rhys_id)
    for words in UNDERPASS_UPDATES:
        add_update(
            session=session,
            actor=rhys,
            child_id=child_id,
            action_id=patrol.id or 0,
            update=AgencyActionNote.parse({"note": words}),
        )
