"""Co-writing (issue 4): the young person, and trusted adults they allow, write ideas into the draft.

Through the Flask test client with CSRF on: plain form posts (redirect back to the plan) and htmx
requests (the new-ideas part comes back in place), conflicts (R24), validation, mass assignment
(R5), and who may write at all.
"""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import Session, col, select

from app.actors import Actor
from app.audit.models import AuditEvent
from app.auth.models import AccountKind
from app.cowriting import operations as cowriting
from app.cowriting import queries as cowriting_queries
from app.cowriting.inputs import IdeaEdit, IdeaInput
from app.errors import Conflict, NotFound, ValidationFailed
from app.plans import versions
from app.plans.models import ChildStatement, Moment, PlanVersion, StatementKind
from tests.factories import people, plans
from tests.factories.cowriting import idea
from tests.factories.people import Case
from tests.support.clients import CsrfClient

HTMX = {"HX-Request": "true", "HX-Target": "new-ideas-body"}
# The idea Jordan added after the meeting (jordans_plan below).
SEEDED_IDEA = "ask Aunt Dee to pick me up from boxing if it's dark"


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's plan agreed on 26 October 2026, three statements in his own words and one the meeting
    wrote; since then he has added an idea of his own to the draft."""
    jordan = case.young_person
    agreed = plans.agreed_plan(
        db,
        case.child,
        plans.statement("text Mum when I leave school and when I get to football", own_words_of=jordan),
        plans.statement("be home by 9pm on school nights"),
        plans.statement(
            "talk to Aunt Dee if something doesn't feel right", kind=StatementKind.CAN, own_words_of=jordan
        ),
        plans.statement("text my safe word to Mum or Aunt Dee", moment=Moment.EMERGENCY, own_words_of=jordan),
        by=case.worker,
        safe_word="pineapple",
    )
    idea(db, case.child, SEEDED_IDEA, by=jordan)
    return agreed


@pytest.fixture
def kay(db: Session) -> Case:
    """Kay's case, with a plan of her own (one need in its draft)."""
    kay = people.other_case(db)
    kays_plan = plans.plan(db, kay.child, by=kay.worker)
    plans.add(
        db,
        plans.draft(db, kays_plan),
        plans.statement("to feel listened to at school", kind=StatementKind.NEED),
        by=kay.worker,
    )
    return kay


def _jordan(case: Case) -> Actor:
    return Actor(kind=AccountKind.FAMILY, account_id=case.young_person_id)


def _dee(case: Case) -> Actor:
    return Actor(kind=AccountKind.FAMILY, account_id=case.trusted_adult_id)


def _draft(db: Session, case: Case) -> PlanVersion:
    plan = versions.open_plan_for_child(session=db, child_id=case.child_id)
    assert plan is not None
    return versions.draft_of(session=db, plan_id=plan.id or 0)


def _statement(db: Session, text: str) -> ChildStatement:
    db.expire_all()
    row = db.exec(
        select(ChildStatement).where(ChildStatement.text == text).order_by(col(ChildStatement.id).desc())
    ).first()
    assert row is not None, f"no statement {text!r}"
    return row


def _texts(db: Session, case: Case) -> list[str]:
    db.expire_all()
    draft = _draft(db, case)
    rows = db.exec(
        select(ChildStatement).where(ChildStatement.version_id == draft.id).order_by(col(ChildStatement.position))
    ).all()
    return [r.text for r in rows]


def _add(client: CsrfClient, case: Case, text: str, *, htmx: bool = False, **extra: str):  # type: ignore[no-untyped-def]
    data = {"moment": "everyday", "kind": "will", "text": text, **extra}
    return client.post(f"/c/{case.child_id}/statements", data=data, headers=HTMX if htmx else {})


def _share_cowrite(as_young_person: CsrfClient, case: Case, *more: str) -> None:
    data = {f"share-{case.trusted_adult_id}-cowrite": "on"}
    data.update({f"share-{case.trusted_adult_id}-{section}": "on" for section in more})
    assert as_young_person.post(f"/c/{case.child_id}/sharing", data=data).status_code == 303


def _new_ideas_part(page: str) -> str:
    start = page.index('id="new-ideas"')
    return html.unescape(page[start : page.index("</section>", start)])


# --- The plan page: what the meeting agreed, and my new ideas -------------------------------------


def test_the_plan_shows_the_agreed_date_and_new_ideas_apart(as_young_person: CsrfClient, case: Case) -> None:
    page = as_young_person.get(f"/c/{case.child_id}").get_data(as_text=True)
    assert "agreed at your meeting on 26 October 2026" in page
    ideas = _new_ideas_part(page)
    assert "Not agreed yet" in ideas and "My new ideas" in ideas
    assert SEEDED_IDEA in ideas and "My words" in ideas
    # Agreed statements stay in the agreed part, not among the new ideas.
    assert "text Mum when I leave school" not in ideas
    assert "text Mum when I leave school" in page


def test_the_query_compares_the_draft_with_the_agreed_version(db: Session, case: Case) -> None:
    jordan = _jordan(case)
    changed = _statement(db, "text my safe word to Mum or Aunt Dee")
    draft = _draft(db, case)
    twin = db.exec(
        select(ChildStatement).where(ChildStatement.version_id == draft.id, ChildStatement.text == changed.text)
    ).one()
    cowriting.edit_statement(
        session=db,
        actor=jordan,
        child_id=case.child_id,
        statement_id=twin.id or 0,
        edit=IdeaEdit(expected_revision=twin.revision, text="text pineapple to Aunt Dee"),
    )
    ideas = cowriting_queries.new_ideas_since_agreed(session=db, actor=jordan, child_id=case.child_id)
    assert {i.statement.text for i in ideas.ideas} == {SEEDED_IDEA, "text pineapple to Aunt Dee"}
    assert [i.statement.text for i in ideas.taken_out] == ["text my safe word to Mum or Aunt Dee"]
    assert all(i.whose == cowriting_queries.Whose.MINE and i.can_change for i in ideas.ideas)
    assert ideas.agreed is not None and ideas.can_write


# --- Add, edit, delete, reorder: plain posts ------------------------------------------------------


def test_plain_post_adds_an_idea_and_redirects_back_with_a_status(
    as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    response = _add(as_young_person, case, "  text my aunt when I get to boxing  ")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/c/{case.child_id}?done=added#new-ideas")
    assert "HX-Request" in response.headers["Vary"]
    row = _statement(db, "text my aunt when I get to boxing")
    assert row.own_words and row.written_by_member_id == case.young_person_id
    assert row.version_id == _draft(db, case).id
    page = as_young_person.get(f"/c/{case.child_id}?done=added").get_data(as_text=True)
    assert "Added to your new ideas." in page
    assert "text my aunt when I get to boxing" in _new_ideas_part(page)


def test_plain_edit_form_then_save(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    idea = _statement(db, SEEDED_IDEA)
    seen = idea.revision
    form = as_young_person.get(f"/c/{case.child_id}/statements/{idea.id}/edit")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert "<html" in page  # the whole plan page, with this idea's form open
    assert f'id="edit-{idea.id}-text"' in page and f'name="revision" value="{idea.revision}"' in page
    assert f'<label for="edit-{idea.id}-text">' in page
    saved = as_young_person.post(
        f"/c/{case.child_id}/statements/{idea.id}",
        data={
            "moment": "everyday",
            "kind": "need",
            "text": "Aunt Dee to pick me up when it's dark",
            "revision": idea.revision,
        },
    )
    assert saved.status_code == 303 and "done=saved" in saved.headers["Location"]
    row = _statement(db, "Aunt Dee to pick me up when it's dark")
    assert row.id == idea.id and row.kind == "need" and row.revision == seen + 1


def test_plain_delete_asks_first_then_takes_it_out(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    idea = _statement(db, SEEDED_IDEA)
    confirm = as_young_person.get(f"/c/{case.child_id}/statements/{idea.id}/delete").get_data(as_text=True)
    assert "Take this idea out of your plan?" in confirm and "Yes, take it out" in confirm
    assert SEEDED_IDEA in _texts(db, case)
    done = as_young_person.post(f"/c/{case.child_id}/statements/{idea.id}/delete", data={"revision": idea.revision})
    assert done.status_code == 303 and "done=removed" in done.headers["Location"]
    assert SEEDED_IDEA not in _texts(db, case)


def test_reorder_moves_my_ideas_among_my_new_ideas(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    for text in ("first idea", "second idea"):
        data = {"moment": "everyday", "kind": "can", "text": text}
        as_young_person.post(f"/c/{case.child_id}/statements", data=data)
    second = _statement(db, "second idea")
    moved = as_young_person.post(
        f"/c/{case.child_id}/statements/{second.id}/move", data={"direction": "up", "revision": second.revision}
    )
    assert moved.status_code == 303 and "done=moved" in moved.headers["Location"]
    order = [t for t in _texts(db, case) if t in {SEEDED_IDEA, "first idea", "second idea"}]
    assert order == [SEEDED_IDEA, "second idea", "first idea"]
    # The agreed statements did not move.
    agreed_can = "talk to Aunt Dee if something doesn't feel right"
    assert _texts(db, case).index(agreed_can) < _texts(db, case).index(SEEDED_IDEA)
    # Moving the first one up again changes nothing, and is not an error.
    top = _statement(db, SEEDED_IDEA)
    again = as_young_person.post(
        f"/c/{case.child_id}/statements/{top.id}/move", data={"direction": "up", "revision": top.revision}
    )
    assert again.status_code == 303


def test_a_move_needs_a_direction(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    idea = _statement(db, SEEDED_IDEA)
    response = as_young_person.post(
        f"/c/{case.child_id}/statements/{idea.id}/move", data={"direction": "sideways", "revision": idea.revision}
    )
    assert response.status_code == 422
    assert "Choose up or down." in response.get_data(as_text=True)


# --- The same with htmx: the new-ideas part comes back in place -----------------------------------


def test_htmx_add_returns_the_new_ideas_part_and_the_status_out_of_band(
    as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    response = _add(as_young_person, case, "text my aunt", htmx=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    body = response.get_data(as_text=True)
    assert "<html" not in body and body.lstrip().startswith('<div id="new-ideas-body"')
    assert "text my aunt" in body and "My words" in body
    assert re.search(r'<p id="ideas-status" hx-swap-oob="innerHTML">\s*Added to your new ideas.', body)
    row = _statement(db, "text my aunt")
    assert f'id="change-{row.id}"' in body and "autofocus" in body


def test_htmx_edit_save_delete_and_move(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    idea = _statement(db, SEEDED_IDEA)
    base = f"/c/{case.child_id}/statements/{idea.id}"
    form = as_young_person.get(f"{base}/edit", headers=HTMX).get_data(as_text=True)
    assert "<html" not in form and f'hx-post="{base}"' in form and "autofocus" in form
    saved = as_young_person.post(
        base, data={"moment": "everyday", "kind": "can", "text": "ask Dee", "revision": idea.revision}, headers=HTMX
    )
    assert saved.status_code == 200 and "Saved." in saved.get_data(as_text=True)
    idea = _statement(db, "ask Dee")
    _add(as_young_person, case, "another", htmx=True)
    other = _statement(db, "another")
    moved = as_young_person.post(
        f"/c/{case.child_id}/statements/{other.id}/move",
        data={"direction": "up", "revision": other.revision},
        headers=HTMX,
    )
    assert moved.status_code == 200 and "Moved." in moved.get_data(as_text=True)
    confirm = as_young_person.get(f"{base}/delete", headers=HTMX).get_data(as_text=True)
    assert "<html" not in confirm and "Take this idea out of your plan?" in confirm
    idea = _statement(db, "ask Dee")
    gone = as_young_person.post(f"{base}/delete", data={"revision": idea.revision}, headers=HTMX)
    assert gone.status_code == 200 and "Taken out." in gone.get_data(as_text=True)
    assert "ask Dee" not in _texts(db, case)


def test_cancel_returns_the_ideas_part_for_htmx_and_the_page_otherwise(as_young_person: CsrfClient, case: Case) -> None:
    part = as_young_person.get(f"/c/{case.child_id}/statements", headers=HTMX)
    assert part.get_data(as_text=True).lstrip().startswith('<div id="new-ideas-body"')
    page = as_young_person.get(f"/c/{case.child_id}/statements")
    assert "<html" in page.get_data(as_text=True) and "HX-Request" in page.headers["Vary"]


# --- Conflicts (R24) and validation --------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_r24_a_stale_edit_is_409_with_both_texts_and_nothing_overwritten(
    as_young_person: CsrfClient, db: Session, case: Case, htmx: bool
) -> None:
    idea = _statement(db, SEEDED_IDEA)
    seen = idea.revision
    base = f"/c/{case.child_id}/statements/{idea.id}"
    # The same person, on another phone, saves first.
    first = as_young_person.post(
        base, data={"moment": "everyday", "kind": "can", "text": "words from my other phone", "revision": seen}
    )
    assert first.status_code == 303
    second = as_young_person.post(
        base,
        data={"moment": "everyday", "kind": "can", "text": "words from this phone", "revision": seen},
        headers=HTMX if htmx else {},
    )
    assert second.status_code == 409
    body = second.get_data(as_text=True)
    assert "words from my other phone" in body and "words from this phone" in body
    assert "Nothing has been overwritten" in body
    assert _statement(db, "words from my other phone").id == idea.id
    assert "words from this phone" not in _texts(db, case)
    # The form now carries the saved revision: "Save my words" replaces it on purpose.
    current = _statement(db, "words from my other phone").revision
    assert f'name="revision" value="{current}"' in body
    keep_mine = as_young_person.post(
        base, data={"moment": "everyday", "kind": "can", "text": "words from this phone", "revision": current}
    )
    assert keep_mine.status_code == 303
    assert "words from this phone" in _texts(db, case)


def test_r24_a_stale_delete_is_a_conflict_and_keeps_the_words(
    as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    idea = _statement(db, SEEDED_IDEA)
    base = f"/c/{case.child_id}/statements/{idea.id}"
    as_young_person.post(
        base, data={"moment": "everyday", "kind": "can", "text": "changed meanwhile", "revision": idea.revision}
    )
    stale = as_young_person.post(f"{base}/delete", data={"revision": idea.revision})
    assert stale.status_code == 409
    assert "changed meanwhile" in stale.get_data(as_text=True)
    assert "changed meanwhile" in _texts(db, case)


def test_r24_service_refuses_stale_revisions(db: Session, case: Case) -> None:
    jordan = _jordan(case)
    idea = _statement(db, SEEDED_IDEA)
    stale = idea.revision - 1
    with pytest.raises(Conflict):
        cowriting.edit_statement(
            session=db,
            actor=jordan,
            child_id=case.child_id,
            statement_id=idea.id or 0,
            edit=IdeaEdit(expected_revision=stale, text="x"),
        )
    with pytest.raises(Conflict):
        cowriting.move_statement(
            session=db,
            actor=jordan,
            child_id=case.child_id,
            statement_id=idea.id or 0,
            direction="up",
            expected_revision=stale,
        )
    with pytest.raises(Conflict):
        cowriting.delete_statement(
            session=db, actor=jordan, child_id=case.child_id, statement_id=idea.id or 0, expected_revision=stale
        )
    assert _statement(db, SEEDED_IDEA).revision == idea.revision


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"moment": "everyday", "kind": "will", "text": "   "}, "Write something first."),
        ({"moment": "everyday", "kind": "will", "text": "y" * 501}, "Keep it under 500 characters."),
        ({"moment": "sometimes", "kind": "will", "text": "ok"}, "Choose every day or emergency."),
        ({"moment": "everyday", "kind": "shall", "text": "ok"}, "Choose I will, I can, I might or I need."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_validation_keeps_what_was_typed_and_says_what_is_wrong(
    as_young_person: CsrfClient, db: Session, case: Case, data: dict[str, str], message: str, htmx: bool
) -> None:
    before = _texts(db, case)
    response = as_young_person.post(f"/c/{case.child_id}/statements", data=data, headers=HTMX if htmx else {})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and 'aria-invalid="true"' in body
    if data["text"].strip():
        assert data["text"] in body  # what they typed is still there
    assert _texts(db, case) == before


def test_an_edit_that_is_too_long_keeps_the_typed_words(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    idea = _statement(db, SEEDED_IDEA)
    long_text = "z" * 600
    response = as_young_person.post(
        f"/c/{case.child_id}/statements/{idea.id}",
        data={"moment": "everyday", "kind": "can", "text": long_text, "revision": idea.revision},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert long_text in response.get_data(as_text=True)
    assert _statement(db, SEEDED_IDEA).revision == idea.revision


# --- Who may write -------------------------------------------------------------------------------


def test_a_parent_cannot_write(as_parent: CsrfClient, db: Session, case: Case) -> None:
    idea = _statement(db, SEEDED_IDEA)
    before = _texts(db, case)
    assert _add(as_parent, case, "tidy his room").status_code == 404
    base = f"/c/{case.child_id}/statements/{idea.id}"
    assert as_parent.get(f"{base}/edit").status_code == 404
    assert (
        as_parent.post(
            base, data={"moment": "everyday", "kind": "can", "text": "x", "revision": idea.revision}
        ).status_code
        == 404
    )
    assert as_parent.post(f"{base}/delete", data={"revision": idea.revision}).status_code == 404
    assert as_parent.post(f"{base}/move", data={"direction": "up", "revision": idea.revision}).status_code == 404
    assert _texts(db, case) == before
    page = as_parent.get(f"/c/{case.child_id}").get_data(as_text=True)
    assert "Add an idea" not in page
    denials = db.exec(
        select(AuditEvent).where(AuditEvent.action == "statements.cowrite", AuditEvent.kind == "denied")
    ).all()
    assert denials


def test_a_trusted_adult_writes_only_after_jordan_shares_cowrite(
    as_young_person: CsrfClient, as_trusted_adult: CsrfClient, db: Session, case: Case
) -> None:
    assert _add(as_trusted_adult, case, "come to boxing with Jordan").status_code == 404
    assert "Add an idea" not in as_trusted_adult.get(f"/c/{case.child_id}").get_data(as_text=True)
    _share_cowrite(as_young_person, case)
    page = as_trusted_adult.get(f"/c/{case.child_id}").get_data(as_text=True)
    assert "Add an idea in your words" in page
    # Co-writing alone does not show Jordan's statements to Dee (R4).
    assert SEEDED_IDEA not in page
    response = _add(as_trusted_adult, case, "pick Jordan up from boxing on Thursdays", kind="can", htmx=True)
    assert response.status_code == 200 and "My words" in response.get_data(as_text=True)
    row = _statement(db, "pick Jordan up from boxing on Thursdays")
    assert row.written_by_member_id == case.trusted_adult_id and not row.own_words
    # Jordan sees it as Aunt Dee's words, among the new ideas, and cannot change it.
    jordans = _new_ideas_part(as_young_person.get(f"/c/{case.child_id}").get_data(as_text=True))
    assert "pick Jordan up from boxing on Thursdays" in jordans and "Aunt Dee's words" in jordans
    assert as_young_person.get(f"/c/{case.child_id}/statements/{row.id}/edit").status_code == 404
    # Dee edits and removes her own words, but not Jordan's.
    base = f"/c/{case.child_id}/statements/{row.id}"
    assert (
        as_trusted_adult.post(
            base,
            data={"moment": "everyday", "kind": "can", "text": "pick Jordan up on Thursdays", "revision": row.revision},
        ).status_code
        == 303
    )
    jordans_idea = _statement(db, SEEDED_IDEA)
    assert as_trusted_adult.get(f"/c/{case.child_id}/statements/{jordans_idea.id}/edit").status_code == 404
    assert (
        as_trusted_adult.post(
            f"/c/{case.child_id}/statements/{jordans_idea.id}/delete", data={"revision": jordans_idea.revision}
        ).status_code
        == 404
    )
    row = _statement(db, "pick Jordan up on Thursdays")
    assert as_trusted_adult.post(f"{base}/delete", data={"revision": row.revision}).status_code == 303
    assert "pick Jordan up on Thursdays" not in _texts(db, case)


def test_a_trusted_adult_sees_jordans_ideas_as_his_words_when_shared(
    as_young_person: CsrfClient, as_trusted_adult: CsrfClient, case: Case
) -> None:
    _share_cowrite(as_young_person, case, "my_statements")
    ideas = _new_ideas_part(as_trusted_adult.get(f"/c/{case.child_id}").get_data(as_text=True))
    assert SEEDED_IDEA in ideas and "Jordan's words" in ideas
    assert "My words" not in ideas


def test_revoking_cowrite_stops_writing_at_once(
    as_young_person: CsrfClient, as_trusted_adult: CsrfClient, case: Case
) -> None:
    _share_cowrite(as_young_person, case)
    assert _add(as_trusted_adult, case, "one idea").status_code == 303
    assert as_young_person.post(f"/c/{case.child_id}/sharing", data={}).status_code == 303
    assert _add(as_trusted_adult, case, "another idea").status_code == 404


def test_statements_from_the_meeting_cannot_be_changed_by_family(
    as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    draft = _draft(db, case)
    meeting = db.exec(
        select(ChildStatement).where(
            ChildStatement.version_id == draft.id, col(ChildStatement.written_by_member_id).is_(None)
        )
    ).first()
    assert meeting is not None
    base = f"/c/{case.child_id}/statements/{meeting.id}"
    assert as_young_person.get(f"{base}/edit").status_code == 404
    data = {"moment": meeting.moment, "kind": meeting.kind, "text": "rewritten", "revision": meeting.revision}
    assert as_young_person.post(base, data=data).status_code == 404
    assert as_young_person.post(f"{base}/delete", data={"revision": meeting.revision}).status_code == 404
    assert (
        as_young_person.post(f"{base}/move", data={"direction": "up", "revision": meeting.revision}).status_code == 404
    )
    db.expire_all()
    assert db.get(ChildStatement, meeting.id).text == meeting.text  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        cowriting.delete_statement(
            session=db,
            actor=_jordan(case),
            child_id=case.child_id,
            statement_id=meeting.id or 0,
            expected_revision=meeting.revision,
        )


def test_agreed_versions_cannot_be_reached_through_cowriting(db: Session, case: Case) -> None:
    plan = versions.open_plan_for_child(session=db, child_id=case.child_id)
    agreed = versions.latest_agreed(session=db, plan_id=plan.id or 0)  # type: ignore[union-attr]
    own_agreed = db.exec(
        select(ChildStatement).where(
            ChildStatement.version_id == agreed.id,  # type: ignore[union-attr]
            ChildStatement.written_by_member_id == case.young_person_id,
        )
    ).first()
    assert own_agreed is not None
    with pytest.raises(NotFound):
        cowriting.edit_statement(
            session=db,
            actor=_jordan(case),
            child_id=case.child_id,
            statement_id=own_agreed.id or 0,
            edit=IdeaEdit(expected_revision=own_agreed.revision, text="history rewritten"),
        )


def test_kaylas_plan_is_not_found_for_jordan(as_young_person: CsrfClient, db: Session, case: Case, kay: Case) -> None:
    response = as_young_person.post(
        f"/c/{kay.child_id}/statements", data={"moment": "everyday", "kind": "will", "text": "x"}
    )
    assert response.status_code == 404
    kaylas = db.exec(select(ChildStatement).where(ChildStatement.text == "to feel listened to at school")).one()
    assert as_young_person.get(f"/c/{case.child_id}/statements/{kaylas.id}/edit").status_code == 404


# --- Mass assignment (R5) ------------------------------------------------------------------------


def test_r5_extra_fields_change_nothing(as_young_person: CsrfClient, db: Session, case: Case, kay: Case) -> None:
    draft = _draft(db, case)
    extra = {
        "own_words": "false",
        "written_by_member_id": str(case.trusted_adult_id),
        "owner": str(case.parent_id),
        "child_id": str(kay.child_id),
        "version_id": "1",
        "position": "-5",
        "revision": "99",
        "id": "1",
        "created_by": "practitioner:1",
    }
    assert _add(as_young_person, case, "my words only", **extra).status_code == 303
    row = _statement(db, "my words only")
    assert row.own_words and row.written_by_member_id == case.young_person_id
    assert row.version_id == draft.id and row.position >= 0 and row.revision == 1
    assert row.created_by == f"family:{case.young_person_id}"
    saved = as_young_person.post(
        f"/c/{case.child_id}/statements/{row.id}",
        data={**extra, "moment": "everyday", "kind": "will", "text": "still my words", "revision": str(row.revision)},
    )
    assert saved.status_code == 303
    row = _statement(db, "still my words")
    assert row.own_words and row.written_by_member_id == case.young_person_id and row.version_id == draft.id


# --- Audit ---------------------------------------------------------------------------------------


def test_every_cowrite_is_audited(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    _add(as_young_person, case, "audited idea")
    row = _statement(db, "audited idea")
    base = f"/c/{case.child_id}/statements/{row.id}"
    as_young_person.post(
        base, data={"moment": "everyday", "kind": "will", "text": "audited idea 2", "revision": row.revision}
    )
    row = _statement(db, "audited idea 2")
    as_young_person.post(f"{base}/delete", data={"revision": row.revision})
    actions = [
        e.action
        for e in db.exec(
            select(AuditEvent).where(AuditEvent.entity == "child_statement", AuditEvent.entity_id == row.id)
        ).all()
    ]
    assert actions == ["created", "updated", "deleted"]


def test_service_validation_messages(db: Session, case: Case) -> None:
    with pytest.raises(ValidationFailed) as caught:
        cowriting.add_statement(
            session=db,
            actor=_jordan(case),
            child_id=case.child_id,
            idea=IdeaInput.parse({"moment": "everyday", "kind": "will", "text": ""}),
        )
    assert str(caught.value.errors["text"]) == "Write something first."
    with pytest.raises(NotFound):
        cowriting.add_statement(
            session=db,
            actor=_dee(case),
            child_id=case.child_id,
            idea=IdeaInput.parse({"moment": "everyday", "kind": "will", "text": "hello"}),
        )
