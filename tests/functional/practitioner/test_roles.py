"""Practitioner roles: agency partners see only their agency's actions, managers read their team's
children, admins manage accounts but never read plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session, select

from app.people.models import Agency, Practitioner, PractitionerRole
from app.plans.inputs import AgencyActionInput, NetworkPersonInput
from app.plans.models import AgencyAction, AgencyActionKind, Safety
from tests.factories import people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support.clients import CsrfClient


@dataclass(frozen=True)
class World:
    """Jordan's case with its police partner; Morgan manages Sam's team; Dana is the admin; Kay is
    another team's case."""

    case: Case
    police: Practitioner
    manager: Practitioner
    admin: Practitioner
    kay: Case

    @property
    def jordan_id(self) -> int:
        return self.case.child.id or 0

    @property
    def kayla_id(self) -> int:
        return self.kay.child.id or 0


def _action(agency: Agency, kind: AgencyActionKind, action: str) -> AgencyActionInput:
    return AgencyActionInput(agency=agency, kind=kind, action=action, due_on=date(2026, 11, 2))


@pytest.fixture
def world(db: Session, case: Case) -> World:
    rhys = people.police_partner(db, case.child)
    plans.agreed_plan(
        db,
        case.child,
        _action(Agency.POLICE, AgencyActionKind.INCREASE_SAFETY, "set up the Police Trigger Plan"),
        _action(Agency.SCHOOL, AgencyActionKind.INCREASE_SAFETY, "have Ms Patel (DSL) check in with Jordan"),
        _action(Agency.POLICE, AgencyActionKind.PREVENT_DISRUPT, "patrol the Station Road underpass on Fridays"),
        NetworkPersonInput(name="'Dino'", relationship="Older male", safety=Safety.NOT_SAFE),
        by=case.worker,
        safe_word="pineapple",
    )
    morgan = people.practitioner(db, name="Morgan Lee", role=PractitionerRole.MANAGER, team=case.worker.team)
    dana = people.practitioner(db, name="Dana Whitfield", role=PractitionerRole.ADMIN, team="Systems")
    return World(case=case, police=rhys, manager=morgan, admin=dana, kay=people.other_case(db))


@pytest.fixture
def agency_partner(world: World, sign_in: SignIn) -> CsrfClient:
    return sign_in(world.police)


def test_agency_partner_sees_only_their_agencys_actions(agency_partner: CsrfClient, world: World) -> None:
    page = agency_partner.get(f"/children/{world.jordan_id}/agency-actions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Police Trigger Plan" in html and "Station Road underpass" in html
    assert "Ms Patel" not in html  # the school's action
    assert "pineapple" not in html and "Dino" not in html
    assert agency_partner.get(f"/children/{world.jordan_id}").status_code == 404


def test_agency_partner_updates_their_action_and_a_stale_edit_is_a_conflict(
    agency_partner: CsrfClient, db: Session, world: World
) -> None:
    from app.plans.versions import draft_of, open_plan_for_child

    plan = open_plan_for_child(session=db, child_id=world.jordan_id)
    assert plan is not None
    draft = draft_of(session=db, plan_id=plan.id or 0)
    action = db.exec(
        select(AgencyAction).where(AgencyAction.version_id == draft.id, AgencyAction.agency == "police")
    ).first()
    assert action is not None
    form = {
        "action_id": str(action.id),
        "revision": str(action.revision),
        "action": "Updated trigger plan",
        "due_on": "2026-12-01",
    }
    assert agency_partner.post(f"/children/{world.jordan_id}/agency-actions", data=form).status_code == 303
    stale = agency_partner.post(
        f"/children/{world.jordan_id}/agency-actions", data={**form, "action": "My older words"}
    )
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Updated trigger plan" in html and "My older words" in html  # both texts survive
    db.expire_all()
    assert db.get(AgencyAction, action.id).action == "Updated trigger plan"  # type: ignore[union-attr]


def test_agency_partner_cannot_touch_another_agencys_action(
    agency_partner: CsrfClient, db: Session, world: World
) -> None:
    school = db.exec(select(AgencyAction).where(AgencyAction.agency == "school")).first()
    assert school is not None
    response = agency_partner.post(
        f"/children/{world.jordan_id}/agency-actions",
        data={
            "action_id": str(school.id),
            "revision": str(school.revision),
            "action": "hijacked",
            "due_on": "2026-12-01",
        },
    )
    assert response.status_code == 404


def test_admin_manages_accounts_but_never_reads_a_plan(world: World, sign_in: SignIn) -> None:
    admin = sign_in(world.admin)
    assert admin.get(f"/children/{world.jordan_id}").status_code == 404
    assert admin.get(f"/children/{world.jordan_id}/agency-actions").status_code == 404
    assert admin.get("/audit").status_code == 200


def test_manager_reads_the_teams_children_but_cannot_change_them(world: World, sign_in: SignIn) -> None:
    manager = sign_in(world.manager)
    assert manager.get(f"/children/{world.jordan_id}").status_code == 200
    assert manager.get(f"/children/{world.kayla_id}").status_code == 404  # another team's case
    invite = manager.post(
        f"/children/{world.jordan_id}/invitations", data={"role": "young_person", "display_name": "J"}
    )
    assert invite.status_code == 404
    assert manager.get(f"/children/{world.jordan_id}/access").status_code == 404


def test_admin_adds_an_account_with_clear_errors_and_switches_one_off(
    db: Session, world: World, sign_in: SignIn, as_worker: CsrfClient
) -> None:
    admin = sign_in(world.admin)
    bad = admin.post(
        "/admin/accounts",
        data={"email": "nope", "display_name": "", "role": "", "agency": "", "team": "", "password": "short"},
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Enter a work email address." in html and "Use at least 12 characters." in html
    good = admin.post(
        "/admin/accounts",
        data={
            "email": "new.worker@example.org",
            "display_name": "New Worker",
            "role": "social_worker",
            "agency": "childrens_social_work",
            "team": "North",
            "password": "a-long-first-password",
        },
    )
    assert good.status_code == 303
    assert "new.worker@example.org" in admin.get("/admin/accounts").get_data(as_text=True)
    # Switching Sam off signs him out at once.
    sam = world.case.worker
    assert as_worker.get("/").status_code == 200
    assert "Switch off" in admin.get(f"/admin/accounts/{sam.id}/active").get_data(as_text=True)
    assert admin.post(f"/admin/accounts/{sam.id}/active").status_code == 303
    assert as_worker.get("/").status_code == 302


def test_only_admins_manage_accounts(as_worker: CsrfClient, world: World, sign_in: SignIn) -> None:
    assert as_worker.get("/admin/accounts").status_code == 404
    manager = sign_in(world.manager)
    assert manager.post("/admin/accounts", data={"email": "x@example.org"}).status_code == 404


def test_the_accounts_forms_refusal_is_for_admins_only(world: World, sign_in: SignIn) -> None:
    """A refused account (too long, NUL) tells an admin what to change; anyone else gets "not found"."""
    form = {"email": "x@example.org", "display_name": "N" * 121, "role": "admin", "agency": "police", "password": "p"}
    assert sign_in(world.case.worker).post("/admin/accounts", data=form).status_code == 404
    refused = sign_in(world.admin).post("/admin/accounts", data=form)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    for field in ("display_name", "password"):
        assert f'id="{field}-error"' in page and f'href="#{field}"' in page
    assert 'aria-invalid="true"' in page
    assert "N" * 121 in page
