"""Comparing two versions of a plan: added, taken out and changed words, section by section."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from app.cowriting.inputs import IdeaEdit
from app.cowriting.operations import delete_statement, edit_statement
from app.plans import edits
from app.plans.diff import Segment, compare, word_diff
from app.plans.inputs import ActionInput, CommitmentInput, NetworkPersonInput
from app.plans.models import ChildStatement, CommitmentKind, Moment, PlanAction, PlanVersion, Safety, StatementKind
from tests.factories import cowriting, people, plans
from tests.factories.people import Case


def _versions(db: Session, case: Case) -> tuple[PlanVersion, PlanVersion]:
    """Jordan's plan agreed with two ideas in his own words, an action and a safe person; since then
    he has added an idea of his own to the new draft."""
    jordan = case.young_person
    agreed = plans.agreed_plan(
        db,
        case.child,
        plans.statement("my phone topped up so I can always call home", kind=StatementKind.NEED, own_words_of=jordan),
        plans.statement(
            "not be able to talk, so I'll just send the safe word",
            moment=Moment.EMERGENCY,
            kind=StatementKind.MIGHT,
            own_words_of=jordan,
        ),
        plans.statement("be home by 9pm on school nights"),
        ActionInput(who="Jordan", action="text Mum when he leaves school", aim="Mum knows", success="no missing"),
        NetworkPersonInput(name="Marcus Reid", relationship="Boxing coach", safety=Safety.SAFE),
        by=case.worker,
        safe_word="pineapple",
    )
    cowriting.idea(db, case.child, "ask Aunt Dee to pick me up from boxing if it's dark", by=jordan)
    return agreed.agreed, agreed.draft


def _section(diff, key: str):  # type: ignore[no-untyped-def]
    return next(section for section in diff.sections if section.key == key)


def test_word_diff_keeps_every_word_in_order() -> None:
    segments = word_diff("be home by 9pm on school nights", "be home by 10pm on school nights, and text Mum")
    assert "".join(s.text for s in segments if s.kind != "added") == "be home by 9pm on school nights"
    assert "".join(s.text for s in segments if s.kind != "removed") == "be home by 10pm on school nights, and text Mum"
    assert Segment("9pm ", "removed") in segments and Segment("10pm ", "added") in segments


def test_an_agreed_version_compared_with_itself_has_no_changes(db: Session, case: Case) -> None:
    agreed, _draft = _versions(db, case)
    assert compare(session=db, older=agreed, newer=agreed).is_empty


def test_added_changed_and_taken_out_statements_and_fields(db: Session, case: Case) -> None:
    agreed, draft = _versions(db, case)
    jordan = people.actor(case.young_person)
    own = {
        s.text: s
        for s in db.exec(
            select(ChildStatement)
            .where(ChildStatement.version_id == draft.id, ChildStatement.written_by_member_id == case.young_person.id)
            .order_by(col(ChildStatement.position))
        ).all()
    }
    changed = own["my phone topped up so I can always call home"]
    edit_statement(
        session=db,
        actor=jordan,
        child_id=case.child.id or 0,
        statement_id=changed.id or 0,
        edit=IdeaEdit(
            expected_revision=changed.revision, text="my phone topped up and charged so I can always call home"
        ),
    )
    gone = own["not be able to talk, so I'll just send the safe word"]
    delete_statement(
        session=db,
        actor=jordan,
        child_id=case.child.id or 0,
        statement_id=gone.id or 0,
        expected_revision=gone.revision,
    )
    edits.update_draft(
        session=db,
        actor=people.actor(case.worker),
        version_id=draft.id or 0,
        update=edits.DraftUpdate(expected_revision=draft.revision, safe_word="mango"),
    )
    db.flush()

    diff = compare(session=db, older=agreed, newer=draft)
    statements = _section(diff, "statements")
    kinds = sorted(change.kind for change in statements.items)
    assert kinds == ["added", "changed", "removed"]
    added = next(c for c in statements.items if c.kind == "added")
    assert "ask Aunt Dee to pick me up from boxing" in added.words[0].text and added.by == jordan.label
    edited = next(c for c in statements.items if c.kind == "changed")
    assert Segment("and charged ", "added") in edited.words and edited.by == jordan.label
    removed = next(c for c in statements.items if c.kind == "removed")
    assert "send the safe word" in removed.words[0].text
    emergency = _section(diff, "emergency")
    assert [f.name for f in emergency.fields] == ["safe_word"]
    assert (
        Segment("pineapple", "removed") in emergency.fields[0].words
        and Segment("mango", "added") in emergency.fields[0].words
    )
    assert _section(diff, "actions").is_empty and _section(diff, "network").is_empty


def test_a_due_date_set_on_an_action_and_a_commitment_reads_in_words(db: Session, case: Case) -> None:
    """Issue 10 item 4: "by 12 December 2026", not 2026-12-12, where the change is shown."""
    agreed, draft = _versions(db, case)
    action = db.exec(select(PlanAction).where(PlanAction.version_id == draft.id)).one()
    action.due_on = date(2026, 12, 12)
    db.add(action)
    (commitment,) = plans.add(
        db,
        draft,
        CommitmentInput(who="Lisa", kind=CommitmentKind.DO, commitment="phone the school", due_on=date(2026, 12, 14)),
        by=case.worker,
    )
    db.flush()
    diff = compare(session=db, older=agreed, newer=draft)
    (changed,) = _section(diff, "actions").items
    added_words = "".join(s.text for s in changed.words if s.kind == "added")
    assert changed.kind == "changed" and added_words.endswith("(by 12 December 2026)")
    (added,) = _section(diff, "carer_commitments").items
    assert added.kind == "added" and added.words[0].text.endswith("phone the school by 14 December 2026")
    assert commitment.id is not None
