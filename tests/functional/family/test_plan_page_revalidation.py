"""A repeat visit to an unchanged plan page is a 304 (under 1 KB); anything that changes the page
changes its ETag; the 304 is still audited; a kept page's CSRF token still works."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.audit.models import AuditEvent, AuditKind
from app.plans.models import Moment, StatementKind
from app.plans.sections import Section
from tests.factories import access, commitments, cowriting, meetings, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.factories.plans import AgreedPlan, statement
from tests.support.clients import CsrfClient

REPEAT_VISIT_LIMIT = 1024


@pytest.fixture
def agreed(db: Session, case: Case) -> AgreedPlan:
    """Jordan's plan agreed with a statement and his mum's commitment; she sees her commitments."""
    return plans.agreed_plan(
        db,
        case.child,
        statement("I will text my aunt", moment=Moment.EVERYDAY, kind=StatementKind.WILL),
        commitments.commitment_input(case.parent, "Report Jordan missing after an hour"),
        by=case.worker,
    )


def etag_of(client: CsrfClient, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200
    # Never kept by the browser (R17): only the offline copy the young person chose holds it, and asks.
    assert answer.headers["Cache-Control"] == "no-store"
    etag = answer.headers["ETag"]
    assert etag.startswith('W/"')
    return etag


def plan_reads(db: Session, case: Case) -> int:
    return db.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.child_id == case.child_id, AuditEvent.kind == AuditKind.READ, AuditEvent.action == "plan.read"
        )
    ).one()


@pytest.mark.parametrize("path", ["/", "/c/{child_id}"])
def test_a_repeat_visit_is_a_304_under_1_kb_and_still_audited(
    db: Session, case: Case, agreed: AgreedPlan, as_young_person: CsrfClient, path: str
) -> None:
    url = path.format(child_id=case.child_id)
    etag = etag_of(as_young_person, url)
    reads = plan_reads(db, case)
    again = as_young_person.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    # Still nothing for the browser to keep: the caller keeps its own copy (static/js/offline.js).
    assert again.headers["Cache-Control"] == "no-store"
    headers = sum(len(name) + len(value) + 4 for name, value in again.headers.items())
    assert headers < REPEAT_VISIT_LIMIT
    # The person looked at their plan again: a read, audited like any other.
    assert plan_reads(db, case) == reads + 1


def test_an_old_etag_gets_the_page(case: Case, agreed: AgreedPlan, as_young_person: CsrfClient) -> None:
    answer = as_young_person.get(f"/c/{case.child_id}", headers={"If-None-Match": 'W/"not-this-one"'})
    assert answer.status_code == 200
    assert b"I will text my aunt" in answer.data


def test_a_refusal_is_audited_and_tells_nothing(db: Session, case: Case, agreed: AgreedPlan, sign_in: SignIn) -> None:
    from tests.factories.people import other_case

    stranger = other_case(db).young_person
    client = sign_in(stranger)
    answer = client.get(f"/c/{case.child_id}", headers={"If-None-Match": "*"})
    assert answer.status_code == 404
    assert "ETag" not in answer.headers
    denied = db.exec(
        select(AuditEvent).where(AuditEvent.child_id == case.child_id, AuditEvent.kind == AuditKind.DENIED)
    ).all()
    assert [row.action for row in denied] == ["plan.read"]


Change = Callable[[Session, Case, AgreedPlan, CsrfClient], object]


def _new_idea_in_the_draft(db: Session, case: Case, agreed: AgreedPlan, _client: CsrfClient) -> object:
    return cowriting.idea(db, case.child, "I can call Dee", by=case.young_person)


def _practitioner_edits_the_draft(db: Session, case: Case, agreed: AgreedPlan, _client: CsrfClient) -> object:
    return plans.update(db, agreed.draft, by=case.worker, safe_word="bluebird")


def _a_new_version_is_agreed(db: Session, case: Case, agreed: AgreedPlan, _client: CsrfClient) -> object:
    plans.add(db, agreed.draft, statement("I can go to the library"), by=case.worker)
    return plans.agree(db, agreed.plan, by=case.worker)


def _sharing_changes(db: Session, case: Case, agreed: AgreedPlan, _client: CsrfClient) -> object:
    return access.share(db, case.child, (case.parent, Section.MY_STATEMENTS), by=case.young_person)


def _progress_on_a_commitment(db: Session, case: Case, agreed: AgreedPlan, _client: CsrfClient) -> object:
    from app.plans.models import CarerCommitment

    (commitment,) = [row for row in agreed.items if isinstance(row, CarerCommitment)]
    return commitments.done(db, case.child, commitment, by=case.parent)


def _invited_to_a_meeting(db: Session, case: Case, agreed: AgreedPlan, _client: CsrfClient) -> object:
    return meetings.meeting(db, case.child, by=case.worker)


def _language_chosen(db: Session, case: Case, agreed: AgreedPlan, client: CsrfClient) -> object:
    return client.post("/reading/language", data={"language": "sq", "child": case.child_id})


def _easy_read_on(db: Session, case: Case, agreed: AgreedPlan, client: CsrfClient) -> object:
    return client.post("/reading/easy-read", data={"easy_read": "on", "child": case.child_id})


def _new_csrf_secret(db: Session, case: Case, agreed: AgreedPlan, client: CsrfClient) -> object:
    with client.session_transaction() as cookie:
        cookie["csrf_token"] = "another-secret"
    return None


def _link_described_differently(db: Session, case: Case, agreed: AgreedPlan, _client: CsrfClient) -> object:
    from app.people.models import FamilyLink

    link = db.exec(
        select(FamilyLink).where(FamilyLink.child_id == case.child_id, FamilyLink.member_id == case.parent_id)
    ).one()
    link.relationship = "Mam"
    db.add(link)
    db.flush()
    return link


CHANGES: dict[str, Change] = {
    "a family idea in the draft": _new_idea_in_the_draft,
    "the practitioner edits the draft": _practitioner_edits_the_draft,
    "a new version is agreed": _a_new_version_is_agreed,
    "the young person's sharing": _sharing_changes,
    "a carer's progress": _progress_on_a_commitment,
    "a meeting they are invited to": _invited_to_a_meeting,
    "their language": _language_chosen,
    "easy read": _easy_read_on,
    "a new CSRF secret": _new_csrf_secret,
    "how the child describes them": _link_described_differently,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_anything_that_changes_the_page_changes_its_etag(
    db: Session, case: Case, agreed: AgreedPlan, sign_in: SignIn, change: str
) -> None:
    """Read by his mum (her sharing, her commitments, her settings); each change, alone, is a new page."""
    client = sign_in(case.parent)
    path = f"/c/{case.child_id}"
    before = etag_of(client, path)
    assert client.get(path, headers={"If-None-Match": before}).status_code == 304
    CHANGES[change](db, case, agreed, client)
    db.commit()
    answer = client.get(path, headers={"If-None-Match": before})
    assert answer.status_code == 200, change
    assert answer.headers["ETag"] != before


def test_the_reader_is_part_of_the_etag(case: Case, agreed: AgreedPlan, sign_in: SignIn) -> None:
    """The same plan read by the young person, his mum and his aunt: three pages, three tags."""
    path = f"/c/{case.child_id}"
    tags = {etag_of(sign_in(person), path) for person in (case.young_person, case.parent, case.trusted_adult)}
    assert len(tags) == 3


def test_dismissing_whats_new_changes_the_etag(
    db: Session, case: Case, agreed: AgreedPlan, as_young_person: CsrfClient
) -> None:
    path = f"/c/{case.child_id}"
    etag_of(as_young_person, path)  # the first look
    plans.add(db, agreed.draft, statement("I can go to the library"), by=case.worker)
    newer = plans.agree(db, agreed.plan, by=case.worker)
    db.commit()
    with_card = etag_of(as_young_person, path)
    assert as_young_person.get(path, headers={"If-None-Match": with_card}).status_code == 304
    seen = as_young_person.post(f"/c/{case.child_id}/whats-new/seen", data={"version": newer.id})
    assert seen.status_code in (200, 303)
    assert as_young_person.get(path, headers={"If-None-Match": with_card}).status_code == 200


def test_a_kept_pages_csrf_token_still_works(case: Case, agreed: AgreedPlan, as_young_person: CsrfClient) -> None:
    """The phone shows the page it kept after a 304: the token in that page must still be accepted."""
    path = f"/c/{case.child_id}"
    first = as_young_person.get(path)
    token = re.search(rb'name="csrf-token" content="([^"]+)"', first.data)
    assert token is not None
    assert as_young_person.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    as_young_person.send_csrf = False  # only the kept page's token, as the phone would send it
    answer = as_young_person.post(
        "/reading/easy-read", data={"easy_read": "on", "child": case.child_id, "csrf_token": token.group(1).decode()}
    )
    assert answer.status_code == 303


def test_the_practitioners_plan_page_stays_no_store(case: Case, agreed: AgreedPlan, as_worker: CsrfClient) -> None:
    """R14: practitioner pages are never kept (shared council machines), so never revalidated."""
    answer = as_worker.get(f"/children/{case.child_id}")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert "ETag" not in answer.headers
