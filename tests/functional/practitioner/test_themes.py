"""Issue 12 item 8, strategic themes: counts by risk grade, pathway, context type and deadline
over a chosen period (clock frozen), small numbers withheld with secondary suppression, the CSV
download, the period's validation, and who may read them (audited)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from app import SaferPlan
from app.audit.models import AuditEvent, AuditKind
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.themes import queries
from app.themes.download import safe_cell
from app.themes.suppression import table
from tests.support.clients import CsrfClient, make_client
from tests.support.concerns import actor_for
from tests.support.hub import add_hub_worker
from tests.support.roles import practitioner_id
from tests.support.signin import sign_in_as
from tests.support.themes import (
    at,
    date_earlier_concerns,
    graded_concern,
    peer_group_mapping,
    persons_concern_enquiry,
)

TODAY = date(2026, 12, 31)
DECEMBER = queries.Period(date(2026, 12, 1), date(2026, 12, 31))
DECEMBER_QUERY = {"from": "2026-12-01", "to": "2026-12-31"}


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch, db: Session, demo: DemoPeople) -> None:
    monkeypatch.setattr("app.themes.inputs.today", lambda: TODAY)
    monkeypatch.setattr("app.themes.queries.today", lambda: TODAY)
    # The demo's concern was recorded at the real clock's now: out of every period counted here.
    date_earlier_concerns(db, date(2020, 1, 1))
    db.commit()


@pytest.fixture
def hana(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    worker = add_hub_worker(db, demo)
    db.commit()
    client = make_client(application.practitioner)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=worker.id or 0)
    return client


@pytest.fixture
def december(db: Session, demo: DemoPeople) -> None:
    """A December of concerns: 7 high and 3 medium about Jordan, 6 peer groups, 5 persons of concern."""
    sam = practitioner_id(db, demo.social_worker_email)
    for day in range(10, 16):
        graded_concern(db, sam, demo.jordan_id, [("high", date(2026, 12, day))])
    for day in (16, 17, 18):
        graded_concern(db, sam, demo.jordan_id, [("medium", date(2026, 12, day))])
    # Re-assessed within the period: only the latest (high) counts, once.
    graded_concern(db, sam, demo.jordan_id, [("medium", date(2026, 12, 2)), ("high", date(2026, 12, 12))])
    # Assessed in November only: outside the period altogether.
    graded_concern(db, sam, demo.jordan_id, [("low", date(2026, 11, 20))])
    # Hub enquiries received on Christmas Eve, due Tuesday 29 December (Christmas, Boxing Day's
    # substitute on Monday 28th): 3 decided on the 29th, 1 on the 30th, 1 still open on the 31st.
    enquiries = [persons_concern_enquiry(db, sam, date(2026, 12, 24)) for _ in range(5)]
    assert {e.due_on for e in enquiries} == {date(2026, 12, 29)}
    for enquiry, decided in zip(enquiries, (29, 29, 29, 30, None), strict=True):
        enquiry.decided_at = at(date(2026, 12, decided), 23, 30) if decided else None  # 23:30 GMT: still that day
        db.add(enquiry)
    # Mapping meetings opened on 1 December, due the 15th: held the 14th, held the 16th, 3 never
    # held (late by the 31st); one opened on Christmas Eve, not due until 12 January.
    mappings = [peer_group_mapping(db, sam, date(2026, 12, 1), name=f"group {n}") for n in range(5)]
    assert {m.due_on for m in mappings} == {date(2026, 12, 15)}
    mappings[0].held_on, mappings[1].held_on = date(2026, 12, 14), date(2026, 12, 16)
    db.add_all(mappings[:2])
    peer_group_mapping(db, sam, date(2026, 12, 24), name="the skate park")
    db.commit()


def test_the_counts_are_grouped_in_the_database_over_the_period(db: Session, december: None) -> None:
    assert queries.grade_counts(db, DECEMBER) == {"high": 7, "medium": 3}
    # Jordan is open to Children's Social Work: high -> Safer Me Plus, medium -> with his social worker.
    assert queries.pathway_counts(db, DECEMBER) == {
        "safer_me_plus": 7,
        "safer_me_with_social_worker": 3,
        "hub_and_mace": 5,
        "mapping_meeting": 6,
    }
    assert queries.subject_counts(db, DECEMBER) == {
        "individual": 10,
        "persons_of_concern": 5,
        "peer_group_or_location": 6,
    }
    assert queries.hub_deadline_counts(db, DECEMBER, TODAY) == {"met": 3, "missed": 2}
    assert queries.mapping_deadline_counts(db, DECEMBER, TODAY) == {"met": 1, "missed": 4, "not_due": 1}
    # A period that ends before the meetings were due: those not held are not due yet, not missed.
    early = queries.Period(date(2026, 12, 1), date(2026, 12, 10))
    assert queries.mapping_deadline_counts(db, early, date(2026, 12, 10)) == {"met": 1, "missed": 1, "not_due": 3}
    assert queries.grade_counts(db, queries.Period(date(2026, 11, 1), date(2026, 11, 30))) == {"low": 1}


def test_every_count_is_grouped_in_the_database_never_read_row_by_row(
    db: Session, demo: DemoPeople, december: None
) -> None:
    statements: list[str] = []

    def capture(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    bind = db.connection()
    event.listen(bind, "before_cursor_execute", capture)
    try:
        found = queries.themes(session=db, actor=actor_for(practitioner_id(db, demo.manager_email)), period=DECEMBER)
    finally:
        event.remove(bind, "before_cursor_execute", capture)
    assert found.grades.cells[2].count == 7
    tables = ("assessment", "route_decision", "concern", "hub_enquiry", "mapping_meeting")
    counting = [s for s in statements if any(f"FROM {table}" in s for table in tables)]
    assert len(counting) >= 6 and all("GROUP BY" in s for s in counting), counting


def test_a_decision_at_half_past_midnight_in_summer_time_is_the_next_day_in_england(
    db: Session, demo: DemoPeople
) -> None:
    sam = practitioner_id(db, demo.social_worker_email)
    on_time = persons_concern_enquiry(db, sam, date(2026, 6, 30))  # due Wednesday 1 July
    late = persons_concern_enquiry(db, sam, date(2026, 6, 30))
    on_time.decided_at = at(date(2026, 7, 1), 22, 30)  # 23:30 in England
    late.decided_at = at(date(2026, 7, 1), 23, 30)  # 00:30 on 2 July in England
    db.add_all([on_time, late])
    db.commit()
    june = queries.Period(date(2026, 6, 1), date(2026, 6, 30))
    assert queries.hub_deadline_counts(db, june, TODAY) == {"met": 1, "missed": 1}


def test_small_numbers_are_withheld_and_so_is_a_total_that_would_give_them_away() -> None:
    grades = table("risk_grade", {"high": 7, "medium": 3}, ["low", "medium", "high"])
    assert [cell.count for cell in grades.cells] == [None, None, 7] and grades.total is None
    one_small = table("x", {"a": 9, "b": 2}, ["a", "b"])
    assert one_small.total is None  # 11 - 9 would give b away
    every_cell_shown = table("x", {"a": 5, "b": 16}, ["a", "b"])
    assert [c.count for c in every_cell_shown.cells] == [5, 16] and every_cell_shown.total == 21
    assert table("x", {}, ["a"]).cells[0].withheld  # nothing at all is "fewer than 5" too


def test_the_page_shows_the_counts_with_small_numbers_withheld(manager: CsrfClient, december: None) -> None:
    answer = manager.get("/themes", query_string=DECEMBER_QUERY)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Cache-Control"].startswith("no-store")
    assert "From 1 December 2026 to 31 December 2026" in page
    assert '<th scope="row">High risk</th>\n          <td>7</td>' in page
    assert '<th scope="row">Medium risk</th>\n          <td>fewer than 5</td>' in page
    # Context types are all 5 or more: the total (21) is shown; grades' total is not.
    assert "<td>21</td>" in page and "<td>not shown</td>" in page
    assert "<td>3</td>" not in page and "<td>10</td>" in page  # 3 medium never shown; 10 individuals
    for name in ("Jordan", "Ellis", "grey van", "Eastgate", "skate park"):
        assert name not in page
    assert 'href="/themes.csv?from=2026-12-01&amp;to=2026-12-31"' in page


def test_the_default_period_is_the_last_3_months(hana: CsrfClient) -> None:
    page = hana.get("/themes").get_data(as_text=True)
    assert 'value="2026-09-30"' in page and 'value="2026-12-31"' in page
    assert "From 30 September 2026 to 31 December 2026" in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2026-12-31", "to": "2026-12-01"}, "to", "The last day must be on or after the first day."),
        ({"from": "last tuesday", "to": "2026-12-01"}, "from", "Enter the first day of the period, like 2026-09-01."),
        ({"from": "2026-12-01", "to": "2027-01-05"}, "to", "The period cannot end after today."),
        ({"from": "2019-12-01", "to": "2026-12-01"}, "from", "Choose a first day in 2020 or later."),
        ({"from": "2020-01-01", "to": "2026-12-01"}, "to", "Choose a period of 3 years or less."),
        ({"from": "2026-12-01"}, "to", "Enter the last day of the period, like 2026-11-30."),
    ],
)
def test_a_refused_period_says_why_and_keeps_what_was_typed(
    manager: CsrfClient, query: dict[str, str], field: str, message: str
) -> None:
    for path in ("/themes", "/themes.csv"):
        answer = manager.get(path, query_string=query)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422 and message in page and f'href="#{field}"' in page
        assert f'value="{query["from"]}"' in page and "Download these counts" not in page


def test_the_csv_holds_counts_only_and_downloads_as_a_file(manager: CsrfClient, december: None) -> None:
    answer = manager.get("/themes.csv", query_string=DECEMBER_QUERY)
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == (
        'attachment; filename="strategic-themes-2026-12-01-to-2026-12-31.csv"'
    )
    text = answer.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[:3] == [
        ["measure", "category", "count"],
        ["period", "from", "2026-12-01"],
        ["period", "to", "2026-12-31"],
    ]
    counts = {(measure.split(" (")[0], category): count for measure, category, count in rows[3:]}
    assert counts[("Risk grade", "High risk")] == "7"
    assert counts[("Risk grade", "Medium risk")] == "<5" and counts[("Risk grade", "Low risk")] == "<5"
    assert counts[("Risk grade", "Total")] == "suppressed"
    assert counts[("Context type", "Total")] == "21"
    assert counts[("Hub enquiries decided within one working day", "Deadline met")] == "<5"
    assert counts[("Mapping meetings held within 10 working days", "Not due yet")] == "<5"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    for name in ("Jordan", "Ellis", "grey van", "Eastgate", "skate park"):
        assert name not in text


def test_a_cell_a_spreadsheet_would_run_is_written_as_text() -> None:
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [safe_cell(v) for v in ("+1", "-1", "@A1", "\tx", "<5", "Low risk")] == [
        "'+1",
        "'-1",
        "'@A1",
        "'\tx",
        "<5",
        "Low risk",
    ]


def test_only_managers_and_the_hub_read_them_and_every_read_is_audited(
    manager: CsrfClient, hana: CsrfClient, allocated_worker: CsrfClient, admin: CsrfClient, db: Session
) -> None:
    before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
    assert "Strategic themes</a>" in manager.get("/caseload").get_data(as_text=True)
    assert "Strategic themes</a>" not in allocated_worker.get("/caseload").get_data(as_text=True)
    for client in (manager, hana):
        assert client.get("/themes").status_code == 200
        assert client.get("/themes.csv", query_string=DECEMBER_QUERY).status_code == 200
    for client in (allocated_worker, admin):
        assert client.get("/themes").status_code == 404
        assert client.get("/themes.csv", query_string=DECEMBER_QUERY).status_code == 404
        assert client.get("/themes", query_string={"from": "x"}).status_code == 404  # no rules shown either
    events = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.action == "themes.read")).all()
    kinds = [event.kind for event in events]
    assert kinds.count(AuditKind.READ) == 4 and kinds.count(AuditKind.DENIED) == 6
