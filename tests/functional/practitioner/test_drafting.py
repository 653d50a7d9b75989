"""Writing the draft (issue 9 items 2, 3, 7, 8): every section of Jordan's plan from Sam's side.

Every list validates field by field and gives back what was typed; a stale revision shows both
texts and overwrites nothing; removing asks first; htmx gets the section, a plain post the page.
Who may write: the allocated worker and the chair; managers, team members, agency partners and
workers without a link may not (not found, audited).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from app import SaferPlan
from app.actors import Actor
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.plans.models import ChildStatement, IdeaStatus, PlanAction
from app.plans.versions import Agreement, agree_draft, draft_of, latest_agreed, open_plan_for_child
from app.timeutil import today
from tests.support import bad_input as bad
from tests.support.clients import CsrfClient
from tests.support.roles import add_team_member, practitioner_id

HTMX = {"HX-Request": "true"}
ACTION = {
    "section": "actions",
    "who": "Sam",
    "action": "meet Jordan weekly",
    "aim": "keep in touch",
    "success": "no missed weeks",
}


def _url(demo: DemoPeople, tail: str = "") -> str:
    return f"/children/{demo.jordan_id}/draft{tail}"


def _draft(db: Session, demo: DemoPeople):  # type: ignore[no-untyped-def]
    plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None
    db.expire_all()
    return draft_of(session=db, plan_id=plan.id or 0)


def _action(db: Session, demo: DemoPeople, words: str) -> PlanAction:
    db.expire_all()
    row = db.exec(
        select(PlanAction).where(PlanAction.version_id == _draft(db, demo).id, PlanAction.action == words)
    ).first()
    assert row is not None, words
    return row


def _actions_in_order(db: Session, demo: DemoPeople) -> list[str]:
    db.expire_all()
    rows = db.exec(
        select(PlanAction)
        .where(PlanAction.version_id == _draft(db, demo).id)
        .order_by(col(PlanAction.position), col(PlanAction.id))
    ).all()
    return [r.action for r in rows]


def test_the_page_shows_every_section_in_the_template_order(allocated_worker: CsrfClient, demo: DemoPeople) -> None:
    page = allocated_worker.get(_url(demo)).get_data(as_text=True)
    headings = re.findall(r'<h2 id="h-([a-z_]+)"', page)
    assert headings == [
        "ideas",
        "actions",
        "everyday",
        "emergency",
        "safe_word",
        "contacts",
        "if_missing",
        "parental_responsibility",
        "commitments",
        "agency_actions",
        "network",
        "places",
        "contingency",
        "onward",
        "review",
    ]


def test_adding_an_action_plain_post_goes_back_to_the_page_and_htmx_gets_the_section(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    response = allocated_worker.post(_url(demo, "/items"), data=ACTION)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#sec-actions")
    assert "HX-Request" in response.headers["Vary"]
    assert _action(db, demo, "meet Jordan weekly").who == "Sam"
    partial = allocated_worker.post(_url(demo, "/items"), data={**ACTION, "action": "text Jordan"}, headers=HTMX)
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200
    assert "<html" not in body and body.lstrip().startswith('<section class="card draft-section" id="sec-actions"')
    assert "Added." in body and "text Jordan" in body
    full = allocated_worker.get(_url(demo)).get_data(as_text=True)
    assert "<html" in full and 'id="sec-review"' in full


# Each list with what it refuses when left empty: the field and (part of) its message.
EMPTY_REFUSALS = {
    "actions": {
        "who": "Write something",
        "action": "Write something",
        "aim": "Write something",
        "success": "Write something",
    },
    "everyday": {"kind": "Choose I will, I can, I might or I need.", "text": "Write something first."},
    "emergency": {"kind": "Choose I will", "text": "Write something first."},
    "contacts": {"name": "Write something", "phone": "Write something"},
    "parental_responsibility": {"name": "Write something"},
    "commitments": {"who": "Write something", "kind": "Choose ensure, make or do.", "commitment": "Write something"},
    "agency_actions": {
        "agency": "Choose an agency.",
        "kind": "Choose increase safety",
        "action": "Write something",
        "due_on": "Choose the date this is due",
    },
    "network": {"name": "Write something", "safety": "Choose safe, not safe or could be safe."},
    "places": {"name": "Write something", "safety": "Choose safe, not safe or could be safe."},
}


@pytest.mark.parametrize("section", sorted(EMPTY_REFUSALS))
def test_every_field_left_empty_says_what_to_write_beside_it(
    allocated_worker: CsrfClient, demo: DemoPeople, section: str
) -> None:
    # One optional box typed, so the page must give it back.
    typed = {"section": section, "notes": "words I typed", "involvement": "words I typed", "repeats": "words I typed"}
    response = allocated_worker.post(_url(demo, "/items"), data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for name, message in EMPTY_REFUSALS[section].items():
        field = re.search(rf'<p class="field-error" id="add-{section}-{name}-error">(.*?)</p>', page)
        assert field is not None and message in field.group(1), (section, name)
        assert f'href="#add-{section}-{name}"' in page  # the summary links to the box
        assert re.search(rf'id="add-{section}-{name}"[^>]*aria-invalid="true"', page), (section, name)
    if section in ("contacts", "parental_responsibility", "places", "network", "agency_actions"):
        assert "words I typed" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("who", "x" * 121, "120"),
        ("action", "x" * 1001, "1"),
        ("aim", "\u200b\u200b", "looks blank"),
        ("success", "bad\x00text", "control characters"),
    ],
)
def test_bad_words_in_an_action_are_refused_with_the_reason_and_kept(
    allocated_worker: CsrfClient, demo: DemoPeople, field: str, value: str, message: str
) -> None:
    response = allocated_worker.post(_url(demo, "/items"), data={**ACTION, field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert any(message in alert for alert in bad.alerts(page)), bad.alerts(page)
    assert "meet Jordan weekly" in page or field == "action"


def test_htmx_refusal_is_the_section_with_the_typed_words(allocated_worker: CsrfClient, demo: DemoPeople) -> None:
    response = allocated_worker.post(_url(demo, "/items"), data={**ACTION, "who": ""}, headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in body and 'id="sec-actions"' in body
    assert "meet Jordan weekly" in body and "keep in touch" in body


def test_a_stale_change_shows_both_texts_and_saving_again_replaces_on_purpose(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    allocated_worker.post(_url(demo, "/items"), data=ACTION)
    row = _action(db, demo, "meet Jordan weekly")
    first = {**ACTION, "item_id": str(row.id), "revision": str(row.revision)}
    assert (
        allocated_worker.post(_url(demo, "/items/change"), data={**first, "action": "their words"}).status_code == 303
    )
    response = allocated_worker.post(_url(demo, "/items/change"), data={**first, "action": "my words"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert any("their words" in alert for alert in bad.alerts(page)), "the saved text is not shown"
    form = re.search(
        rf'name="item_id" value="{row.id}">\s*(?:<!--.*?-->\s*)?.*?name="revision" value="(\d+)"', page, re.S
    )
    assert form is not None and int(form.group(1)) == row.revision + 1
    assert re.search(rf'id="c-actions-{row.id}-action"[^>]*>my words</textarea>', page)
    assert _action(db, demo, "their words").action == "their words"  # nothing overwritten
    again = {**first, "revision": form.group(1), "action": "my words"}
    assert allocated_worker.post(_url(demo, "/items/change"), data=again).status_code == 303
    assert _action(db, demo, "my words").who == "Sam"


def test_a_change_to_something_taken_out_meanwhile_keeps_the_words_in_the_add_form(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    allocated_worker.post(_url(demo, "/items"), data=ACTION)
    row = _action(db, demo, "meet Jordan weekly")
    ref = {"section": "actions", "item_id": str(row.id), "revision": str(row.revision)}
    assert allocated_worker.post(_url(demo, "/items/remove"), data={**ref, "confirmed": "yes"}).status_code == 303
    response = allocated_worker.post(_url(demo, "/items/change"), data={**ACTION, **ref, "action": "my new words"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "took this out" in page
    assert re.search(r'id="add-actions-action"[^>]*>my new words</textarea>', page)


def test_removing_asks_first_and_only_the_confirmation_removes(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    allocated_worker.post(_url(demo, "/items"), data=ACTION)
    row = _action(db, demo, "meet Jordan weekly")
    ref = {"section": "actions", "item_id": str(row.id), "revision": str(row.revision)}
    asking = allocated_worker.post(_url(demo, "/items/remove"), data=ref)
    assert asking.status_code == 200
    assert "Remove this from the draft?" in asking.get_data(as_text=True)
    assert _action(db, demo, "meet Jordan weekly")  # still there
    partial = allocated_worker.post(_url(demo, "/items/remove"), data=ref, headers=HTMX).get_data(as_text=True)
    assert "<html" not in partial and 'name="confirmed" value="yes"' in partial
    done = allocated_worker.post(_url(demo, "/items/remove"), data={**ref, "confirmed": "yes"})
    assert done.status_code == 303
    assert "meet Jordan weekly" not in _actions_in_order(db, demo)


def test_removing_something_changed_since_asks_again_with_what_it_says_now(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    allocated_worker.post(_url(demo, "/items"), data=ACTION)
    row = _action(db, demo, "meet Jordan weekly")
    ref = {"section": "actions", "item_id": str(row.id), "revision": str(row.revision)}
    allocated_worker.post(_url(demo, "/items/change"), data={**ACTION, **ref, "action": "meet Jordan at school"})
    response = allocated_worker.post(_url(demo, "/items/remove"), data={**ref, "confirmed": "yes"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "meet Jordan at school" in page and "Remove this from the draft?" in page
    assert "meet Jordan at school" in _actions_in_order(db, demo)


def test_actions_move_up_and_down_by_priority(allocated_worker: CsrfClient, db: Session, demo: DemoPeople) -> None:
    for words in ("first", "second"):
        allocated_worker.post(_url(demo, "/items"), data={**ACTION, "action": words})
    order = _actions_in_order(db, demo)
    assert order.index("first") < order.index("second")
    row = _action(db, demo, "second")
    move = {"section": "actions", "item_id": str(row.id), "revision": str(row.revision), "direction": "up"}
    assert allocated_worker.post(_url(demo, "/items/move"), data=move).status_code == 303
    order = _actions_in_order(db, demo)
    assert order.index("second") < order.index("first")
    bad_move = allocated_worker.post(_url(demo, "/items/move"), data={**move, "direction": "sideways"})
    assert bad_move.status_code == 422 and "Choose up or down." in bad_move.get_data(as_text=True)
    stale = allocated_worker.post(_url(demo, "/items/move"), data={**move, "direction": "down"})
    assert stale.status_code == 409


def test_statements_keep_the_own_words_mark(allocated_worker: CsrfClient, db: Session, demo: DemoPeople) -> None:
    data = {"section": "emergency", "kind": "will", "text": "call Aunt Dee", "own_words": "on"}
    assert allocated_worker.post(_url(demo, "/items"), data=data).status_code == 303
    row = db.exec(select(ChildStatement).where(ChildStatement.text == "call Aunt Dee")).one()
    assert (row.moment, row.kind, row.own_words) == ("emergency", "will", True)
    page = allocated_worker.get(_url(demo)).get_data(as_text=True)
    section = page[page.index('id="sec-emergency"') : page.index('id="sec-safe_word"')]
    assert "call Aunt Dee" in section and "In the young person's own words" in section


def test_unsafe_places_are_flagged_in_words(allocated_worker: CsrfClient, demo: DemoPeople) -> None:
    data = {"section": "places", "name": "the underpass", "safety": "not_safe"}
    assert allocated_worker.post(_url(demo, "/items"), data=data).status_code == 303
    page = allocated_worker.get(_url(demo)).get_data(as_text=True)
    assert re.search(r"the underpass</strong>\s*<span class=\"badge not_safe\">Unsafe place</span>", page)


def test_the_draft_fields_save_and_a_stale_revision_keeps_the_typed_words(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    revision = _draft(db, demo).revision
    data = {"section": "contingency", "revision": str(revision), "contingency_steps": "call the duty team"}
    assert allocated_worker.post(_url(demo, "/fields"), data=data).status_code == 303
    assert _draft(db, demo).contingency_steps == "call the duty team"
    stale = allocated_worker.post(_url(demo, "/fields"), data={**data, "contingency_steps": "my other words"})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert any("call the duty team" in alert for alert in bad.alerts(page))
    assert re.search(r'id="f-contingency-contingency_steps"[^>]*>my other words</textarea>', page)
    assert _draft(db, demo).contingency_steps == "call the duty team"


def test_a_review_more_than_8_weeks_away_is_refused_with_the_reason(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    revision = str(_draft(db, demo).revision)
    base = {"section": "review", "revision": revision, "review_trigger": "if Jordan goes missing again"}
    late = (today() + timedelta(days=57)).isoformat()
    response = allocated_worker.post(_url(demo, "/fields"), data={**base, "review_date": late})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    latest = (today() + timedelta(days=56)).isoformat()
    assert f"Reviews are no more than 8 weeks apart: choose {latest} or earlier." in page
    assert "if Jordan goes missing again" in page and f'value="{late}"' in page
    past = allocated_worker.post(_url(demo, "/fields"), data={**base, "review_date": today().isoformat()})
    assert past.status_code == 422 and "The review must be after" in past.get_data(as_text=True)
    empty = allocated_worker.post(_url(demo, "/fields"), data={**base, "review_date": ""})
    assert empty.status_code == 422 and "Enter the review date, like 2026-12-14." in empty.get_data(as_text=True)
    ok = allocated_worker.post(_url(demo, "/fields"), data={**base, "review_date": latest})
    assert ok.status_code == 303
    draft = _draft(db, demo)
    assert (draft.review_date.isoformat() if draft.review_date else "", draft.review_trigger) == (
        latest,
        "if Jordan goes missing again",
    )


def test_a_form_without_a_section_or_item_is_refused_not_guessed(
    allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    for tail in ("/items", "/items/change", "/items/remove", "/items/move", "/fields"):
        response = allocated_worker.post(_url(demo, tail), data={})
        assert response.status_code == 422, tail
        assert "Choose a section of the plan" in response.get_data(as_text=True)
    response = allocated_worker.post(_url(demo, "/items/remove"), data={"section": "actions", "item_id": "x"})
    assert response.status_code == 422 and "Choose an item of the plan first." in response.get_data(as_text=True)


def _jordans_idea(db: Session, demo: DemoPeople) -> ChildStatement:
    draft = _draft(db, demo)
    agreed = latest_agreed(session=db, plan_id=draft.plan_id)
    agreed_texts = set(db.exec(select(ChildStatement.text).where(ChildStatement.version_id == agreed.id)).all())  # type: ignore[union-attr]
    rows = db.exec(
        select(ChildStatement).where(
            ChildStatement.version_id == draft.id, ChildStatement.written_by_member_id == demo.young_person_id
        )
    ).all()
    idea = next(r for r in rows if r.text not in agreed_texts)
    return idea


def test_family_ideas_show_whose_they_are_and_left_ideas_are_not_agreed(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    idea = _jordans_idea(db, demo)
    page = allocated_worker.get(_url(demo)).get_data(as_text=True)
    ideas = page[page.index('id="family-ideas"') : page.index('id="sec-actions"')]
    assert idea.text.replace("'", "&#39;") in ideas and "Jordan's own words" in ideas
    decide = {"list": "statements", "item_id": str(idea.id), "revision": str(idea.revision), "status": "idea"}
    response = allocated_worker.post(_url(demo, "/ideas"), data=decide, headers=HTMX)
    assert response.status_code == 200 and "Left as an idea" in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(ChildStatement, idea.id).idea_status == IdeaStatus.IDEA  # type: ignore[union-attr]
    stale = allocated_worker.post(_url(demo, "/ideas"), data={**decide, "status": "in_plan"})
    assert stale.status_code == 409
    # Agreed now: the idea is not in the agreed version, and is still an idea in the next draft.
    sam = Actor(kind=AccountKind.PRACTITIONER, account_id=practitioner_id(db, demo.social_worker_email))
    draft = _draft(db, demo)
    agreed = agree_draft(
        session=db,
        actor=sam,
        plan_id=draft.plan_id,
        agreement=Agreement(
            agreed_by="Jordan, Sam",
            agreed_on=today(),
            review_date=today() + timedelta(days=28),
            expected_revision=draft.revision,
        ),
    )
    db.commit()
    agreed_texts = db.exec(select(ChildStatement.text).where(ChildStatement.version_id == agreed.id)).all()
    assert idea.text not in agreed_texts
    carried = db.exec(
        select(ChildStatement).where(ChildStatement.version_id == _draft(db, demo).id, ChildStatement.text == idea.text)
    ).one()
    assert carried.idea_status == IdeaStatus.IDEA and carried.own_words


def test_an_idea_brought_in_stays_the_young_persons_own_words(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    idea = _jordans_idea(db, demo)
    decide = {"list": "statements", "item_id": str(idea.id), "revision": str(idea.revision), "status": "in_plan"}
    assert allocated_worker.post(_url(demo, "/ideas"), data=decide).status_code == 303
    db.expire_all()
    row = db.get(ChildStatement, idea.id)
    assert row is not None and row.idea_status == IdeaStatus.IN_PLAN and row.own_words
    assert allocated_worker.post(_url(demo, "/ideas"), data={**decide, "list": "nonsense"}).status_code == 422
    bad_status = allocated_worker.post(
        _url(demo, "/ideas"), data={**decide, "revision": str(row.revision), "status": "x"}
    )
    assert bad_status.status_code == 422


def test_comparing_versions_marks_added_and_removed_words_in_words(
    allocated_worker: CsrfClient, demo: DemoPeople
) -> None:
    allocated_worker.post(_url(demo, "/items"), data=ACTION)
    page = allocated_worker.get(f"/children/{demo.jordan_id}/versions/compare").get_data(as_text=True)
    assert '<ins><span class="visually-hidden">added: </span>Sam: meet Jordan weekly' in page
    # Who changed it, by name: never an account label such as "practitioner:1".
    assert "By Sam Okafor" in page
    assert "By practitioner:" not in page and "By family:" not in page
    chosen = allocated_worker.get(f"/children/{demo.jordan_id}/versions/compare?from=1&to=1")
    assert chosen.status_code == 200 and "These two versions say the same." in chosen.get_data(as_text=True)
    odd = allocated_worker.get(f"/children/{demo.jordan_id}/versions/compare?from=%D9%A1&to=999999999999")
    assert odd.status_code == 200


WRITES = [
    ("get", ""),
    ("post", "/start"),
    ("post", "/items"),
    ("post", "/items/change"),
    ("post", "/items/remove"),
    ("post", "/items/move"),
    ("post", "/fields"),
    ("post", "/ideas"),
]


def _client(application: SaferPlan, db: Session, demo: DemoPeople, who: str) -> CsrfClient:
    if who == "team_member":
        return bad.practitioner_client(application, db, add_team_member(db, demo).email)
    email = {
        "manager": demo.manager_email,
        "partner": demo.agency_partner_email,
        "alex": demo.other_worker_email,
        "admin": demo.admin_email,
    }[who]
    return bad.practitioner_client(application, db, email)


@pytest.mark.parametrize("who", ["manager", "team_member", "partner", "alex", "admin"])
def test_only_editors_may_write_the_draft(application: SaferPlan, db: Session, demo: DemoPeople, who: str) -> None:
    client = _client(application, db, demo, who)
    for method, tail in WRITES:
        response = getattr(client, method)(
            _url(demo, tail), data={**ACTION, "item_id": "1", "revision": "1"} if method == "post" else None
        )
        assert response.status_code == 404, (who, tail)
    compare = client.get(f"/children/{demo.jordan_id}/versions/compare")
    # Whole-plan readers compare versions; partners, unlinked workers and admins do not.
    assert compare.status_code == (200 if who in ("manager", "team_member") else 404)
    if who in ("manager", "team_member"):
        assert "Write the plan" not in compare.get_data(as_text=True)


def test_the_chair_may_write_the_draft(application: SaferPlan, db: Session, demo: DemoPeople) -> None:
    priya = bad.practitioner_client(application, db, demo.chair_email)
    assert priya.get(_url(demo)).status_code == 200
    assert priya.post(_url(demo, "/items"), data=ACTION).status_code == 303


def test_alex_writes_kaylas_plan_but_not_jordans(unallocated_worker: CsrfClient, demo: DemoPeople) -> None:
    assert unallocated_worker.get(f"/children/{demo.kayla_id}/draft").status_code == 200
    data = {**ACTION, "who": "Alex"}
    assert unallocated_worker.post(f"/children/{demo.kayla_id}/draft/items", data=data).status_code == 303
    assert unallocated_worker.post(_url(demo, "/items"), data=data).status_code == 404


def test_the_family_ideas_part_follows_the_plan_live(
    allocated_worker: CsrfClient, young_person: CsrfClient, demo: DemoPeople
) -> None:
    page = allocated_worker.get(_url(demo)).get_data(as_text=True)
    assert f'sse-connect="/children/{demo.jordan_id}/live?since=' in page
    assert re.search(r'<div id="ideas-live" data-live-part hx-get="[^"]*/draft" hx-trigger="sse:plan-changed', page)
    idea = {"moment": "everyday", "kind": "might", "text": "go to the youth club on Tuesdays"}
    assert young_person.post(f"/c/{demo.jordan_id}/statements", data=idea).status_code == 303
    refreshed = allocated_worker.get(_url(demo), headers=HTMX).get_data(as_text=True)
    assert "<html" not in refreshed
    ideas = refreshed[refreshed.index('id="ideas-live"') : refreshed.index('id="sec-actions"')]
    assert "go to the youth club on Tuesdays" in ideas and "Jordan's own words" in ideas


def test_a_child_with_no_plan_is_offered_one_and_starting_it_opens_an_empty_draft(
    allocated_worker: CsrfClient, db: Session, demo: DemoPeople
) -> None:
    plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None
    plan.status = "closed"
    db.commit()
    offer = allocated_worker.get(_url(demo))
    assert offer.status_code == 200 and "Start the plan" in offer.get_data(as_text=True)
    assert allocated_worker.post(_url(demo, "/start")).status_code == 303
    page = allocated_worker.get(_url(demo)).get_data(as_text=True)
    assert "Working draft (version 1)" in page and "Nothing here yet." in page
    new_plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert new_plan is not None and new_plan.id != plan.id
