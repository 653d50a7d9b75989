"""Plan versions: agreed versions never change, drafts carry on, conflicts are reported (R24)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from app.actors import Actor
from app.auth.models import AccountKind
from app.cowriting import operations as cowriting
from app.cowriting.inputs import IdeaInput
from app.errors import Conflict, Frozen, NotFound, ValidationFailed
from app.plans import edits, versions
from app.plans.models import ChildStatement, Moment, PlanVersion, StatementKind
from tests.factories import people, plans
from tests.factories.cowriting import idea
from tests.factories.people import Case


@pytest.fixture
def jordan_case(db: Session, case: Case) -> Case:
    """Jordan's plan agreed at a meeting (version 1, safe word "pineapple"); since then he has added
    an idea of his own to the new draft (version 2)."""
    plans.agreed_plan(
        db,
        case.child,
        plans.statement("text Mum when I leave school", own_words_of=case.young_person),
        plans.statement("call 999 if I'm scared or hurt", moment=Moment.EMERGENCY),
        by=case.worker,
        safe_word="pineapple",
    )
    idea(db, case.child, "ask Aunt Dee to pick me up from boxing if it's dark", by=case.young_person)
    # Committed (inside the test's outer transaction) so a test that rolls back a refused write keeps the plan.
    db.commit()
    return case


def _sam(db: Session, jordan_case: Case) -> Actor:
    return people.actor(jordan_case.worker)


def _versions(db: Session, jordan_case: Case) -> tuple[PlanVersion, PlanVersion]:
    plan = versions.open_plan_for_child(session=db, child_id=jordan_case.child.id or 0)
    assert plan is not None
    agreed = versions.latest_agreed(session=db, plan_id=plan.id or 0)
    draft = versions.draft_of(session=db, plan_id=plan.id or 0)
    assert agreed is not None and draft is not None
    return agreed, draft


def _agree(db: Session, jordan_case: Case, *, agreed_on: date, review_date: date) -> PlanVersion:
    """Agree Jordan's current draft as Sam, as a meeting would."""
    _agreed, draft = _versions(db, jordan_case)
    return versions.agree_draft(
        session=db,
        actor=_sam(db, jordan_case),
        plan_id=draft.plan_id,
        agreement=versions.Agreement(
            agreed_by="Jordan, Lisa, Sam",
            agreed_on=agreed_on,
            shared_with="Jordan, Lisa",
            review_date=review_date,
            expected_revision=draft.revision,
        ),
    )


def test_agreed_version_refuses_changes(db: Session, jordan_case: Case) -> None:
    agreed, _draft = _versions(db, jordan_case)
    agreed.safe_word = "changed"
    with pytest.raises(Frozen):
        db.flush()
    db.rollback()


def test_items_of_an_agreed_version_refuse_changes_and_additions(db: Session, jordan_case: Case) -> None:
    agreed, _draft = _versions(db, jordan_case)
    statement = db.exec(select(ChildStatement).where(ChildStatement.version_id == agreed.id)).first()
    assert statement is not None
    statement.text = "rewritten history"
    with pytest.raises(Frozen):
        db.flush()
    db.rollback()
    db.add(ChildStatement(version_id=agreed.id or 0, moment="everyday", kind="will", text="sneaked in"))
    with pytest.raises(Frozen):
        db.flush()
    db.rollback()


def test_the_draft_starts_as_a_copy_of_the_agreed_version_plus_new_ideas(db: Session, jordan_case: Case) -> None:
    agreed, draft = _versions(db, jordan_case)
    agreed_texts = [s.text for s in db.exec(select(ChildStatement).where(ChildStatement.version_id == agreed.id))]
    draft_texts = [s.text for s in db.exec(select(ChildStatement).where(ChildStatement.version_id == draft.id))]
    assert agreed_texts and set(agreed_texts) < set(draft_texts)
    assert "ask Aunt Dee to pick me up from boxing if it's dark" in set(draft_texts) - set(agreed_texts)
    assert draft.safe_word == agreed.safe_word == "pineapple"
    assert draft.number == agreed.number + 1


def test_agreeing_the_draft_freezes_it_and_opens_the_next(db: Session, jordan_case: Case) -> None:
    sam = _sam(db, jordan_case)
    _agree(db, jordan_case, agreed_on=date(2026, 12, 14), review_date=date(2027, 2, 1))
    history = versions.version_history(session=db, actor=sam, child_id=jordan_case.child.id or 0)
    assert [v.number for v in history] == [3, 2, 1]
    assert history[0].agreed_at is None and history[1].agreed_at is not None


def test_r24_a_stale_revision_is_a_conflict_and_nothing_is_overwritten(db: Session, jordan_case: Case) -> None:
    sam = _sam(db, jordan_case)
    _agreed, draft = _versions(db, jordan_case)
    seen = draft.revision
    edits.update_draft(
        session=db,
        actor=sam,
        version_id=draft.id or 0,
        update=edits.DraftUpdate(expected_revision=seen, **{"contingency_cover": "first editor's words"}),
    )
    with pytest.raises(Conflict):
        edits.update_draft(
            session=db,
            actor=sam,
            version_id=draft.id or 0,
            update=edits.DraftUpdate(expected_revision=seen, **{"contingency_cover": "second editor"}),
        )
    db.refresh(draft)
    assert draft.contingency_cover == "first editor's words"


def test_r5_unknown_fields_in_a_draft_update_change_nothing(db: Session, jordan_case: Case) -> None:
    sam = _sam(db, jordan_case)
    _agreed, draft = _versions(db, jordan_case)
    plan_id = draft.plan_id
    edits.update_draft(
        session=db,
        actor=sam,
        version_id=draft.id or 0,
        update=edits.DraftUpdate(
            expected_revision=draft.revision,
            **{"plan_id": 999, "agreed_at": "2020-01-01", "created_by": "family:1", "review_trigger": "ok"},
        ),
    )
    db.refresh(draft)
    assert draft.plan_id == plan_id and draft.agreed_at is None and draft.created_by != "family:1"
    assert draft.review_trigger == "ok"


@pytest.mark.parametrize(
    ("review_date", "message_field"),
    [(date(2026, 12, 14), "review_date"), (date(2027, 2, 9), "review_date")],
)
def test_reviews_are_after_the_meeting_and_no_more_than_8_weeks_apart(
    db: Session, jordan_case: Case, review_date: date, message_field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _agree(db, jordan_case, agreed_on=date(2026, 12, 14), review_date=review_date)
    assert message_field in caught.value.errors


def test_eight_weeks_exactly_is_allowed(db: Session, jordan_case: Case) -> None:
    agreed = _agree(db, jordan_case, agreed_on=date(2026, 12, 14), review_date=date(2027, 2, 8))
    assert agreed.review_date == date(2027, 2, 8)


def test_young_person_adds_own_words_but_a_parent_cannot(db: Session, jordan_case: Case) -> None:
    jordan = Actor(kind=AccountKind.FAMILY, account_id=jordan_case.young_person.id or 0)
    statement = cowriting.add_statement(
        session=db,
        actor=jordan,
        child_id=jordan_case.child.id or 0,
        idea=IdeaInput.parse(
            {"moment": Moment.EMERGENCY, "kind": StatementKind.NEED, "text": "  my charger in my bag  "}
        ),
    )
    assert statement.text == "my charger in my bag" and statement.own_words
    assert statement.written_by_member_id == jordan_case.young_person.id
    mum = Actor(kind=AccountKind.FAMILY, account_id=jordan_case.parent.id or 0)
    with pytest.raises(NotFound):
        cowriting.add_statement(
            session=db,
            actor=mum,
            child_id=jordan_case.child.id or 0,
            idea=IdeaInput.parse({"moment": "everyday", "kind": "will", "text": "tidy his room"}),
        )


@pytest.mark.parametrize(
    ("moment", "kind", "text", "field"),
    [
        ("sometimes", "will", "x", "moment"),
        ("everyday", "shall", "x", "kind"),
        ("everyday", "will", "   ", "text"),
        ("everyday", "will", "y" * 501, "text"),
    ],
)
def test_own_statements_are_validated(
    db: Session, jordan_case: Case, moment: str, kind: str, text: str, field: str
) -> None:
    jordan = Actor(kind=AccountKind.FAMILY, account_id=jordan_case.young_person.id or 0)
    with pytest.raises(ValidationFailed) as caught:
        cowriting.add_statement(
            session=db,
            actor=jordan,
            child_id=jordan_case.child.id or 0,
            idea=IdeaInput.parse({"moment": moment, "kind": kind, "text": text}),
        )
    assert field in caught.value.errors


def test_every_change_records_who_and_when(db: Session, jordan_case: Case) -> None:
    from app.audit.models import AuditEvent

    records = db.exec(
        select(AuditEvent).where(AuditEvent.child_id == jordan_case.child.id, AuditEvent.kind == "write")
    ).all()
    actions = {(r.entity, r.action) for r in records}
    assert ("plan", "created") in actions and ("plan_version", "agreed") in actions
    assert ("child_statement", "created") in actions
    assert any(r.actor == f"family:{jordan_case.young_person.id}" for r in records)
    _agreed, draft = _versions(db, jordan_case)
    assert draft.created_by.startswith("practitioner:")
