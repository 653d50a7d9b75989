"""R26: migrations run up and down with data, and match the models exactly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.jobs.models import alembic_include_name
from app.models_base import metadata
from tests.support.database import downgrade, migrate, reset_database, scratch_database


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind the suite runs on, separate from the shared one."""
    with scratch_database(tmp_path, "migrations") as url:
        yield url


def test_r26_upgrade_from_empty_downgrade_and_upgrade_again_keeping_data(scratch_url: str) -> None:
    reset_database(scratch_url)
    migrate(scratch_url, "0001")
    engine = create_engine(scratch_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO practitioner (email, display_name, role, agency, team, phone, password_hash, active,"
                " created_at, updated_at, created_by, updated_by, revision) VALUES ('a@example.org', 'A',"
                " 'social_worker', 'childrens_social_work', '', '', 'x', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                " 'system', 'system', 1)"
            )
        )
    # Up to head: the existing practitioner is carried and given a passkey user handle (0003).
    migrate(scratch_url)
    with engine.begin() as conn:
        email, handle = conn.execute(text("SELECT email, webauthn_user_handle FROM practitioner")).one()
    assert email == "a@example.org" and handle is not None and len(handle) == 32
    # Down to the first revision and up again: the row survives both ways.
    downgrade(scratch_url, "0001")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT email FROM practitioner")).scalar_one() == "a@example.org"
    migrate(scratch_url)
    # Down to nothing: the schema is gone, and can be rebuilt from empty.
    downgrade(scratch_url, "base")
    assert "plan_version" not in inspect(engine).get_table_names()
    migrate(scratch_url)
    assert "plan_version" in inspect(engine).get_table_names()
    engine.dispose()


def test_migrations_match_the_models(database_url: str) -> None:
    """A model change without a migration fails here (the shared database is at head)."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        # procrastinate's own tables (PostgreSQL) are not models: left out as migrations/env.py leaves them.
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": alembic_include_name})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == []


def test_r26_change_journal_rows_survive_the_move_to_the_audit_log_and_back(scratch_url: str) -> None:
    reset_database(scratch_url)
    migrate(scratch_url, "0001")
    engine = create_engine(scratch_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO change_record (at, actor, entity, entity_id, action)"
                " VALUES (CURRENT_TIMESTAMP, 'practitioner:1', 'plan', 7, 'created')"
            )
        )
    migrate(scratch_url)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT actor, kind, entity, entity_id, action FROM audit_event")).all()
    assert [tuple(r) for r in rows] == [("practitioner:1", "write", "plan", 7, "created")]
    downgrade(scratch_url, "0001")
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT actor, entity, entity_id, action FROM change_record")).all()
    assert [tuple(r) for r in rows] == [("practitioner:1", "plan", 7, "created")]
    engine.dispose()


def test_r21_the_database_refuses_to_change_or_delete_audit_rows(scratch_url: str) -> None:
    reset_database(scratch_url)
    migrate(scratch_url)
    engine = create_engine(scratch_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_event (at, actor, kind, action, entity, detail)"
                " VALUES (CURRENT_TIMESTAMP, 'family:1', 'read', 'plan.read', '', '')"
            )
        )
    for statement in ("UPDATE audit_event SET actor = 'someone-else'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.begin() as conn:
        assert conn.execute(text("SELECT actor FROM audit_event")).scalar_one() == "family:1"
    engine.dispose()


def test_r26_r27_invitation_names_are_encrypted_on_upgrade_and_restored_on_downgrade(
    scratch_url: str, application: object
) -> None:
    from app.crypto import FieldCipher

    reset_database(scratch_url)
    migrate(scratch_url, "0004")
    engine = create_engine(scratch_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO practitioner (id, email, display_name, role, agency, team, phone, password_hash, active,"
                " webauthn_user_handle, created_at, updated_at, created_by, updated_by, revision) VALUES (1,"
                " 'a@example.org', 'A', 'social_worker', 'childrens_social_work', '', '', 'x', true, :h,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'system', 'system', 1)"
            ),
            {"h": b"h" * 32},
        )
        conn.execute(
            text(
                "INSERT INTO child (id, first_name, last_name, preferred_name, open_to_csw, is_care_leaver,"
                " created_at, updated_at, created_by, updated_by, revision) VALUES (1, :f, :l, :p, false, false,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'system', 'system', 1)"
            ),
            {"f": FieldCipher.encrypt("Robin"), "l": FieldCipher.encrypt("Doe"), "p": FieldCipher.encrypt("Rob")},
        )
        conn.execute(
            text(
                "INSERT INTO invitation (child_id, role, display_name, relationship, token_hash,"
                " created_by_practitioner_id, created_at, expires_at) VALUES (1, 'parent_carer', 'Nan Doe', 'Nan',"
                " 'hash', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    migrate(scratch_url, "0005")
    with engine.begin() as conn:
        stored = conn.execute(text("SELECT display_name FROM invitation")).scalar_one()
    assert stored != "Nan Doe" and FieldCipher.decrypt(stored) == "Nan Doe"
    downgrade(scratch_url, "0004")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT display_name FROM invitation")).scalar_one() == "Nan Doe"
    engine.dispose()


def test_r26_r24_commitment_updates_are_numbered_in_order_on_upgrade_and_kept_on_downgrade(
    scratch_url: str, application: object
) -> None:
    """0009: each commitment's existing updates get their places 1, 2, 3... in the order they were
    written, and the database refuses a second update in the same place; down again, every update stays."""
    from sqlmodel import Session

    from tests.factories import commitments, people, plans

    reset_database(scratch_url)
    migrate(scratch_url)
    engine = create_engine(scratch_url)
    with Session(engine) as session:
        # Two commitments of Lisa's in Jordan's draft: updates are numbered per commitment.
        case = people.case(session)
        draft = plans.draft(session, plans.plan(session, case.child, by=case.worker))
        commitments.commitment(session, draft, case.parent, "a weekly plan for evenings", by=case.worker)
        commitments.commitment(session, draft, case.parent, "report Jordan missing after 10pm", by=case.worker)
        session.commit()
    downgrade(scratch_url, "0008")
    with engine.begin() as conn:
        first, second = conn.execute(text("SELECT id FROM carer_commitment ORDER BY id LIMIT 2")).scalars().all()
        conn.execute(text("DELETE FROM commitment_update"))
        for commitment_id in (first, second, first, first, second):
            conn.execute(
                text("INSERT INTO commitment_update (commitment_id, done, at) VALUES (:c, false, CURRENT_TIMESTAMP)"),
                {"c": commitment_id},
            )
    migrate(scratch_url)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT commitment_id, number FROM commitment_update ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(first, 1), (second, 1), (first, 2), (first, 3), (second, 2)]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO commitment_update (commitment_id, number, done, at)"
                " VALUES (:c, 3, true, CURRENT_TIMESTAMP)"
            ),
            {"c": first},
        )
    downgrade(scratch_url, "0008")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM commitment_update")).scalar_one() == 5
    assert "number" not in {c["name"] for c in inspect(engine).get_columns("commitment_update")}
    engine.dispose()


AGENCY_BY_WHEN = {
    1: ("2 Nov 2026", date(2026, 11, 2), ""),
    2: ("by 20/11/2026", date(2026, 11, 20), ""),
    3: ("2026-12-01", date(2026, 12, 1), ""),
    4: ("Friday 6 November 2026.", date(2026, 11, 6), ""),
    5: ("from 27 Oct 2026", None, "from 27 Oct 2026"),
    6: ("ongoing", None, "ongoing"),
    7: ("not a date at all, whenever", None, "not a date at all, whenever"),
    8: ("31 Feb 2026", None, "31 Feb 2026"),
    9: ("", None, ""),
}


def test_r26_agency_by_when_becomes_a_due_date_or_words_and_back(scratch_url: str, application: object) -> None:
    """Issue 8: by/at words that are a date become `due_on`; any other words are kept in `repeats`."""
    from app.crypto import FieldCipher

    reset_database(scratch_url)
    migrate(scratch_url, "0008")
    engine = create_engine(scratch_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO child (id, first_name, last_name, preferred_name, open_to_csw, is_care_leaver,"
                " created_at, updated_at, created_by, updated_by, revision) VALUES (1, :n, :n, :n, false, false,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'system', 'system', 1)"
            ),
            {"n": FieldCipher.encrypt("Robin")},
        )
        conn.execute(
            text(
                "INSERT INTO plan (id, child_id, meeting_type, status, created_at, updated_at, created_by, updated_by,"
                " revision) VALUES (1, 1, 'safer_me', 'open', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'system',"
                " 'system', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO plan_version (id, plan_id, number, contingency_steps, contingency_cover,"
                " onward_hub_context, onward_complex_abuse, review_trigger, review_meanwhile, agreed_by, shared_with,"
                " summary_of_changes, created_at, updated_at, created_by, updated_by, revision)"
                " VALUES (1, 1, 1, '', '', '', '', '', '', '', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'system',"
                " 'system', 1)"
            )
        )
        for row_id, (by_when, _due, _words) in AGENCY_BY_WHEN.items():
            conn.execute(
                text(
                    "INSERT INTO agency_action (id, version_id, position, agency, kind, action, by_when,"
                    " is_police_trigger_plan, created_at, updated_at, created_by, updated_by, revision)"
                    " VALUES (:id, 1, :id, 'police', 'increase_safety', 'patrol', :by_when, false, CURRENT_TIMESTAMP,"
                    " CURRENT_TIMESTAMP, 'system', 'system', 1)"
                ),
                {"id": row_id, "by_when": by_when},
            )
    migrate(scratch_url, "0011")
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT id, due_on, repeats FROM agency_action ORDER BY id")).all()
    got = {
        row_id: (due if due is None or isinstance(due, date) else date.fromisoformat(due), words)
        for row_id, due, words in rows
    }
    assert got == {row_id: (due, words) for row_id, (_by, due, words) in AGENCY_BY_WHEN.items()}

    downgrade(scratch_url, "-1")
    with engine.begin() as conn:
        back = dict(conn.execute(text("SELECT id, by_when FROM agency_action")).all())
    # Words come back as they were; a date comes back as the demo wrote dates ("2 Nov 2026").
    assert back == {
        1: "2 Nov 2026",
        2: "20 Nov 2026",
        3: "1 Dec 2026",
        4: "6 Nov 2026",
        5: "from 27 Oct 2026",
        6: "ongoing",
        7: "not a date at all, whenever",
        8: "31 Feb 2026",
        9: "",
    }
    engine.dispose()


def test_r26_the_plans_review_date_is_worked_out_on_upgrade(
    scratch_url: str, application: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13 (0034): the review date each plan keeps is, on upgrade, the one the pages work out:
    the latest agreed version's, or sooner where an incident brought it forward; None if nothing is
    agreed. Written by the app at head, taken down to 0033 (the column goes) and up again."""
    from sqlmodel import Session, select

    from app.plans.models import Plan
    from tests.factories import people, plans
    from tests.support.incidents import freeze, incident

    reset_database(scratch_url)
    migrate(scratch_url)
    freeze(monkeypatch, date(2026, 12, 18))
    engine = create_engine(scratch_url)
    with Session(engine) as db:
        jordan = people.case(db)
        worker = jordan.worker
        plans.agreed_plan(db, jordan.child, by=worker, agreed_on=date(2026, 11, 27), review_date=date(2027, 1, 15))
        sooner = date(2026, 12, 23)
        incident(db, jordan.child, by=worker, when="2026-12-17T23:30", review="bring_forward", new_review_date=sooner)
        # Bea's first version's review was brought forward; her second version has its own date.
        bea = people.child(db, first_name="Bea", last_name="Test", date_of_birth=date(2011, 1, 1))
        people.assign(db, worker, bea)
        beas = plans.agreed_plan(db, bea, by=worker, agreed_on=date(2026, 11, 27), review_date=date(2027, 1, 15))
        incident(db, bea, by=worker, when="2026-12-17T23:30", review="bring_forward", new_review_date=sooner)
        plans.agree(db, beas.plan, by=worker, agreed_on=date(2026, 12, 18), review_date=date(2027, 2, 12))
        # Cal's plan is still a draft: no review yet.
        cal = people.child(db, first_name="Cal", last_name="Test", date_of_birth=date(2012, 1, 1))
        people.assign(db, worker, cal)
        plans.plan(db, cal, by=worker)
        db.commit()
        kept = {plan_id: day for plan_id, day in db.exec(select(Plan.id, Plan.review_on)).all()}
    assert sorted(kept.values(), key=str) == [date(2026, 12, 23), date(2027, 2, 12), None]

    downgrade(scratch_url, "0033")
    with engine.begin() as conn:
        assert "review_on" not in {c["name"] for c in inspect(conn).get_columns("plan")}
    migrate(scratch_url)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT id, review_on FROM plan")).all()
    engine.dispose()
    # SQLite gives the date back as text.
    assert {i: day if day is None or isinstance(day, date) else date.fromisoformat(day) for i, day in rows} == kept
