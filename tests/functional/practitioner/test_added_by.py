"""The practitioner's plan page marks what the family added, and who added it (co-writing, issue 4).

Safe places, people to call and statements a family member added to the draft carry a badge such as
"Added by Jordan" or "Added by Aunt Dee (trusted adult)"; what the meeting wrote carries none, even
when it is written in the young person's own words.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlmodel import Session

from app.actors import Actor
from app.auth.models import AccountKind
from app.people.models import FamilyMember
from app.people.operations import revoke_family_link
from app.plans import edits, read_model, versions
from app.plans.inputs import ContactInput, PlaceInput
from app.plans.models import Safety
from app.timeutil import today
from tests.factories import people, plans
from tests.factories.cowriting import idea
from tests.factories.people import Case
from tests.support.clients import CsrfClient

ADDED_BY = re.compile(r"Added by [^<]*")
# Lists on the plan page hold no nested lists, so an item ends at the first </li>.
LIST_ITEM = re.compile(r"<li>.*?</li>", re.DOTALL)


@pytest.fixture
def jordan(db: Session, case: Case) -> Case:
    """Jordan's plan as the meeting agreed it (places, people to call, statements, one of them in his
    own words), and since then an idea Jordan added to the draft himself."""
    plans.agreed_plan(
        db,
        case.child,
        PlaceInput(name="Aunt Dee's house", address="14 Larch Close, Millbrook", safety=Safety.SAFE),
        PlaceInput(name="Millbrook Boxing Club", address="Unit 3, Canal Street", safety=Safety.SAFE),
        PlaceInput(name="Station Road underpass", safety=Safety.NOT_SAFE, notes="Older males gather Fri/Sat"),
        ContactInput(name="Mum (Lisa)", relationship="Mum", phone="07700 900123"),
        ContactInput(name="Sam Okafor", relationship="Social worker", phone="01632 960321"),
        plans.statement("text Mum when I leave school and when I get to football", own_words_of=case.young_person),
        plans.statement("be home by 9pm on school nights"),
        by=case.worker,
    )
    idea(db, case.child, "ask Aunt Dee to pick me up from boxing if it's dark", by=case.young_person)
    return case


def _sam(db: Session, jordan: Case) -> Actor:
    return people.actor(jordan.worker)


def _plan_page(worker: CsrfClient, path: str) -> str:
    response = worker.get(path)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _item(page: str, words: str) -> str:
    """The one list item of the plan itself (not the header or the side panel) that holds `words`."""
    plan = page[page.index('id="h-actions"') : page.index('<aside class="aside"')]
    items = [item for item in LIST_ITEM.findall(plan) if words in item]
    assert len(items) == 1, f"{len(items)} list items hold {words!r}"
    return items[0]


def _badges(page: str, words: str) -> list[str]:
    return [badge.strip() for badge in ADDED_BY.findall(_item(page, words))]


def _badges_of(page: str, name: str) -> list[str]:
    """The badges of the place or person to call with this name (names are in bold)."""
    return _badges(page, f"<strong>{name}</strong>")


def _family_adds(young_person: CsrfClient, trusted_adult: CsrfClient, jordan: Case) -> None:
    """Jordan adds a place and a person to call; Aunt Dee (once Jordan lets her) a place and an idea."""
    cid = jordan.child.id
    assert young_person.post(f"/c/{cid}/places", data={"name": "the library on King St"}).status_code == 303
    contact = {"name": "Coach Ray", "phone": "07700 900111", "relationship": "boxing coach"}
    assert young_person.post(f"/c/{cid}/contacts", data=contact).status_code == 303
    assert (
        young_person.post(f"/c/{cid}/sharing", data={f"share-{jordan.trusted_adult.id}-cowrite": "on"}).status_code
        == 303
    )
    assert trusted_adult.post(f"/c/{cid}/places", data={"name": "Dee's allotment"}).status_code == 303
    idea = {"moment": "everyday", "kind": "can", "text": "ring Dee from the bus stop"}
    assert trusted_adult.post(f"/c/{cid}/statements", data=idea).status_code == 303


def test_places_and_contacts_the_family_added_say_who_added_them(
    as_young_person: CsrfClient, as_trusted_adult: CsrfClient, as_worker: CsrfClient, jordan: Case
) -> None:
    _family_adds(as_young_person, as_trusted_adult, jordan)
    page = _plan_page(as_worker, f"/children/{jordan.child.id or 0}")

    assert _badges_of(page, "the library on King St") == ["Added by Jordan"]
    assert _badges_of(page, "Coach Ray") == ["Added by Jordan"]
    assert _badges_of(page, "Dee's allotment") == ["Added by Aunt Dee (trusted adult)"]
    # What the meeting recorded carries no badge, not-safe places included.
    for words in ("Aunt Dee's house", "Millbrook Boxing Club", "Station Road underpass", "Mum (Lisa)", "Sam Okafor"):
        assert _badges_of(page, words) == [], words


def test_statements_say_who_added_them_beside_their_own_words(
    as_young_person: CsrfClient, as_trusted_adult: CsrfClient, as_worker: CsrfClient, jordan: Case
) -> None:
    _family_adds(as_young_person, as_trusted_adult, jordan)
    page = _plan_page(as_worker, f"/children/{jordan.child.id or 0}")

    dees = _item(page, "ring Dee from the bus stop")
    assert _badges(page, "ring Dee from the bus stop") == ["Added by Aunt Dee (trusted adult)"]
    # A trusted adult's words never pass for the young person's.
    assert "Their own words" not in dees
    jordans = _item(page, "ask Aunt Dee to pick me up from boxing")
    assert "Their own words" in jordans and _badges(page, "ask Aunt Dee to pick me up from boxing") == [
        "Added by Jordan"
    ]
    # Written up at the meeting in Jordan's own words (the jordan names him as their writer): they are
    # his words, but he did not add them.
    recorded = _item(page, "text Mum when I leave school")
    assert "Their own words" in recorded and _badges(page, "text Mum when I leave school") == []
    # Written up by the meeting: no badge of either kind.
    meeting = _item(page, "be home by 9pm on school nights")
    assert "Their own words" not in meeting and _badges(page, "be home by 9pm on school nights") == []


def test_the_badge_stays_on_the_agreed_version(
    as_young_person: CsrfClient,
    as_trusted_adult: CsrfClient,
    as_worker: CsrfClient,
    db: Session,
    jordan: Case,
) -> None:
    _family_adds(as_young_person, as_trusted_adult, jordan)
    plan = versions.open_plan_for_child(session=db, child_id=jordan.child.id or 0)
    assert plan is not None
    draft = versions.draft_of(session=db, plan_id=plan.id or 0)
    agreed = versions.agree_draft(
        session=db,
        actor=_sam(db, jordan),
        plan_id=plan.id or 0,
        agreement=versions.Agreement(
            agreed_by="Jordan, Lisa, Dee, Sam",
            agreed_on=today(),
            shared_with="Jordan, Lisa, Dee",
            review_date=today() + timedelta(days=28),
            expected_revision=draft.revision,
        ),
    )
    db.flush()
    page = _plan_page(as_worker, f"/children/{jordan.child.id or 0}/versions/{agreed.number}")
    assert "Agreed versions never change." in page
    assert _badges_of(page, "the library on King St") == ["Added by Jordan"]
    assert _badges_of(page, "Coach Ray") == ["Added by Jordan"]
    assert _badges_of(page, "Dee's allotment") == ["Added by Aunt Dee (trusted adult)"]
    assert _badges_of(page, "Millbrook Boxing Club") == []


def test_the_badge_stays_after_the_adults_link_ends(
    as_young_person: CsrfClient,
    as_trusted_adult: CsrfClient,
    as_worker: CsrfClient,
    db: Session,
    jordan: Case,
) -> None:
    _family_adds(as_young_person, as_trusted_adult, jordan)
    revoke_family_link(
        session=db, actor=_sam(db, jordan), child_id=jordan.child.id or 0, member_id=jordan.trusted_adult.id or 0
    )
    db.flush()
    page = _plan_page(as_worker, f"/children/{jordan.child.id or 0}")
    # Dee no longer sees the plan, but what she added is still marked as hers, not the meeting's.
    assert _badges_of(page, "Dee's allotment") == ["Added by Aunt Dee (trusted adult)"]
    assert _badges(page, "ring Dee from the bus stop") == ["Added by Aunt Dee (trusted adult)"]


def test_a_writer_the_family_links_do_not_name_still_reads_as_family(db: Session, jordan: Case) -> None:
    sam = _sam(db, jordan)
    stranger = FamilyMember(display_name="Someone else")
    db.add(stranger)
    db.flush()
    plan = versions.open_plan_for_child(session=db, child_id=jordan.child.id or 0)
    assert plan is not None
    draft = versions.draft_of(session=db, plan_id=plan.id or 0)
    place = edits.add_item(
        session=db,
        actor=sam,
        version_id=draft.id or 0,
        item=PlaceInput(name="the chippy", safety=Safety.SAFE),
    )
    # As if that person had added it themselves (no link to Jordan lets anyone do that for real).
    place.written_by_member_id = stranger.id  # type: ignore[attr-defined]
    place.created_by = Actor(kind=AccountKind.FAMILY, account_id=stranger.id or 0).label
    db.flush()
    view = read_model.practitioner_plan(session=db, actor=sam, child_id=jordan.child.id or 0)
    assert view.added_by(place) == read_model.FamilyAuthor(name="", role="")
    meeting_place = next(p for p in view.places if p.name == "Millbrook Boxing Club")
    assert view.added_by(meeting_place) is None
    everyday = view.statements["everyday"]
    jordans = next(s for s in everyday["can"] if s.text.startswith("ask Aunt Dee"))
    assert view.added_by(jordans) == read_model.FamilyAuthor(name="Jordan", role="young_person")
    recorded = next(s for s in everyday["will"] if s.text.startswith("text Mum"))
    assert recorded.written_by_member_id == jordan.young_person.id and view.added_by(recorded) is None
