"""Issue 10: a practitioner sets a notice aside, and it leaves their work tray for good.

The notice is the reader's own: anyone else's (or one that does not exist) is the same Not Found,
changes nothing and is audited as a refusal (R21).
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session, col, select

from app.audit.models import AuditEvent, AuditKind
from app.notices.models import Notice, NoticeKind
from app.timeutil import today, utcnow
from tests.factories import people
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support.notices import reminder_for

HEADING = "Reminders and overdue work"


def _set_aside_forms(page: str) -> list[str]:
    return re.findall(r'action="(/notices/\d+/dismiss)"', page)


def test_a_worker_sets_a_notice_aside_and_it_leaves_the_tray(db: Session, case: Case, sign_in: SignIn) -> None:
    notice = reminder_for(db, case.worker.id or 0, case.child_id)
    db.commit()
    worker = sign_in(case.worker)
    page = worker.get("/").get_data(as_text=True)
    assert HEADING in page and "review due in 7 days" in page
    assert _set_aside_forms(page) == [f"/notices/{notice.id}/dismiss"]
    assert f"the notice about {case.child.first_name} {case.child.last_name}" in page  # the button says whose

    answer = worker.post(f"/notices/{notice.id}/dismiss")

    assert answer.status_code == 303 and answer.headers["Location"].endswith("/")
    assert HEADING not in worker.get("/").get_data(as_text=True)
    db.expire_all()
    assert db.get(Notice, notice.id).dismissed_at is not None  # type: ignore[union-attr]  # the row stays: it was sent
    written = db.exec(select(AuditEvent).where(AuditEvent.entity == "notice", AuditEvent.action == "dismissed")).all()
    assert [(e.child_id, e.entity_id) for e in written] == [(case.child_id, notice.id)]
    # Again: nothing more to do, and no second audit row.
    assert worker.post(f"/notices/{notice.id}/dismiss").status_code == 303
    assert len(db.exec(select(AuditEvent).where(AuditEvent.entity == "notice")).all()) == 1


def test_an_item_set_aside_does_not_come_back_with_yesterday_s_notice(db: Session, case: Case, sign_in: SignIn) -> None:
    """An overdue item gives a notice a day, and the tray shows only the newest: setting that one
    aside must not bring yesterday's back."""
    worker_id = case.worker.id or 0
    days = [today() - timedelta(days=1), today()]
    rows = [
        Notice(
            practitioner_id=worker_id,
            child_id=case.child_id,
            kind=NoticeKind.ACTION_OVERDUE,
            subject_id=42,
            key_day=day,
            due_on=today() - timedelta(days=10),
            created_at=utcnow() - timedelta(hours=24 * (1 - n)),
        )
        for n, day in enumerate(days)
    ]
    db.add_all(rows)
    db.commit()
    worker = sign_in(case.worker)
    page = worker.get("/").get_data(as_text=True)
    assert _set_aside_forms(page) == [f"/notices/{rows[1].id}/dismiss"]  # today's only
    worker.post(f"/notices/{rows[1].id}/dismiss")
    assert HEADING not in worker.get("/").get_data(as_text=True)


def test_someone_else_s_notice_is_not_found_and_stays(db: Session, case: Case, sign_in: SignIn) -> None:
    notice = reminder_for(db, case.worker.id or 0, case.child_id)
    chair = people.chair(db, case.child)  # on the case, but the notice is not theirs
    db.commit()
    for who in (chair, people.other_case(db).worker):
        db.commit()
        answer = sign_in(who).post(f"/notices/{notice.id}/dismiss")
        assert answer.status_code == 404
    assert sign_in(case.worker).post("/notices/999999/dismiss").status_code == 404
    db.expire_all()
    assert db.get(Notice, notice.id).dismissed_at is None  # type: ignore[union-attr]
    refused = db.exec(
        select(AuditEvent).where(AuditEvent.kind == AuditKind.DENIED, AuditEvent.action == "notice.dismiss")
    ).all()
    assert len(refused) == 3
    assert [e.child_id for e in refused if e.child_id is not None] == [case.child_id, case.child_id]
    assert not db.exec(select(AuditEvent).where(col(AuditEvent.entity) == "notice")).all()
