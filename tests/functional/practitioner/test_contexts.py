"""Issue 12 item 7, the contexts map: peer groups and places of concern, persons of concern, and
places and people marked unsafe in plans, each linked to the young people and meetings they touch;
only the young people the reader may read are named; only managers and the Hub open it; every
read (the map, and each young person named on it) is audited."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from app import SaferPlan
from app.audit.models import AuditEvent, AuditKind
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from tests.support.clients import CsrfClient, make_client
from tests.support.conferences import conference_opened
from tests.support.contexts import ContextsWorld, contexts_world
from tests.support.roles import practitioner_id
from tests.support.signin import sign_in_as


@pytest.fixture
def world(db: Session, demo: DemoPeople) -> ContextsWorld:
    return contexts_world(db, demo)


@pytest.fixture
def hana(application: SaferPlan, db: Session, world: ContextsWorld) -> CsrfClient:
    client = make_client(application.practitioner)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=world.hana_id)
    return client


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("<h2", start + 1)
    return page[start : end if end > 0 else len(page)]


def test_the_hub_sees_each_context_with_the_children_and_meetings_it_touches(
    hana: CsrfClient, world: ContextsWorld, demo: DemoPeople
) -> None:
    answer = hana.get("/contexts")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Cache-Control"].startswith("no-store")
    assert "If a child is in immediate danger call 999" in page
    groups = _section(page, "groups-heading")
    assert "the Eastgate lot" in groups and "Older lad called T, about 17" in groups
    assert f'href="/children/{demo.jordan_id}">Jordan Ellis</a>' in groups
    assert f'href="/children/{demo.kayla_id}">Kayla Brooks</a>' in groups
    assert f'href="/mapping/{world.mapping.id}">Mapping meeting due 15 December 2026</a>' in groups
    persons = _section(page, "persons-heading")
    assert "A man in a grey van outside the school" in persons
    assert f'href="/hub/enquiries/{world.enquiry.id}">Enquiry received 2 December 2026</a>' in persons
    # The same place written two ways in two plans is one row, linked to both young people.
    places = _section(page, "places-heading")
    underpass = [row for row in places.split("<tr>") if ">the underpass</th>" in row]
    assert len(underpass) == 1 and "Jordan Ellis</a>, <a" in underpass[0] and "Kayla Brooks</a>" in underpass[0]
    assert "The  Underpass" not in places and "the library" not in places  # a safe place is not on the map
    people = _section(page, "people-heading")
    assert "Big T" in people and "Jordan Ellis" in people


def test_a_manager_sees_only_the_young_people_he_may_read_and_no_link_he_may_not_follow(
    manager: CsrfClient, world: ContextsWorld, demo: DemoPeople
) -> None:
    page = manager.get("/contexts").get_data(as_text=True)
    assert "Kayla" not in page and "Brooks" not in page
    assert "and 1 other young person not on your cases" in page
    assert f'href="/children/{demo.jordan_id}">Jordan Ellis</a>' in page
    # Mapping meetings are the Hub's, enquiries too: named and dated, not linked.
    assert "Mapping meeting due 15 December 2026" in page and "/mapping/" not in page
    assert "Enquiry received 2 December 2026" in page and "/hub/" not in page
    places = _section(page, "places-heading")
    assert "the underpass" in places and "Kayla" not in places


def test_only_managers_and_the_hub_open_the_map(
    manager: CsrfClient,
    hana: CsrfClient,
    allocated_worker: CsrfClient,
    unallocated_worker: CsrfClient,
    admin: CsrfClient,
) -> None:
    assert "Contexts</a>" in manager.get("/caseload").get_data(as_text=True)
    assert "Contexts</a>" in hana.get("/caseload").get_data(as_text=True)
    for client in (allocated_worker, unallocated_worker, admin):
        assert client.get("/contexts").status_code == 404
        assert "Contexts</a>" not in client.get("/caseload").get_data(as_text=True)


def test_the_map_and_each_young_person_on_it_are_audited_reads(
    manager: CsrfClient, allocated_worker: CsrfClient, world: ContextsWorld, db: Session, demo: DemoPeople
) -> None:
    before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
    assert manager.get("/contexts").status_code == 200
    assert allocated_worker.get("/contexts").status_code == 404
    events = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before)).all()
    reads = {(e.action, e.child_id, e.kind) for e in events}
    assert ("contexts.read", None, AuditKind.READ) in reads
    assert ("contexts.read", None, AuditKind.DENIED) in reads
    assert ("plan.read_full", demo.jordan_id, AuditKind.READ) in reads
    # Kay is not named on Morgan's map, so nothing of hers was read.
    assert not any(e.child_id == demo.kayla_id for e in events)


def test_a_peer_groups_context_conference_is_on_the_map_with_its_date_for_those_who_open_conferences(
    hana: CsrfClient, manager: CsrfClient, db: Session, world: ContextsWorld, demo: DemoPeople
) -> None:
    sam = practitioner_id(db, demo.social_worker_email)
    conference = conference_opened(db, sam, world.hana_id, name="the Northgate lot")
    link = (
        f'<a href="/conferences/{conference.id}">Peer group context conference</a>'
        f" ({conference.due_on.day} {conference.due_on:%B %Y})"
    )
    groups = _section(hana.get("/contexts").get_data(as_text=True), "groups-heading")
    northgate = groups[groups.index("the Northgate lot") :]
    assert link in northgate
    # The manager chairs conferences too: the same link; the conference's record stays on its own page.
    assert link in _section(manager.get("/contexts").get_data(as_text=True), "groups-heading")
