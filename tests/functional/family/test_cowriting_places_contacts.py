"""Co-writing safe places and people to call (issue 4).

The young person (and a trusted adult once the young person shares "cowrite") adds a safe place or
someone they would call to the draft, and takes out only the ones they added, after a confirm step.
A place family add is always "safe" (R4, R5).
"""

from __future__ import annotations

import html

import pytest
from sqlmodel import Session, col, select

from app.actors import Actor
from app.audit.models import AuditEvent
from app.auth.models import AccountKind
from app.cowriting import operations as cowriting
from app.cowriting import queries as cowriting_queries
from app.cowriting.inputs import PersonToCallInput, SafePlaceInput
from app.errors import NotFound, ValidationFailed
from app.plans import versions
from app.plans.inputs import ContactInput, PlaceInput
from app.plans.models import EmergencyContact, Place, Safety
from tests.factories import plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient

HTMX = {"HX-Request": "true", "HX-Target": "new-ideas-body"}


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's plan as the meeting agreed it, with a safe place and someone to call already in it."""
    return plans.agreed_plan(
        db,
        case.child,
        PlaceInput(name="Aunt Dee's house", address="14 Larch Close, Millbrook", safety=Safety.SAFE),
        ContactInput(name="Mum (Lisa)", relationship="Mum", phone="07700 900123"),
        by=case.worker,
    )


def _jordan(case: Case) -> Actor:
    return Actor(kind=AccountKind.FAMILY, account_id=case.young_person_id)


def _place(db: Session, name: str) -> Place | None:
    # Names are encrypted at rest, so they are compared here, not in SQL.
    db.expire_all()
    rows = db.exec(select(Place).order_by(col(Place.id).desc())).all()
    return next((row for row in rows if row.name == name), None)


def _contact(db: Session, name: str) -> EmergencyContact | None:
    db.expire_all()
    rows = db.exec(select(EmergencyContact).order_by(col(EmergencyContact.id).desc())).all()
    return next((row for row in rows if row.name == name), None)


def _draft_id(db: Session, case: Case) -> int:
    plan = versions.open_plan_for_child(session=db, child_id=case.child_id)
    assert plan is not None
    return versions.draft_of(session=db, plan_id=plan.id or 0).id or 0


def _new_ideas_part(page: str) -> str:
    start = page.index('id="new-ideas"')
    return html.unescape(page[start : page.index("</section>", start)])


def _share_cowrite(as_young_person: CsrfClient, case: Case, *more: str) -> None:
    data = {f"share-{case.trusted_adult_id}-cowrite": "on"}
    data.update({f"share-{case.trusted_adult_id}-{section}": "on" for section in more})
    assert as_young_person.post(f"/c/{case.child_id}/sharing", data=data).status_code == 303


def _add_place(client: CsrfClient, case: Case, name: str, *, htmx: bool = False, **extra: str):  # type: ignore[no-untyped-def]
    data = {"name": name, "notes": "", **extra}
    return client.post(f"/c/{case.child_id}/places", data=data, headers=HTMX if htmx else {})


def _add_contact(client: CsrfClient, case: Case, name: str, phone: str, *, htmx: bool = False, **extra: str):  # type: ignore[no-untyped-def]
    data = {"name": name, "phone": phone, **extra}
    return client.post(f"/c/{case.child_id}/contacts", data=data, headers=HTMX if htmx else {})


# --- Adding -------------------------------------------------------------------------------------


def test_the_young_person_adds_a_safe_place(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    response = _add_place(as_young_person, case, "  the library on King St  ", notes="quiet, and staff know me")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/c/{case.child_id}?done=added#new-ideas")
    assert "HX-Request" in response.headers["Vary"]
    place = _place(db, "the library on King St")
    assert place is not None
    assert place.safety == Safety.SAFE and place.written_by_member_id == case.young_person_id
    assert place.notes == "quiet, and staff know me" and place.version_id == _draft_id(db, case)
    page = as_young_person.get(f"/c/{case.child_id}?done=added").get_data(as_text=True)
    ideas = _new_ideas_part(page)
    assert "Added to your new ideas." in page
    assert "the library on King St" in ideas and "My words" in ideas


def test_the_young_person_adds_someone_to_call_with_htmx(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    response = _add_contact(
        as_young_person, case, "Coach Ray", "+44 7700 900123", relationship="boxing coach", htmx=True
    )
    assert response.status_code == 200
    body = html.unescape(response.get_data(as_text=True))
    assert "<html" not in body and "Coach Ray (boxing coach)" in body and "+44 7700 900123" in body
    assert 'hx-swap-oob="innerHTML"' in body and "Added to your new ideas." in body
    assert "HX-Request" in response.headers["Vary"]
    contact = _contact(db, "Coach Ray")
    assert contact is not None and contact.written_by_member_id == case.young_person_id
    assert contact.phone == "+44 7700 900123" and contact.relationship == "boxing coach"


def test_validation_errors_keep_what_was_typed(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    response = _add_contact(as_young_person, case, "Gran <3", "call me maybe", relationship="my gran")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Write a phone number using numbers and spaces" in page
    assert 'value="Gran <3"' in page and 'value="call me maybe"' in page and 'value="my gran"' in page
    assert 'aria-invalid="true" aria-describedby="new-contact-phone-error"' in page
    assert _contact(db, "Gran <3") is None

    for phone in ("123", "0" * 21, "07700-900123", "++447700900123", ""):
        assert _add_contact(as_young_person, case, "Gran", phone).status_code == 422, phone
    assert _contact(db, "Gran") is None

    response = _add_place(as_young_person, case, "   ", notes="my notes stay", htmx=True)
    assert response.status_code == 422
    body = html.unescape(response.get_data(as_text=True))
    assert "Write a name first." in body and "my notes stay" in body
    assert "Not saved yet" in body


def test_r5_safety_and_owner_in_the_form_are_ignored(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    response = _add_place(
        as_young_person,
        case,
        "the park by the flats",
        safety=Safety.NOT_SAFE,
        written_by_member_id=str(case.trusted_adult_id),
        version_id="1",
    )
    assert response.status_code == 303
    place = _place(db, "the park by the flats")
    assert place is not None
    assert place.safety == Safety.SAFE
    assert place.written_by_member_id == case.young_person_id and place.version_id == _draft_id(db, case)
    _add_contact(as_young_person, case, "Coach Ray", "07700 900123", written_by_member_id=str(case.parent_id))
    contact = _contact(db, "Coach Ray")
    assert contact is not None and contact.written_by_member_id == case.young_person_id


def test_family_never_see_a_not_safe_place_among_the_new_ideas(db: Session, case: Case) -> None:
    jordan = _jordan(case)
    place = cowriting.add_place(
        session=db, actor=jordan, child_id=case.child_id, place=SafePlaceInput.parse({"name": "the rec"})
    )
    place.safety = Safety.NOT_SAFE  # as if a practitioner flagged it afterwards
    db.flush()
    ideas = cowriting_queries.new_ideas_since_agreed(session=db, actor=jordan, child_id=case.child_id)
    assert all(p.item.id != place.id for p in ideas.places)
    # Nor can it be taken out (or even found) through co-writing.
    with pytest.raises(NotFound):
        cowriting.own_draft_item(session=db, actor=jordan, child_id=case.child_id, model=Place, item_id=place.id or 0)


# --- Taking out ---------------------------------------------------------------------------------


def test_taking_out_asks_first_then_takes_it_out(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    _add_place(as_young_person, case, "Aunt Dee's flat")
    place = _place(db, "Aunt Dee's flat")
    assert place is not None
    url = f"/c/{case.child_id}/places/{place.id}/delete"
    ask = as_young_person.get(url)
    assert ask.status_code == 200
    page = html.unescape(ask.get_data(as_text=True))
    assert "Take this place out of your plan?" in page and f'id="keep-place-{place.id}"' in page
    assert _place(db, "Aunt Dee's flat") is not None  # asking changes nothing
    assert as_young_person.post(url, data={"revision": str(place.revision + 1)}).status_code == 409
    assert _place(db, "Aunt Dee's flat") is not None
    done = as_young_person.post(url, data={"revision": str(place.revision)})
    assert done.status_code == 303 and done.headers["Location"].endswith("?done=removed#new-ideas")
    assert _place(db, "Aunt Dee's flat") is None

    _add_contact(as_young_person, case, "Coach Ray", "07700 900123")
    contact = _contact(db, "Coach Ray")
    assert contact is not None
    url = f"/c/{case.child_id}/contacts/{contact.id}/delete"
    ask = as_young_person.get(url, headers=HTMX)
    assert ask.status_code == 200 and "Take this person out of your plan?" in ask.get_data(as_text=True)
    done = as_young_person.post(url, data={"revision": str(contact.revision)}, headers=HTMX)
    assert done.status_code == 200 and "Taken out." in done.get_data(as_text=True)
    assert _contact(db, "Coach Ray") is None
    actions = db.exec(
        select(AuditEvent.entity, AuditEvent.action).where(col(AuditEvent.entity).in_(["place", "emergency_contact"]))
    ).all()
    assert set(actions) >= {
        ("place", "created"),
        ("place", "deleted"),
        ("emergency_contact", "created"),
        ("emergency_contact", "deleted"),
    }


def test_only_ones_own_can_be_taken_out(
    as_young_person: CsrfClient, as_trusted_adult: CsrfClient, db: Session, case: Case
) -> None:
    # The places and contacts from the meeting are not the young person's to take out.
    draft_id = _draft_id(db, case)
    meeting_place = db.exec(select(Place).where(Place.version_id == draft_id, Place.safety == Safety.SAFE)).first()
    meeting_contact = db.exec(select(EmergencyContact).where(EmergencyContact.version_id == draft_id)).first()
    assert meeting_place is not None and meeting_contact is not None
    for url, revision in (
        (f"/c/{case.child_id}/places/{meeting_place.id}/delete", meeting_place.revision),
        (f"/c/{case.child_id}/contacts/{meeting_contact.id}/delete", meeting_contact.revision),
    ):
        assert as_young_person.get(url).status_code == 404
        assert as_young_person.post(url, data={"revision": str(revision)}).status_code == 404
    # Dee's place is Dee's: Jordan sees it as hers, and cannot take it out.
    _share_cowrite(as_young_person, case)
    assert _add_place(as_trusted_adult, case, "Dee's car").status_code == 303
    dees = _place(db, "Dee's car")
    assert dees is not None and dees.written_by_member_id == case.trusted_adult_id
    url = f"/c/{case.child_id}/places/{dees.id}/delete"
    assert as_young_person.post(url, data={"revision": str(dees.revision)}).status_code == 404
    ideas = _new_ideas_part(as_young_person.get(f"/c/{case.child_id}").get_data(as_text=True))
    assert "Dee's car" in ideas and "Aunt Dee's words" in ideas
    assert _place(db, "Dee's car") is not None
    assert as_trusted_adult.post(url, data={"revision": str(dees.revision)}).status_code == 303
    assert _place(db, "Dee's car") is None


def test_a_parent_cannot_add_or_take_out(
    as_young_person: CsrfClient, as_parent: CsrfClient, db: Session, case: Case
) -> None:
    assert _add_place(as_parent, case, "his room").status_code == 404
    assert _add_contact(as_parent, case, "Mum", "07700 900001").status_code == 404
    assert _place(db, "his room") is None and _contact(db, "Mum") is None
    _add_place(as_young_person, case, "the library")
    place = _place(db, "the library")
    assert place is not None
    url = f"/c/{case.child_id}/places/{place.id}/delete"
    assert as_parent.get(url).status_code == 404
    assert as_parent.post(url, data={"revision": str(place.revision)}).status_code == 404
    assert _place(db, "the library") is not None
    # No buttons to open the forms, and asking for them by address opens nothing.
    page = as_parent.get(f"/c/{case.child_id}").get_data(as_text=True)
    assert "Add a safe place" not in page and "Add someone to call" not in page
    for form, heading in (("place", "Add a place where you feel safe"), ("contact", "Add someone you would call")):
        assert heading not in as_parent.get(f"/c/{case.child_id}?add={form}").get_data(as_text=True)
    denials = db.exec(
        select(AuditEvent).where(AuditEvent.action == "statements.cowrite", AuditEvent.kind == "denied")
    ).all()
    assert denials


def test_a_trusted_adult_adds_only_after_jordan_shares_cowrite(
    as_young_person: CsrfClient, as_trusted_adult: CsrfClient, db: Session, case: Case
) -> None:
    assert _add_place(as_trusted_adult, case, "my flat").status_code == 404
    assert _add_contact(as_trusted_adult, case, "Dee", "07700 900222").status_code == 404
    assert "Add a safe place" not in as_trusted_adult.get(f"/c/{case.child_id}").get_data(as_text=True)
    assert "Add a place where you feel safe" not in as_trusted_adult.get(f"/c/{case.child_id}?add=place").get_data(
        as_text=True
    )
    _share_cowrite(as_young_person, case)
    page = as_trusted_adult.get(f"/c/{case.child_id}").get_data(as_text=True)
    assert "Add a safe place" in page and "Add someone to call" in page
    # Each button opens its form (a link without JavaScript; htmx swaps the same part in place).
    assert "Add a place where you feel safe" in as_trusted_adult.get(f"/c/{case.child_id}?add=place").get_data(
        as_text=True
    )
    opened = as_trusted_adult.get(f"/c/{case.child_id}/statements?add=contact", headers={"HX-Request": "true"})
    assert opened.status_code == 200 and "Add someone you would call" in opened.get_data(as_text=True)
    assert 'id="new-contact-name"' in opened.get_data(as_text=True) and "autofocus" in opened.get_data(as_text=True)
    response = _add_contact(as_trusted_adult, case, "Dee", "07700 900222", relationship="aunt", htmx=True)
    assert response.status_code == 200 and "My words" in response.get_data(as_text=True)
    contact = _contact(db, "Dee")
    assert contact is not None and contact.written_by_member_id == case.trusted_adult_id
    # Jordan sees whose it is.
    ideas = _new_ideas_part(as_young_person.get(f"/c/{case.child_id}").get_data(as_text=True))
    assert "Dee (aunt)" in ideas and "Aunt Dee's words" in ideas


def test_service_validation_messages(db: Session, case: Case) -> None:
    jordan = _jordan(case)
    try:
        cowriting.add_contact(
            session=db,
            actor=jordan,
            child_id=case.child_id,
            contact=PersonToCallInput.parse({"name": "", "phone": "12", "relationship": "x" * 81}),
        )
    except ValidationFailed as exc:
        assert set(exc.errors) == {"name", "phone", "relationship"}
    else:
        raise AssertionError("expected ValidationFailed")
    try:
        cowriting.add_place(
            session=db,
            actor=jordan,
            child_id=case.child_id,
            place=SafePlaceInput.parse({"name": "x" * 121, "notes": "y" * 501}),
        )
    except ValidationFailed as exc:
        assert set(exc.errors) == {"name", "notes"}
    else:
        raise AssertionError("expected ValidationFailed")
    ok = cowriting.add_contact(
        session=db,
        actor=jordan,
        child_id=case.child_id,
        contact=PersonToCallInput.parse({"name": "Mum", "phone": "0161 496 0000"}),
    )
    assert ok.phone == "0161 496 0000" and ok.relationship == ""
