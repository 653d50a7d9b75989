"""What's new (issue 4): after a new agreed version, each family member sees what changed since they
last looked, in plain words, about the sections they may see; "Got it" puts the card away.

Through the Flask test client with CSRF on; the new version is made through the service layer as
Jordan's social worker would make it.
"""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlmodel import Session, col, select

from app.actors import Actor
from app.audit.models import AuditEvent, AuditKind
from app.plans import edits, versions
from app.plans.inputs import ContactInput, StatementInput
from app.plans.models import ChildStatement, PlanVersion
from app.plans.sections import Section
from app.whats_new import queries as whats_new_queries
from app.whats_new.models import PlanSeen
from tests.factories import commitments, people, plans
from tests.factories.cowriting import idea
from tests.factories.people import Case
from tests.support.clients import CsrfClient
from tests.support.incidents import freeze, incident

HTMX = {"HX-Request": "true", "HX-Target": "whats-new"}
NEW_IDEA = "go to youth club on Tuesdays"
SEEDED_IDEA = "ask Aunt Dee to pick me up from boxing if it's dark"


@pytest.fixture(autouse=True)
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's plan agreed on 26 October 2026 (safe word "pineapple", check-in on 14 December) with
    a statement and a commitment of Lisa's; since then Jordan has added an idea to the draft."""
    agreed = plans.agreed_plan(
        db,
        case.child,
        plans.statement("text Mum when I leave school and when I get to football"),
        plans.statement("be home by 9pm on school nights"),
        commitments.commitment_input(case.parent, "a weekly plan for evenings with Jordan", by_when="Sundays"),
        by=case.worker,
        safe_word="pineapple",
        agreed_on=date(2026, 10, 26),
        review_date=date(2026, 12, 14),
    )
    idea(db, case.child, SEEDED_IDEA, by=case.young_person)
    return agreed


def _sam(db: Session, case: Case) -> Actor:
    return people.actor(case.worker)


def _agree_a_new_version(db: Session, case: Case) -> PlanVersion:
    """Sam adds a statement and a contact, changes the safe word and the review date, and agrees."""
    sam = _sam(db, case)
    plan = versions.open_plan_for_child(session=db, child_id=case.child_id)
    assert plan is not None
    draft = versions.draft_of(session=db, plan_id=plan.id or 0)
    edits.add_item(
        session=db,
        actor=sam,
        version_id=draft.id or 0,
        item=StatementInput(moment="everyday", kind="can", text=NEW_IDEA),
    )
    edits.add_item(
        session=db,
        actor=sam,
        version_id=draft.id or 0,
        item=ContactInput(name="Coach Ray", relationship="Boxing coach", phone="07700 900111"),
    )
    edits.update_draft(
        session=db,
        actor=sam,
        version_id=draft.id or 0,
        update=edits.DraftUpdate(expected_revision=draft.revision, **{"safe_word": "mango"}),
    )
    agreed = versions.agree_draft(
        session=db,
        actor=sam,
        plan_id=plan.id or 0,
        agreement=versions.Agreement(
            agreed_by="Jordan, Lisa Ellis, Sam Okafor",
            agreed_on=date(2026, 12, 14),
            shared_with="Jordan, Lisa Ellis",
            review_date=date(2027, 1, 25),
            expected_revision=draft.revision,
        ),
    )
    db.commit()
    return agreed


def _card(page: str) -> str:
    """The "what's new" card's text, or "" when there is none."""
    if 'id="whats-new"' not in page:
        return ""
    start = page.index('id="whats-new"')
    return html.unescape(page[start : page.index("</section>", start)])


def _plan(client: CsrfClient, case: Case) -> str:
    response = client.get(f"/c/{case.child_id}")
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def _bookmark(db: Session, member_id: int) -> PlanSeen | None:
    db.expire_all()
    return db.exec(select(PlanSeen).where(PlanSeen.member_id == member_id)).first()


# --- The young person ----------------------------------------------------------------------------


def test_the_first_look_shows_nothing_new_and_remembers_the_version(
    as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    assert _card(_plan(as_young_person, case)) == ""
    row = _bookmark(db, case.young_person_id)
    assert row is not None and row.child_id == case.child_id and row.changes_since_version_id is None
    version = db.get(PlanVersion, row.version_id)
    assert version is not None and version.agreed_at is not None and version.number == 1


def test_after_a_new_version_the_young_person_sees_what_changed_in_plain_words(
    as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    _plan(as_young_person, case)
    _agree_a_new_version(db, case)
    page = _plan(as_young_person, case)
    card = _card(page)
    assert "New since you last looked" in card
    assert "Your plan was agreed again on 14 December" in card
    # Sam's statement and Jordan's own idea, both agreed now.
    assert "2 new things in “Every day: I can…”" in card
    assert "A new person to call" in card
    assert "Your check-in date moved to 25 January" in card
    assert "Your safe word changed" in card
    # Neither the old nor the new safe word is in the summary.
    assert "pineapple" not in card and "mango" not in card
    assert "Got it" in card
    # The new statements are marked where they stand in the plan.
    assert page.count('class="is-new"') == 2
    assert "New</span>" in page


def test_the_card_stays_until_got_it_then_goes(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    _plan(as_young_person, case)
    agreed = _agree_a_new_version(db, case)
    assert "New since you last looked" in _card(_plan(as_young_person, case))
    # A reload (or an edit that comes back to the plan) still shows it.
    assert "New since you last looked" in _card(_plan(as_young_person, case))
    done = as_young_person.post(f"/c/{case.child_id}/whats-new/seen", data={"version": agreed.id})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/c/{case.child_id}")
    assert "HX-Request" in done.headers["Vary"]
    assert _card(_plan(as_young_person, case)) == ""
    row = _bookmark(db, case.young_person_id)
    assert row is not None and row.version_id == agreed.id and row.changes_since_version_id is None


def test_got_it_with_htmx_returns_a_focused_note(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    _plan(as_young_person, case)
    agreed = _agree_a_new_version(db, case)
    _plan(as_young_person, case)
    response = as_young_person.post(f"/c/{case.child_id}/whats-new/seen", data={"version": agreed.id}, headers=HTMX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="whats-new"' in body and "autofocus" in body
    assert _card(_plan(as_young_person, case)) == ""


def test_got_it_for_an_older_card_does_not_hide_newer_changes(
    as_young_person: CsrfClient, db: Session, case: Case
) -> None:
    first = _bookmark_after_first_look(as_young_person, db, case)
    _agree_a_new_version(db, case)
    _plan(as_young_person, case)
    stale = as_young_person.post(f"/c/{case.child_id}/whats-new/seen", data={"version": first})
    assert stale.status_code == 303
    assert "New since you last looked" in _card(_plan(as_young_person, case))
    garbled = as_young_person.post(f"/c/{case.child_id}/whats-new/seen", data={"version": "²"})
    assert garbled.status_code == 303
    assert "New since you last looked" in _card(_plan(as_young_person, case))


def _bookmark_after_first_look(client: CsrfClient, db: Session, case: Case) -> int:
    _plan(client, case)
    row = _bookmark(db, case.young_person_id)
    assert row is not None
    return row.version_id


def test_looking_is_audited_as_a_read_never_as_a_change(as_young_person: CsrfClient, db: Session, case: Case) -> None:
    _plan(as_young_person, case)
    agreed = _agree_a_new_version(db, case)
    before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
    _plan(as_young_person, case)
    as_young_person.post(f"/c/{case.child_id}/whats-new/seen", data={"version": agreed.id})
    db.expire_all()
    rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before)).all()
    assert rows and all(r.kind == AuditKind.READ for r in rows)


def test_someone_else_cannot_put_away_jordans_card(
    as_young_person: CsrfClient, as_parent: CsrfClient, db: Session, case: Case
) -> None:
    _plan(as_young_person, case)
    agreed = _agree_a_new_version(db, case)
    _plan(as_young_person, case)
    # Lisa's own bookmark is hers: her "Got it" changes nothing of Jordan's.
    assert as_parent.post(f"/c/{case.child_id}/whats-new/seen", data={"version": agreed.id}).status_code == 303
    assert "New since you last looked" in _card(_plan(as_young_person, case))
    # Kayla's record is not Jordan's to reach: not found.
    kay = people.other_case(db)
    plans.plan(db, kay.child, by=kay.worker)
    assert as_young_person.post(f"/c/{kay.child_id}/whats-new/seen", data={"version": agreed.id}).status_code == 404


# --- Parents and trusted adults: only what they may see -------------------------------------------


def test_a_parent_hears_only_about_sections_shared_with_them(as_parent: CsrfClient, db: Session, case: Case) -> None:
    _plan(as_parent, case)
    _agree_a_new_version(db, case)
    card = _card(_plan(as_parent, case))
    # By default a parent sees their commitments and the review date, nothing else (R4).
    assert "The check-in date moved to 25 January" in card
    assert "safe word" not in card and "people to call" not in card and "new thing" not in card
    assert NEW_IDEA not in card


def test_a_trusted_adult_with_nothing_shared_sees_no_card(
    as_trusted_adult: CsrfClient, db: Session, case: Case
) -> None:
    _plan(as_trusted_adult, case)
    _agree_a_new_version(db, case)
    assert _card(_plan(as_trusted_adult, case)) == ""


# --- A review brought forward by an incident (no new version) ------------------------------------

# Monday 7 December 2026: Jordan's check-in on 14 December is within 5 working days, so an incident
# can bring it forward to any working day before it.
MONDAY = date(2026, 12, 7)


def _bring_review_forward(db: Session, case: Case, to: date, *, when: str = "2026-12-06T21:00") -> None:
    incident(db, case.child, by=case.worker, when=when, review="bring_forward", new_review_date=to)
    db.commit()


def test_a_review_brought_forward_is_new_until_got_it_and_the_incident_is_never_told(
    as_young_person: CsrfClient, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, MONDAY)
    assert _card(_plan(as_young_person, case)) == ""
    _bring_review_forward(db, case, date(2026, 12, 10))
    card = _card(_plan(as_young_person, case))
    assert "Your check-in date moved to 10 December" in card
    # Nothing was agreed again, and nothing of the incident is said.
    assert "agreed again" not in card and "ncident" not in card and "missing" not in card.lower()
    # A reload keeps it; "Got it" puts it away.
    assert "10 December" in _card(_plan(as_young_person, case))
    row = _bookmark(db, case.young_person_id)
    assert row is not None and row.review_moved_from == date(2026, 12, 14) and row.review_on == date(2026, 12, 10)
    done = as_young_person.post(f"/c/{case.child_id}/whats-new/seen", data={"version": row.version_id})
    assert done.status_code == 303
    assert _card(_plan(as_young_person, case)) == ""
    # Brought forward again: new again.
    _bring_review_forward(db, case, date(2026, 12, 9), when="2026-12-07T09:00")
    assert "Your check-in date moved to 9 December" in _card(_plan(as_young_person, case))


def test_only_those_who_see_the_review_date_hear_it_moved(
    as_parent: CsrfClient, as_trusted_adult: CsrfClient, db: Session, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, MONDAY)
    _plan(as_parent, case)
    _plan(as_trusted_adult, case)
    _bring_review_forward(db, case, date(2026, 12, 10))
    assert "The check-in date moved to 10 December" in _card(_plan(as_parent, case))
    # The review date is not shared with this trusted adult: no card, no date.
    page = _plan(as_trusted_adult, case)
    assert _card(page) == "" and "10 December" not in page


# --- The comparison itself -----------------------------------------------------------------------


def test_a_changed_sentence_is_one_taken_out_and_one_added(db: Session, case: Case) -> None:
    sam = _sam(db, case)
    plan = versions.open_plan_for_child(session=db, child_id=case.child_id)
    assert plan is not None
    v1 = versions.latest_agreed(session=db, plan_id=plan.id or 0)
    assert v1 is not None
    draft = versions.draft_of(session=db, plan_id=plan.id or 0)
    # The worker rewrites one agreed sentence in the draft: the old words go, new words come in.
    original = db.exec(
        select(ChildStatement)
        .where(ChildStatement.version_id == draft.id, ChildStatement.text != SEEDED_IDEA)
        .order_by(col(ChildStatement.position))
    ).first()
    assert original is not None
    moment, kind, text = original.moment, original.kind, original.text
    db.delete(original)
    db.flush()
    edits.add_item(
        session=db,
        actor=sam,
        version_id=draft.id or 0,
        item=StatementInput(moment=moment, kind=kind, text=f"{text}, always"),
    )
    v2 = versions.agree_draft(
        session=db,
        actor=sam,
        plan_id=plan.id or 0,
        agreement=versions.Agreement(
            agreed_by="Jordan, Sam Okafor",
            agreed_on=date(2026, 12, 1),
            shared_with="Jordan",
            review_date=v1.review_date or date(2026, 12, 14),
            expected_revision=draft.revision,
        ),
    )
    changes = whats_new_queries.changes_between(session=db, since=v1, now=v2, sections=frozenset(Section))
    lists = {(c.moment, c.kind): (c.added, c.removed) for c in changes.lists}
    assert lists[(moment, kind)][1] == 1
    # The rewritten sentence, and Jordan's own idea agreed at the same time.
    assert sum(added for added, _removed in lists.values()) == 2
    assert len(changes.new_statement_ids) == 2
    assert not changes.review_date_moved and not changes.safe_word_changed and not changes.contacts_added
    # Without the statements sections, none of that is told.
    hidden = whats_new_queries.changes_between(session=db, since=v1, now=v2, sections=frozenset({Section.REVIEW}))
    assert hidden.is_empty
