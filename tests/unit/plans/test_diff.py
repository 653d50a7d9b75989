"""Comparing two versions of a plan: added, taken out and changed words, section by section."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.actors import Actor
from app.auth.models import AccountKind
from app.cowriting.inputs import IdeaEdit
from app.cowriting.operations import delete_statement, edit_statement
from app.demo.seed import DemoPeople
from app.people.models import Practitioner
from app.plans import edits, versions
from app.plans.diff import Segment, compare, word_diff
from app.plans.models import ChildStatement, PlanVersion


def _versions(db: Session, demo: DemoPeople) -> tuple[PlanVersion, PlanVersion]:
    plan = versions.open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None
    agreed = versions.latest_agreed(session=db, plan_id=plan.id or 0)
    assert agreed is not None
    return agreed, versions.draft_of(session=db, plan_id=plan.id or 0)


def _section(diff, key: str):  # type: ignore[no-untyped-def]
    return next(section for section in diff.sections if section.key == key)


def test_word_diff_keeps_every_word_in_order() -> None:
    segments = word_diff("be home by 9pm on school nights", "be home by 10pm on school nights, and text Mum")
    assert "".join(s.text for s in segments if s.kind != "added") == "be home by 9pm on school nights"
    assert "".join(s.text for s in segments if s.kind != "removed") == "be home by 10pm on school nights, and text Mum"
    assert Segment("9pm ", "removed") in segments and Segment("10pm ", "added") in segments


def test_an_agreed_version_compared_with_itself_has_no_changes(db: Session, demo: DemoPeople) -> None:
    agreed, _draft = _versions(db, demo)
    assert compare(session=db, older=agreed, newer=agreed).is_empty


def test_added_changed_and_taken_out_statements_and_fields(db: Session, demo: DemoPeople) -> None:
    agreed, draft = _versions(db, demo)
    jordan = Actor(kind=AccountKind.FAMILY, account_id=demo.young_person_id)
    own = {
        s.text: s
        for s in db.exec(
            select(ChildStatement)
            .where(ChildStatement.version_id == draft.id, ChildStatement.written_by_member_id == demo.young_person_id)
            .order_by(col(ChildStatement.position))
        ).all()
    }
    changed = own["my phone topped up so I can always call home"]
    edit_statement(
        session=db,
        actor=jordan,
        child_id=demo.jordan_id,
        statement_id=changed.id or 0,
        edit=IdeaEdit(
            expected_revision=changed.revision, text="my phone topped up and charged so I can always call home"
        ),
    )
    gone = own["not be able to talk, so I'll just send the safe word"]
    delete_statement(
        session=db, actor=jordan, child_id=demo.jordan_id, statement_id=gone.id or 0, expected_revision=gone.revision
    )
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    edits.update_draft(
        session=db,
        actor=Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0),
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
