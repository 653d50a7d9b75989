"""The audit search, readable and within the policy (issue 8 "Audit log for people", issue 14 §4, R2, R20, R21).

A manager (Morgan, Adolescent Safety Team) reads the rows about the children their team holds,
with names and roles in plain sentences; an admin (Dana) searches the whole log, but sees
children and families by record number only. Every query parameter is typed: a refused filter
answers with the form and a message, never a server error.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent, AuditKind
from app.people.models import Practitioner, PractitionerRole
from app.timeutil import today
from tests.factories import audit, commitments, people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support import bad_input as bad
from tests.support.clients import CsrfClient


@dataclass(frozen=True)
class World:
    """Jordan's case (Sam's, in Morgan's team) with an agreed plan holding a commitment of Lisa's;
    Kay's case is Alex's, in Early Help (West); Dana is the as_admin."""

    case: Case
    kay: Case
    morgan: Practitioner
    dana: Practitioner

    @property
    def jordan_id(self) -> int:
        return self.case.child.id or 0

    @property
    def kayla_id(self) -> int:
        return self.kay.child.id or 0

    @property
    def parent_id(self) -> int:
        return self.case.parent.id or 0


@pytest.fixture
def world(db: Session, case: Case) -> World:
    plans.agreed_plan(
        db,
        case.child,
        commitments.commitment_input(case.parent, "a weekly plan for evenings with Jordan", by_when="Sundays"),
        by=case.worker,
    )
    kay = people.other_case(db)
    plans.plan(db, kay.child, by=kay.worker)
    morgan = people.practitioner(db, name="Morgan Lee", role=PractitionerRole.MANAGER, team=case.worker.team)
    dana = people.practitioner(db, name="Dana Whitfield", role=PractitionerRole.ADMIN, team="Systems")
    return World(case=case, kay=kay, morgan=morgan, dana=dana)


@pytest.fixture
def as_manager(world: World, sign_in: SignIn) -> CsrfClient:
    """Morgan Lee, manager of Sam's team."""
    return sign_in(world.morgan)


@pytest.fixture
def as_admin(world: World, sign_in: SignIn) -> CsrfClient:
    """Dana Whitfield, who searches the whole log."""
    return sign_in(world.dana)


@pytest.fixture
def as_alex(world: World, sign_in: SignIn) -> CsrfClient:
    """Alex Morgan, Kay's worker, with no link to Jordan."""
    return sign_in(world.kay.worker)


ROW = re.compile(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>")


def rows(response: object) -> list[tuple[str, str, str, str, str]]:
    """(when, who, record, what happened, outcome) for each row of the audit table."""
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    return [tuple(html.unescape(cell) for cell in row) for row in ROW.findall(page)]  # type: ignore[misc]


def text(response: object) -> str:
    return bad.visible_text(response.get_data(as_text=True))  # type: ignore[attr-defined]


def total(response: object) -> int:
    found = re.search(r"(\d+) events", text(response))
    assert found, "the page gives no total"
    return int(found.group(1))


def practitioner_label(someone: Practitioner) -> str:
    return f"practitioner:{someone.id}"


# --- Readable: names, roles and plain sentences ----------------------------------------------------


def test_a_manager_reads_names_roles_and_plain_sentences(
    as_manager: CsrfClient, as_worker: CsrfClient, as_parent: CsrfClient, world: World
) -> None:
    """Issue 8: not `practitioner:5` and `plan.read_full`, but "Sam Okafor, social worker, opened
    Jordan's full plan", "Lisa Ellis, parent or carer, commented on a commitment"."""
    assert as_worker.get(f"/children/{world.jordan_id}").status_code == 200
    commitment_id, latest = bad.lisas_commitment(as_parent, world)
    commented = as_parent.post(
        f"/c/{world.jordan_id}/commitments/{commitment_id}/comment", data={"comment": "Going well", "latest": latest}
    )
    assert commented.status_code == 303
    assert (
        as_parent.post(f"/c/{world.jordan_id}/commitments/{commitment_id}/done", data={"done": "1"}).status_code == 303
    )

    found = rows(as_manager.get("/audit", query_string={"child_id": str(world.jordan_id)}))
    sentences = [row[3] for row in found]
    assert "Sam Okafor, social worker, opened Jordan's full plan" in sentences
    assert "Lisa Ellis, parent or carer, commented on a commitment in Jordan's plan" in sentences
    assert "Lisa Ellis, parent or carer, marked a commitment done in Jordan's plan" in sentences
    assert {row[1] for row in found} >= {"Sam Okafor", "Lisa Ellis"}
    assert {row[4] for row in found} <= {"Allowed", "Changed", "Refused"}
    page = as_manager.get("/audit").get_data(as_text=True)
    for code in ("practitioner:", "family:", "plan.read_full", "commitment_update"):
        assert code not in bad.visible_text(page), f"{code!r} shown as a code"


def test_a_refusal_reads_as_a_refusal(
    as_manager: CsrfClient, as_alex: CsrfClient, as_worker: CsrfClient, world: World
) -> None:
    """A refused read names who tried and what, in words (Alex Morgan has no link to Jordan)."""
    assert as_alex.get(f"/children/{world.jordan_id}").status_code == 404
    refused = rows(as_manager.get("/audit", query_string={"child_id": str(world.jordan_id), "kind": "denied"}))
    assert ("Alex Morgan", str(world.jordan_id)) in {(row[1], row[2]) for row in refused}
    assert "Alex Morgan, lead professional, tried to open Jordan's full plan and was refused" in {
        row[3] for row in refused
    }
    assert {row[4] for row in refused} == {"Refused"}


def test_an_action_no_one_has_described_yet_still_reads_as_a_sentence(
    as_manager: CsrfClient, db: Session, world: World
) -> None:
    """A permission or table added later falls back to a sentence with its code, not an error."""
    sam = practitioner_label(world.case.worker)
    db.add(AuditEvent(actor=sam, child_id=world.jordan_id, kind=AuditKind.READ, action="meeting.minutes"))
    db.add(AuditEvent(actor=sam, child_id=world.jordan_id, kind=AuditKind.WRITE, action="signed", entity="minutes"))
    db.commit()
    sentences = {row[3] for row in rows(as_manager.get("/audit", query_string={"actor": sam}))}
    assert "Sam Okafor, social worker, used “meeting.minutes” on Jordan's record" in sentences
    assert "Sam Okafor, social worker, made a change, “minutes signed”, to Jordan's record" in sentences


def test_the_young_persons_history_still_names_people(
    as_young_person: CsrfClient, as_worker: CsrfClient, as_parent: CsrfClient, world: World
) -> None:
    """ "Who looked at my plan" shares the names logic: practitioners with their role, family by name."""
    assert as_worker.get(f"/children/{world.jordan_id}").status_code == 200
    assert as_parent.get(f"/c/{world.jordan_id}").status_code == 200
    page = text(as_young_person.get(f"/c/{world.jordan_id}/history"))
    assert "Sam Okafor (Social worker) looked at your plan" in page
    assert "Lisa Ellis looked at your plan" in page
    assert "practitioner:" not in page and "family:" not in page


# --- Within the policy: managers and admins ---------------------------------------------------------


def test_a_managers_unfiltered_search_holds_only_their_teams_children(
    as_manager: CsrfClient, as_admin: CsrfClient, as_alex: CsrfClient, world: World
) -> None:
    """R2: without a filter Morgan sees Jordan's rows and not one of Kayla's (Early Help West); the
    admin's whole-log search shows Kayla's row, by record number."""
    assert as_alex.get(f"/children/{world.kayla_id}").status_code == 200
    for per_page in ("100",):
        records = {row[2] for row in rows(as_manager.get("/audit", query_string={"per_page": per_page}))}
        assert str(world.jordan_id) in records
        assert str(world.kayla_id) not in records
    assert str(world.kayla_id) in {row[2] for row in rows(as_admin.get("/audit", query_string={"per_page": "100"}))}
    page = as_manager.get("/audit").get_data(as_text=True)
    assert "Kay Brooks" not in page and "Alex Morgan" not in page, "someone from Kayla's trail is offered"


def test_a_managers_choices_are_lists_of_people_and_of_their_teams_children(
    as_manager: CsrfClient, as_worker: CsrfClient, db: Session, world: World
) -> None:
    """Filters by person and child are choices, not typed labels: Jordan is offered, Kayla is not."""
    assert as_worker.get(f"/children/{world.jordan_id}").status_code == 200
    page = as_manager.get("/audit").get_data(as_text=True)
    assert re.search(r'<select id="actor" name="actor"', page)
    assert not re.search(r'<input[^>]*name="actor"', page)
    sam = practitioner_label(world.case.worker)
    assert f'<option value="{sam}">Sam Okafor, social worker</option>' in page
    children = re.search(r'<select id="child_id" name="child_id".*?</select>', page, flags=re.S)
    assert children
    assert f'<option value="{world.jordan_id}">Jordan Ellis, record {world.jordan_id}</option>' in children.group(0)
    assert f'value="{world.kayla_id}"' not in children.group(0)
    assert 'type="date" id="from" name="from"' in page and 'type="date" id="to" name="to"' in page


def test_another_teams_child_is_answered_like_a_missing_one_and_audited(
    as_manager: CsrfClient, db: Session, world: World
) -> None:
    """?child_id=<Kayla> for Morgan: 404 with the form and a message, word for word what a record
    that does not exist gets (no existence oracle), and the refusal is in the log."""
    kaylas = as_manager.get("/audit", query_string={"child_id": str(world.kayla_id)})
    missing = as_manager.get("/audit", query_string={"child_id": bad.MISSING_ID})
    assert kaylas.status_code == missing.status_code == 404
    assert not rows(kaylas)
    assert bad.alerts(kaylas.get_data(as_text=True)) == bad.alerts(missing.get_data(as_text=True))
    assert "record number" in " ".join(bad.alerts(kaylas.get_data(as_text=True)))
    assert '<form method="get"' in kaylas.get_data(as_text=True)
    morgan = practitioner_label(world.morgan)
    denied = db.exec(
        select(AuditEvent).where(
            AuditEvent.actor == morgan, AuditEvent.child_id == world.kayla_id, AuditEvent.kind == AuditKind.DENIED
        )
    ).all()
    assert [event.action for event in denied] == ["audit.read"]


def test_an_admin_sees_record_numbers_and_never_a_child_or_family_name(
    as_admin: CsrfClient, as_worker: CsrfClient, as_parent: CsrfClient, db: Session, world: World
) -> None:
    """Admins never read plans, and "Lisa opened Jordan's plan" is itself about Jordan: they see
    practitioners by name (their accounts), children and families by number."""
    assert as_worker.get(f"/children/{world.jordan_id}").status_code == 200
    assert as_parent.get(f"/c/{world.jordan_id}").status_code == 200
    response = as_admin.get("/audit", query_string={"child_id": str(world.jordan_id), "per_page": "100"})
    assert response.status_code == 200
    page = text(response)
    for name in ("Jordan", "Ellis", "Denise", "Kay", "Brooks"):
        assert name not in page, f"the admin sees {name!r}"
    found = rows(response)
    assert {row[2] for row in found} == {str(world.jordan_id)}
    sentences = {row[3] for row in found}
    assert "Sam Okafor, social worker, opened the young person's full plan" in sentences
    assert f"Family account {world.parent_id}, parent or carer, opened the young person's plan" in sentences
    assert f'<option value="{world.kayla_id}">Record {world.kayla_id}</option>' in response.get_data(as_text=True)
    dana = practitioner_label(world.dana)
    searched = db.exec(select(AuditEvent).where(AuditEvent.actor == dana, AuditEvent.child_id == world.jordan_id)).all()
    assert [(e.kind, e.action) for e in searched] == [(AuditKind.READ, "audit.search_all")], "whose rows were read"


def test_only_managers_and_admins_search(as_worker: CsrfClient, as_young_person: CsrfClient) -> None:
    assert as_worker.get("/audit").status_code == 404
    assert as_young_person.get("/practitioner/audit").status_code in (302, 404)


# --- Filters: person, child, dates, pages -----------------------------------------------------------


def test_filter_by_person_child_and_dates(
    as_manager: CsrfClient, as_worker: CsrfClient, as_parent: CsrfClient, db: Session, world: World
) -> None:
    assert as_worker.get(f"/children/{world.jordan_id}").status_code == 200
    assert as_parent.get(f"/c/{world.jordan_id}").status_code == 200
    sam = practitioner_label(world.case.worker)
    by_sam = rows(as_manager.get("/audit", query_string={"actor": sam, "per_page": "100"}))
    assert by_sam and {row[1] for row in by_sam} == {"Sam Okafor"}
    by_lisa = rows(as_manager.get("/audit", query_string={"actor": f"family:{world.parent_id}"}))
    assert by_lisa and {row[1] for row in by_lisa} == {"Lisa Ellis"}
    everything = total(as_manager.get("/audit"))
    day = today()
    assert total(as_manager.get("/audit", query_string={"from": day.isoformat(), "to": day.isoformat()})) == everything
    assert total(as_manager.get("/audit", query_string={"from": (day + timedelta(days=1)).isoformat()})) == 0
    assert total(as_manager.get("/audit", query_string={"to": (day - timedelta(days=1)).isoformat()})) == 0
    chosen = as_manager.get("/audit", query_string={"actor": sam, "from": day.isoformat()}).get_data(as_text=True)
    assert f'<option value="{sam}" selected>' in chosen
    assert f'name="from" value="{day.isoformat()}"' in chosen


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"actor": "abc\x00def"}, "actor"),
        ({"actor": "practitioner:5 OR 1=1"}, "actor"),
        ({"child_id": "\u0661"}, "child_id"),
        ({"kind": "everything"}, "kind"),
        ({"from": "last tuesday"}, "from"),
        ({"from": "2026-02-30"}, "from"),
        ({"from": "2026-06-02", "to": "2026-06-01"}, "to"),
        ({"page": "0"}, None),
        ({"per_page": "many"}, None),
    ],
    ids=["nul", "sql", "arabic-digit", "kind", "words-date", "no-such-date", "to-before-from", "page-0", "per-page"],
)
def test_a_refused_filter_answers_with_the_form_and_a_message(
    as_manager: CsrfClient, as_admin: CsrfClient, query: dict[str, str], field: str | None
) -> None:
    """Every parameter is typed: nothing reaches the database untyped (the NUL was a 500 on
    PostgreSQL), and a refusal is the form again with a message pointing at the field."""
    for client in (as_manager, as_admin):
        response = client.get("/audit", query_string=query)
        assert response.status_code == 422, (query, response.status_code)
        page = response.get_data(as_text=True)
        assert bad.alerts(page), "refused without saying why"
        assert '<form method="get"' in page and not rows(response)
        if field is not None:
            assert f'href="#{field}"' in page and f'id="{field}-error"' in page
    typed = as_manager.get("/audit", query_string={"from": "2026-06-02", "to": "2026-06-01"}).get_data(as_text=True)
    assert 'value="2026-06-02"' in typed and 'value="2026-06-01"' in typed, "the dates typed were not kept"


def test_pages_are_capped_at_a_hundred_rows_and_keep_the_filters(
    as_admin: CsrfClient, as_worker: CsrfClient, db: Session, world: World
) -> None:
    """R20: per_page=10^6 (or 10^20) shows 100 rows at most; the page links keep the filters."""
    sam = practitioner_label(world.case.worker)
    audit.reads(db, world.case.child, by=world.case.worker, times=100)  # a long log to page through
    for _ in range(8):
        assert as_worker.get(f"/children/{world.jordan_id}").status_code == 200
    assert db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id))).all()[100:], "fewer than 101 rows to page"
    for per_page in ("1000000", "99999999999999999999"):
        capped = as_admin.get("/audit", query_string={"per_page": per_page})
        assert capped.status_code == 200
        assert len(rows(capped)) == 100
    first = as_admin.get("/audit", query_string={"actor": sam, "kind": "read", "per_page": "2"})
    assert len(rows(first)) == 2
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', first.get_data(as_text=True))
    assert next_link, "no link to the next page"
    link = html.unescape(next_link.group(1))
    assert parse_qs(urlsplit(link).query) == {"actor": [sam], "kind": ["read"], "per_page": ["2"], "page": ["2"]}
    second = as_admin.get(link)
    assert len(rows(second)) == 2 and {row[1] for row in rows(second)} == {"Sam Okafor"}
    assert "page 2 of" in text(second)
