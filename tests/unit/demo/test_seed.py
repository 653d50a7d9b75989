"""The demo data of its own: it loads, Kay's plan is empty, Jordan's plan fills every section, and
the development sign-in links `make run` prints work. (Other tests build their data with tests/factories.)"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from app import SaferPlan, create_app
from app.config import load_settings
from app.demo.seed import DemoPeople, is_empty, load_demo
from app.people.models import CaseAssignment, Child, FamilyLink, Practitioner
from app.plans.models import PLAN_ITEM_MODELS, AgencyAction, ChildStatement, PlanVersion
from app.plans.versions import DRAFT_TEXT_FIELDS, draft_of, latest_agreed, open_plan_for_child
from app.web.limits import family_limiter, practitioner_limiter
from tests.support.clients import make_client
from tests.support.database import migrate, scratch_database


def test_the_demo_loads_its_people_and_cases(db: Session, demo: DemoPeople) -> None:
    assert not is_empty(db)
    # Six from the start, and Kay's team: Nadia (team member), Jo (school) and Ben (health).
    assert db.exec(select(func.count()).select_from(Practitioner)).one() == 9
    assert {c.preferred_name for c in db.exec(select(Child)).all()} == {"Jordan", "Kay"}
    jordans_family = db.exec(select(FamilyLink).where(FamilyLink.child_id == demo.jordan_id)).all()
    assert {link.member_id for link in jordans_family} == {demo.young_person_id, demo.parent_id, demo.trusted_adult_id}
    on_jordans_case = db.exec(select(CaseAssignment).where(CaseAssignment.child_id == demo.jordan_id)).all()
    assert len(on_jordans_case) == 3  # Sam (allocated), Priya (chair), PC Hughes (police)


def test_kays_plan_is_empty_but_for_one_need_and_nothing_agreed(db: Session, demo: DemoPeople) -> None:
    plan = open_plan_for_child(session=db, child_id=demo.kayla_id)
    assert plan is not None and latest_agreed(session=db, plan_id=plan.id or 0) is None
    draft = draft_of(session=db, plan_id=plan.id or 0)
    assert draft.number == 1 and all(not getattr(draft, name) for name in DRAFT_TEXT_FIELDS)
    assert not draft.safe_word
    for model in PLAN_ITEM_MODELS:
        rows = db.exec(select(model).where(model.version_id == draft.id)).all()
        if model is ChildStatement:
            assert [r.text for r in rows] == ["to feel listened to at school"]  # type: ignore[attr-defined]
        else:
            assert rows == [], model.__name__


def test_jordans_agreed_plan_has_every_section_and_a_new_idea_in_the_draft(db: Session, demo: DemoPeople) -> None:
    plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None
    agreed = latest_agreed(session=db, plan_id=plan.id or 0)
    assert agreed is not None and agreed.number == 1 and agreed.review_date is not None
    assert agreed.safe_word == "pineapple"
    empty_fields = [name for name in DRAFT_TEXT_FIELDS if not getattr(agreed, name)]
    assert empty_fields == [], empty_fields
    for model in PLAN_ITEM_MODELS:
        assert db.exec(select(model).where(model.version_id == agreed.id)).first() is not None, model.__name__
    draft = draft_of(session=db, plan_id=plan.id or 0)
    assert draft.number == 2
    new = db.exec(
        select(ChildStatement).where(
            ChildStatement.version_id == draft.id, ChildStatement.written_by_member_id == demo.young_person_id
        )
    ).all()
    assert "ask Aunt Dee to pick me up from boxing if it's dark" in {s.text for s in new}
    assert db.exec(select(func.count()).select_from(PlanVersion).where(PlanVersion.plan_id == plan.id)).one() == 2


def test_every_agency_action_in_the_demo_has_a_due_date(db: Session, demo: DemoPeople) -> None:
    actions = db.exec(select(AgencyAction)).all()
    assert actions and all(a.due_on is not None for a in actions)


def test_every_dev_link_signs_its_person_in(application: SaferPlan, tmp_path: Path) -> None:
    """`flask --app app dev-links` on a development app with the demo: each printed link signs its person in."""
    with scratch_database(tmp_path, "seedlinks") as url:
        env = {
            **{k: v for k, v in os.environ.items() if k != "SECURITY_FIGURES"},
            "SAFER_PLAN_ENV": "development",
            "DATABASE_URL": url,
            "PUBLIC_ORIGIN": "http://localhost:5000",
            "FAMILY_SECRET_KEY": "f" * 48,
            "PRACTITIONER_SECRET_KEY": "p" * 48,
            "FIELD_ENCRYPTION_KEYS": ",".join(application.settings.field_encryption_keys),
            "RATELIMIT_STORAGE_URI": "memory://",
        }
        migrate(url)
        development = create_app(load_settings(env))
        signed_in: list[str] = []
        try:
            with development.database.session() as session:
                load_demo(session)
            printed = development.test_cli_runner().invoke(args=["dev-links"])
            assert printed.exit_code == 0, printed.output
            links = re.findall(r"http://localhost:5000(/\S*dev/sign-in/\S+)", printed.output)
            assert len(links) == 9 + 3, printed.output  # every practitioner, and Jordan's family
            for link in links:
                door = development.practitioner if link.startswith("/practitioner/") else development.family
                client = make_client(door)
                first = client.get(link.removeprefix("/practitioner"))
                if first.status_code == 302 and client.get("/").status_code == 200:
                    signed_in.append(link)
        finally:
            development.database.engine.dispose()
            family_limiter.reset()
            practitioner_limiter.reset()
    assert len(signed_in) == len(links)
