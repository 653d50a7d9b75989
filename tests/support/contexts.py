"""A contexts map to read: a peer group mapped with Jordan, Kay and a described member; an unsafe
place and a not-safe person in the young people's plans; a person of concern sent to the Hub.

Hana of the Hub (tests.support.hub) is put on both young people's case teams, so she may link
them both as members; Morgan, the demo's manager, reads Jordan (his team's case) but not Kay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.demo.seed import DemoPeople
from app.hub.models import HubEnquiry
from app.mapping.inputs import MemberInput
from app.mapping.models import MappingMeeting
from app.mapping.operations import add_member
from app.people.inputs import AssignmentInput
from app.people.models import CaseRole
from app.people.operations import assign_practitioner
from app.plans import edits, versions
from app.plans.inputs import NetworkPersonInput, PlaceInput
from tests.support.concerns import actor_for
from tests.support.hub import add_hub_worker
from tests.support.roles import practitioner_id
from tests.support.themes import peer_group_mapping, persons_concern_enquiry


@dataclass(frozen=True)
class ContextsWorld:
    hana_id: int
    mapping: MappingMeeting
    enquiry: HubEnquiry


def _add_to_draft(db: Session, worker_id: int, child_id: int, item: PlaceInput | NetworkPersonInput) -> None:
    plan = versions.open_plan_for_child(session=db, child_id=child_id)
    assert plan is not None
    draft = versions.draft_of(session=db, plan_id=plan.id or 0)
    edits.add_item(session=db, actor=actor_for(worker_id), version_id=draft.id or 0, item=item)


def contexts_world(
    db: Session,
    demo: DemoPeople,
    *,
    person: str = "A man in a grey van outside the school",
    described: str = "Older lad called T, about 17",
) -> ContextsWorld:
    hana = add_hub_worker(db, demo)
    hana_id = hana.id or 0
    for child_id in (demo.jordan_id, demo.kayla_id):
        assign_practitioner(
            session=db,
            child_id=child_id,
            assignment=AssignmentInput(practitioner_id=hana_id, case_role=CaseRole.TEAM_MEMBER),
        )
    sam = practitioner_id(db, demo.social_worker_email)
    alex = practitioner_id(db, demo.other_worker_email)
    mapping = peer_group_mapping(db, sam, date(2026, 12, 1), name="the Eastgate lot")
    for member in (
        MemberInput(child_id=demo.jordan_id),
        MemberInput(child_id=demo.kayla_id),
        MemberInput(description=described),
    ):
        add_member(session=db, actor=actor_for(hana_id), mapping_id=mapping.id or 0, member=member)
    _add_to_draft(db, sam, demo.jordan_id, PlaceInput(name="the underpass", safety="not_safe"))
    _add_to_draft(db, alex, demo.kayla_id, PlaceInput(name="The  Underpass", safety="not_safe"))
    _add_to_draft(db, sam, demo.jordan_id, PlaceInput(name="the library", safety="safe"))
    _add_to_draft(db, sam, demo.jordan_id, NetworkPersonInput(name="Big T", safety="not_safe"))
    enquiry = persons_concern_enquiry(db, sam, date(2026, 12, 2), text=person)
    db.commit()
    return ContextsWorld(hana_id=hana_id, mapping=mapping, enquiry=enquiry)
