"""R4 and R21: canary strings planted in every restricted field never reach someone who may not see them.

Restricted fields are filled with unique canaries, then every family page is fetched as each
family role, and every log line written meanwhile is captured. A canary is "leaked" if it shows
up anywhere it should not: a page of a role that may not see that field, or any log line.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlmodel import Session, select

from app import SaferPlan
from app.actors import Actor
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.people.models import Child, Practitioner
from app.plans import edits, versions
from app.plans.inputs import AgencyActionInput, ContactInput, NetworkPersonInput, PlaceInput, StatementInput
from app.plans.models import AgencyActionKind
from app.timeutil import today
from app.workingdays import add_working_days
from tests.support.clients import CsrfClient
from tests.support.incidents import incident

# Never on the family side at all (people of concern, unsafe places, disruption work).
PRACTITIONER_ONLY = {
    "concern_name": "canary-concern-name-4b1d",
    "concern_involvement": "canary-concern-involvement-77aa",
    "unsafe_place": "canary-unsafe-place-0c3e",
    "unsafe_address": "canary-unsafe-address-91f2",
    "disrupt_action": "canary-disrupt-action-5e8d",
    "complex_abuse": "canary-complex-abuse-2a6c",
    # Incidents (app.incidents): never on the family side, only the review date they moved.
    "incident_words": "canary-incident-words-6d2e",
    "incident_kept_because": "canary-incident-kept-because-13c9",
}
# The young person's own, hidden from parents and trusted adults until shared.
YOUNG_PERSON_PRIVATE = {
    "safe_word": "canary-safe-word-ae11",
    "missing_take_to": "canary-take-me-to-3f90",
    "statement": "canary-statement-c0de",
    "contact_phone": "canary-contact-phone-77b3",
}


def _plant(db: Session, demo: DemoPeople) -> None:
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    actor = Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)
    plan = versions.open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None
    draft = versions.draft_of(session=db, plan_id=plan.id or 0)
    edits.update_draft(
        session=db,
        actor=actor,
        version_id=draft.id or 0,
        update=edits.DraftUpdate(
            expected_revision=draft.revision,
            **{
                "safe_word": YOUNG_PERSON_PRIVATE["safe_word"],
                "if_missing_take_to": YOUNG_PERSON_PRIVATE["missing_take_to"],
                "onward_complex_abuse": PRACTITIONER_ONLY["complex_abuse"],
            },
        ),
    )
    for item in (
        NetworkPersonInput(
            name=PRACTITIONER_ONLY["concern_name"],
            safety="not_safe",
            involvement=PRACTITIONER_ONLY["concern_involvement"],
        ),
        PlaceInput(
            name=PRACTITIONER_ONLY["unsafe_place"],
            address=PRACTITIONER_ONLY["unsafe_address"],
            safety="not_safe",
        ),
        AgencyActionInput(
            agency="police",
            kind=AgencyActionKind.PREVENT_DISRUPT,
            action=PRACTITIONER_ONLY["disrupt_action"],
            due_on="2026-12-01",
        ),
        StatementInput(moment="everyday", kind="will", text=YOUNG_PERSON_PRIVATE["statement"]),
        ContactInput(name="Canary contact", phone=YOUNG_PERSON_PRIVATE["contact_phone"]),
    ):
        edits.add_item(session=db, actor=actor, version_id=draft.id or 0, item=item)
    # Family members see the latest agreed version: agree the draft so the canaries are in it.
    from datetime import date

    versions.agree_draft(
        session=db,
        actor=actor,
        plan_id=plan.id or 0,
        agreement=versions.Agreement(
            agreed_by="Sam",
            agreed_on=date(2026, 12, 14),
            shared_with="",
            review_date=date(2027, 1, 25),
            expected_revision=draft.revision,
        ),
    )
    # Two incidents on the agreed plan: one keeps the review (saying why), one brings it forward.
    yesterday = f"{(today() - timedelta(days=1)).isoformat()}T21:00"
    incident(
        db,
        plan_child(db, demo),
        by=sam,
        when=yesterday,
        what=PRACTITIONER_ONLY["incident_words"],
        kept_because=PRACTITIONER_ONLY["incident_kept_because"],
    )
    incident(
        db,
        plan_child(db, demo),
        by=sam,
        when=yesterday,
        what=PRACTITIONER_ONLY["incident_words"],
        review="bring_forward",
        new_review_date=add_working_days(today(), 2),
    )
    db.commit()


def plan_child(db: Session, demo: DemoPeople) -> Child:
    child = db.get(Child, demo.jordan_id)
    assert child is not None
    return child


def _family_get_pages(app: Flask, demo: DemoPeople) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint in ("static", "family.quick_exit"):
            continue
        path = re.sub(r"<(?:\w+:)?child_id>", str(demo.jordan_id), rule.rule)
        if "<" in path:
            continue  # pages about one phone or statement are covered by the lists that link to them
        pages.append(path)
    return pages


@pytest.mark.usefixtures("streams_say_all_at_once")
@pytest.mark.parametrize("role", ["young_person", "parent", "trusted_adult"])
def test_r4_no_canary_reaches_a_family_role_that_may_not_see_it(
    request: pytest.FixtureRequest,
    application: SaferPlan,
    db: Session,
    demo: DemoPeople,
    role: str,
    caplog: pytest.LogCaptureFixture,
    figures: object,
) -> None:
    _plant(db, demo)
    client: CsrfClient = request.getfixturevalue(role)
    forbidden = dict(PRACTITIONER_ONLY)
    if role != "young_person":
        forbidden.update(YOUNG_PERSON_PRIVATE)
    leaks = []
    pages = _family_get_pages(application.family, demo)
    assert len(pages) >= 4
    with caplog.at_level(logging.DEBUG):
        for path in pages:
            response = client.get(path)
            assert response.status_code < 500, path
            body = response.get_data(as_text=True)
            response.close()
            leaks += [f"{name} on {path}" for name, canary in forbidden.items() if canary in body]
    everything = {**PRACTITIONER_ONLY, **YOUNG_PERSON_PRIVATE}
    leaks += [f"{name} in logs" for name, canary in everything.items() if canary in caplog.text]
    figures.add("canaries.planted", len(forbidden))  # type: ignore[attr-defined]
    figures.add("canaries.leaked", len(leaks))  # type: ignore[attr-defined]
    assert leaks == []
    if role == "young_person":
        # The young person does see their own private fields (the test would be hollow otherwise).
        plan = client.get(f"/c/{demo.jordan_id}").get_data(as_text=True)
        assert YOUNG_PERSON_PRIVATE["safe_word"] in plan and YOUNG_PERSON_PRIVATE["statement"] in plan


def test_r4_the_practitioner_sees_every_canary(allocated_worker: CsrfClient, db: Session, demo: DemoPeople) -> None:
    _plant(db, demo)
    page = allocated_worker.get(f"/children/{demo.jordan_id}/versions/2").get_data(as_text=True)
    # Incidents are listed on the case page, beside the team.
    page += allocated_worker.get(f"/children/{demo.jordan_id}/team").get_data(as_text=True)
    for canary in {**PRACTITIONER_ONLY, **YOUNG_PERSON_PRIVATE}.values():
        assert canary in page
