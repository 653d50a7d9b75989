"""Issue 11: the reviews due on the caller's caseload over the API (app.api.review_views), from the work
tray's own query: overdue, due within the week, or all; a page at a time, capped; with the next
meeting and its facilitator where the caller may read the meetings. Alex's token never sees Jordan's.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from app import SaferPlan
from app.demo.seed import DemoPeople
from app.timeutil import today
from tests.factories import meetings, people, plans
from tests.functional.api.conftest import Tokens, bearer, make_token, practitioner_actor
from tests.functional.practitioner.test_caseload import _counting
from tests.support.incidents import freeze
from tests.support.meetings import sam_of, schedule_for_jordan

PROBLEM = "application/problem+json"
# The demo agreed Jordan's plan with its review on Monday 14 December 2026 (Kay has no agreed plan).
JORDANS_REVIEW = "2026-12-14"


def _reviews(api: FlaskClient, tokens: Tokens, status: str) -> list[dict[str, object]]:
    answer = api.get(f"/reviews?status={status}", headers=bearer(tokens.sam))
    assert answer.status_code == 200, answer.data
    items: list[dict[str, object]] = answer.json["items"]
    return items


@pytest.mark.parametrize(
    ("day", "overdue", "due_soon", "days_overdue", "days_until"),
    [
        (date(2026, 12, 1), False, False, 0, 13),
        (date(2026, 12, 10), False, True, 0, 4),
        (date(2026, 12, 14), False, True, 0, 0),
        (date(2026, 12, 20), True, False, 6, None),
    ],
)
def test_jordans_review_is_listed_by_how_soon_it_is(
    api: FlaskClient,
    tokens: Tokens,
    demo: DemoPeople,
    monkeypatch: pytest.MonkeyPatch,
    day: date,
    overdue: bool,
    due_soon: bool,
    days_overdue: int,
    days_until: int | None,
) -> None:
    freeze(monkeypatch, day)
    every = _reviews(api, tokens, "all")
    assert [r["child_id"] for r in every] == [demo.jordan_id]
    jordan = every[0]
    assert jordan["review_date"] == JORDANS_REVIEW and jordan["preferred_name"] == "Jordan"
    assert (jordan["days_overdue"], jordan["days_until"], jordan["meeting_type"]) == (
        days_overdue,
        days_until,
        "safer_me",
    )
    assert bool(_reviews(api, tokens, "overdue")) is overdue
    assert bool(_reviews(api, tokens, "due_soon")) is due_soon
    # The default is every review.
    assert api.get("/reviews", headers=bearer(tokens.sam)).json["items"] == every


def test_the_next_meeting_and_its_facilitator_come_with_the_review(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    assert _reviews(api, tokens, "all")[0]["next_meeting"] is None
    sam = sam_of(db, demo)
    later = schedule_for_jordan(db, demo, sam, days=9)
    sooner = schedule_for_jordan(db, demo, sam, days=3, by_dee=True)
    db.commit()
    coming = _reviews(api, tokens, "all")[0]["next_meeting"]
    assert isinstance(coming, dict)
    assert coming["id"] == sooner.id != later.id
    record = api.get(f"/children/{demo.jordan_id}/meetings/{sooner.id}", headers=bearer(tokens.sam)).json
    assert coming["facilitator"] == record["facilitator"] != ""
    assert (coming["meeting_type"], coming["is_review"]) == ("safer_me", False)


def test_alex_sees_only_his_own_caseloads_reviews(api: FlaskClient, tokens: Tokens, demo: DemoPeople) -> None:
    answer = api.get("/reviews?status=all", headers=bearer(tokens.alex))
    assert answer.status_code == 200
    assert answer.json["items"] == [] and answer.json["total"] == 0


def test_reviews_come_a_page_at_a_time_and_bad_queries_are_problems(api: FlaskClient, tokens: Tokens) -> None:
    first = api.get("/reviews?status=all&per_page=1", headers=bearer(tokens.sam)).json
    assert len(first["items"]) == 1 and first["pages"] == first["total"] == 1 and first["per_page"] == 1
    # Past the last page: no items (a sync paging until a page is empty stops).
    assert api.get("/reviews?status=all&page=2", headers=bearer(tokens.sam)).json["items"] == []
    for query in ("status=late", "per_page=101", "page=0", "per_page=x", "colour=blue"):
        refused = api.get(f"/reviews?{query}", headers=bearer(tokens.sam))
        assert refused.status_code == 422 and refused.mimetype == PROBLEM, query
    assert api.get("/reviews").status_code == 401


def test_an_agency_partner_sees_the_review_but_not_the_meetings_he_may_not_read(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    schedule_for_jordan(db, demo, sam_of(db, demo), days=3)
    db.commit()
    rhys = make_token(db, practitioner_actor(db, demo.agency_partner_email), name="Police sync")
    assert api.get(f"/children/{demo.jordan_id}/meetings", headers=bearer(rhys)).status_code == 404
    listed = api.get("/reviews?status=all", headers=bearer(rhys)).json["items"]
    assert [(r["child_id"], r["review_date"], r["next_meeting"]) for r in listed] == [
        (demo.jordan_id, JORDANS_REVIEW, None)
    ]
    assert _reviews(api, tokens, "all")[0]["next_meeting"] is not None


def _cases_for_sam(db: Session, demo: DemoPeople, how_many: int, start: int) -> None:
    """Young people on Sam's caseload, each with an agreed plan (a review) and a meeting coming up."""
    sam = sam_of(db, demo)
    for n in range(start, start + how_many):
        child = people.child(db, first_name=f"Case{n:03d}", last_name="Test", date_of_birth=date(2011, 1, 1))
        people.assign(db, sam, child)
        plans.agreed_plan(db, child, by=sam, review_date=today() + timedelta(days=n % 20 - 5))
        meetings.meeting(db, child, by=sam, days=3)
    db.commit()


def test_a_page_of_reviews_costs_the_same_statements_for_2_and_for_30_cases(
    application: SaferPlan, api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople
) -> None:
    counts = []
    done = 0
    for total in (2, 30):
        _cases_for_sam(db, demo, total - done, start=done)
        done = total
        with _counting(application) as statements:
            page = api.get("/reviews?status=all&per_page=10", headers=bearer(tokens.sam))
        assert page.status_code == 200
        # Jordan's review and each new case's; each row with its meeting coming up.
        assert page.json["total"] == total + 1 and len(page.json["items"]) == min(10, total + 1)
        assert all(r["next_meeting"] is not None for r in page.json["items"] if r["child_id"] != demo.jordan_id)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    dates = [r["review_date"] for r in api.get("/reviews?per_page=100", headers=bearer(tokens.sam)).json["items"]]
    assert dates == sorted(dates) and len(dates) == 31
