"""Issue 8, "whose idea": the plan is the young person's. On his plan page Jordan sees whose words each
new idea in the draft is (his, Aunt Dee's, the meeting's), and can take out any idea not agreed yet,
after a confirmation and only from the revision he saw (R24); Aunt Dee still takes out only her own.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.access.sharing import choose_sharing
from app.actors import Actor
from app.audit.models import AuditEvent, AuditKind
from app.auth.models import AccountKind
from app.cowriting import operations as cowriting
from app.cowriting.inputs import IdeaEdit, IdeaInput
from app.errors import Conflict, NotFound
from app.plans.edits import add_item
from app.plans.inputs import StatementInput
from app.plans.models import ChildStatement, Moment, PlanVersion, StatementKind
from tests.factories import plans
from tests.factories.cowriting import idea
from tests.factories.people import Case
from tests.support.clients import CsrfClient

HTMX = {"HX-Request": "true", "HX-Target": "new-ideas-body"}
JORDANS = "ask Aunt Dee to pick me up from boxing if it's dark"  # Jordan's new idea since the meeting
DEES = "come and get Jordan from boxing"
SAMS = "a lift home after training"
AGREED_FROM_MEETING = "be home by 9pm on school nights"


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's plan as the meeting agreed it; since then he has added an idea of his own to the draft."""
    agreed = plans.agreed_plan(db, case.child, plans.statement(AGREED_FROM_MEETING), by=case.worker)
    idea(db, case.child, JORDANS, by=case.young_person)
    return agreed


def _actor(account_id: int, kind: AccountKind = AccountKind.FAMILY) -> Actor:
    return Actor(kind=kind, account_id=account_id)


def _row(db: Session, text: str) -> ChildStatement:
    """The statement with these words in a draft (Jordan's is the one open plan here)."""
    db.expire_all()
    row = db.exec(
        select(ChildStatement)
        .join(PlanVersion, col(PlanVersion.id) == col(ChildStatement.version_id))
        .where(col(PlanVersion.agreed_at).is_(None), ChildStatement.text == text)
    ).first()
    assert row is not None, f"no {text!r} in the draft"
    return row


def _take_out(db: Session, case: Case, actor: Actor, statement_id: int | None, revision: int) -> None:
    cowriting.delete_statement(
        session=db, actor=actor, child_id=case.child_id, statement_id=statement_id or 0, expected_revision=revision
    )


def _in_draft(db: Session, text: str) -> bool:
    try:
        _row(db, text)
    except AssertionError:
        return False
    return True


def _ideas_part(page: str) -> str:
    start = page.index('id="new-ideas"')
    return html.unescape(page[start : page.index("</section>", start)])


def _idea_item(part: str, statement_id: int | None) -> str:
    start = part.index(f'id="idea-{statement_id}"')
    return part[start : part.index("</li>", start)]


@pytest.fixture
def ideas(db: Session, case: Case) -> dict[str, ChildStatement]:
    """Jordan lets Aunt Dee add ideas; she adds one, and Sam writes one into the draft after the meeting."""
    jordan = _actor(case.young_person_id)
    choose_sharing(session=db, actor=jordan, child_id=case.child_id, chosen={(case.trusted_adult_id, "cowrite")})
    cowriting.add_statement(
        session=db,
        actor=_actor(case.trusted_adult_id),
        child_id=case.child_id,
        idea=IdeaInput(moment=Moment.EVERYDAY, kind=StatementKind.CAN, text=DEES),
    )
    draft = _row(db, JORDANS).version_id
    sam = _actor(case.worker.id or 0, AccountKind.PRACTITIONER)
    add_item(
        session=db,
        actor=sam,
        version_id=draft,
        item=StatementInput(moment=Moment.EVERYDAY, kind=StatementKind.NEED, text=SAMS),
    )
    db.commit()
    return {"jordans": _row(db, JORDANS), "dees": _row(db, DEES), "sams": _row(db, SAMS)}


def test_jordan_sees_whose_each_new_idea_is_and_may_take_any_out(
    as_young_person: CsrfClient, case: Case, ideas: dict[str, ChildStatement]
) -> None:
    part = _ideas_part(as_young_person.get(f"/c/{case.child_id}").get_data(as_text=True))
    base = f"/c/{case.child_id}/statements"
    for key, whose in (("jordans", "My words"), ("dees", "Aunt Dee's words"), ("sams", "From the meeting")):
        statement_id = ideas[key].id
        item = _idea_item(part, statement_id)
        assert whose in item, (key, item)
        assert f'href="{base}/{statement_id}/delete"' in item  # "Take out" for every new idea
        # Only his own words can he change (or move): Dee's and the meeting's stay their words.
        assert (f'href="{base}/{statement_id}/edit"' in item) == (key == "jordans")


def test_jordan_takes_out_aunt_dees_idea_after_saying_yes(
    as_young_person: CsrfClient, db: Session, case: Case, ideas: dict[str, ChildStatement]
) -> None:
    dees = ideas["dees"]
    dees_id = dees.id
    url = f"/c/{case.child_id}/statements/{dees_id}/delete"
    confirm = html.unescape(as_young_person.get(url).get_data(as_text=True))
    assert "Take Aunt Dee's idea out of your plan?" in confirm and "Yes, take it out" in confirm
    assert "it's your choice" in confirm
    assert _in_draft(db, DEES)  # asking changed nothing
    done = as_young_person.post(url, data={"revision": dees.revision})
    assert done.status_code == 303 and "done=removed" in done.headers["Location"]
    assert not _in_draft(db, DEES)
    audit = db.exec(
        select(AuditEvent).where(AuditEvent.entity == "child_statement", AuditEvent.entity_id == dees_id)
    ).all()
    assert [(e.action, e.actor) for e in audit][-1] == ("deleted", f"family:{case.young_person_id}")


def test_jordan_takes_out_the_meetings_new_idea_with_htmx(
    as_young_person: CsrfClient, db: Session, case: Case, ideas: dict[str, ChildStatement]
) -> None:
    sams = ideas["sams"]
    url = f"/c/{case.child_id}/statements/{sams.id}/delete"
    confirm = as_young_person.get(url, headers=HTMX).get_data(as_text=True)
    assert "<html" not in confirm and "Take this idea from the meeting out of your plan?" in confirm
    gone = as_young_person.post(url, data={"revision": sams.revision}, headers=HTMX)
    assert gone.status_code == 200 and "Taken out." in gone.get_data(as_text=True)
    assert not _in_draft(db, SAMS)


def test_a_change_since_jordan_asked_is_a_conflict_and_keeps_dees_words(
    as_young_person: CsrfClient, as_trusted_adult: CsrfClient, db: Session, case: Case, ideas: dict[str, ChildStatement]
) -> None:
    dees = ideas["dees"]
    url = f"/c/{case.child_id}/statements/{dees.id}"
    seen = dees.revision
    changed = as_trusted_adult.post(
        url, data={"moment": "everyday", "kind": "can", "text": "come and get Jordan on Thursdays", "revision": seen}
    )
    assert changed.status_code == 303
    stale = as_young_person.post(f"{url}/delete", data={"revision": seen})
    assert stale.status_code == 409
    assert "come and get Jordan on Thursdays" in html.unescape(stale.get_data(as_text=True))
    assert _in_draft(db, "come and get Jordan on Thursdays")
    # Saying yes again, now to the words it says, takes it out.
    again = as_young_person.post(
        f"{url}/delete", data={"revision": _row(db, "come and get Jordan on Thursdays").revision}
    )
    assert again.status_code == 303 and not _in_draft(db, "come and get Jordan on Thursdays")


def test_what_the_meeting_agreed_stays_until_the_next_meeting(
    as_young_person: CsrfClient, db: Session, case: Case, ideas: dict[str, ChildStatement]
) -> None:
    agreed = _row(db, AGREED_FROM_MEETING)
    url = f"/c/{case.child_id}/statements/{agreed.id}/delete"
    assert as_young_person.get(url).status_code == 404
    assert as_young_person.post(url, data={"revision": agreed.revision}).status_code == 404
    assert _in_draft(db, AGREED_FROM_MEETING)


def test_aunt_dee_still_takes_out_only_her_own(
    as_trusted_adult: CsrfClient, db: Session, case: Case, ideas: dict[str, ChildStatement]
) -> None:
    part = _ideas_part(as_trusted_adult.get(f"/c/{case.child_id}").get_data(as_text=True))
    assert f"/statements/{ideas['dees'].id}/delete" in part
    for key in ("jordans", "sams"):
        row = ideas[key]
        url = f"/c/{case.child_id}/statements/{row.id}/delete"
        assert f"/statements/{row.id}/delete" not in part
        before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
        assert as_trusted_adult.get(url).status_code == 404
        assert as_trusted_adult.post(url, data={"revision": row.revision}).status_code == 404
        denied = db.exec(
            select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.kind == AuditKind.DENIED)
        ).all()
        assert {e.action for e in denied} == {"statements.take_out_any"}
        assert _in_draft(db, row.text)
    # Her own: the question speaks of Jordan's plan, not hers.
    confirm = html.unescape(
        as_trusted_adult.get(f"/c/{case.child_id}/statements/{ideas['dees'].id}/delete").get_data(as_text=True)
    )
    assert "Take your idea out of Jordan's plan?" in confirm


def test_r24_a_change_between_the_check_and_the_delete_deletes_nothing(
    db: Session, case: Case, ideas: dict[str, ChildStatement]
) -> None:
    jordan = _actor(case.young_person_id)
    idea = ideas["jordans"]
    seen = idea.revision
    # Jordan's other phone saves new words after this request has read the idea (the session still
    # holds the revision it saw) but before it deletes: the delete must not remove the new words.
    assert db.get(ChildStatement, idea.id) is idea
    db.execute(
        update(ChildStatement)
        .where(col(ChildStatement.id) == idea.id)
        .values(text="ask Aunt Dee for a lift", revision=seen + 1)
        .execution_options(synchronize_session=False)
    )
    db.commit()  # the other phone's save is its own request: committed before this delete runs
    with pytest.raises(Conflict):
        _take_out(db, case, jordan, idea.id, seen)
    assert _in_draft(db, "ask Aunt Dee for a lift")


def test_the_service_lets_only_the_young_person_take_out_others_words(
    db: Session, case: Case, ideas: dict[str, ChildStatement]
) -> None:
    dee = _actor(case.trusted_adult_id)
    jordans = ideas["jordans"]
    with pytest.raises(NotFound):
        _take_out(db, case, dee, jordans.id, jordans.revision)
    # Dee's own: hers to change and take out, as before.
    dees = ideas["dees"]
    edited = cowriting.edit_statement(
        session=db,
        actor=dee,
        child_id=case.child_id,
        statement_id=dees.id or 0,
        edit=IdeaEdit(expected_revision=dees.revision, text="come and get Jordan"),
    )
    _take_out(db, case, dee, dees.id, edited.revision)
    assert not _in_draft(db, "come and get Jordan")
