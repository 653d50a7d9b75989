"""Issue 8, "a form shown to a role that cannot submit it": no page offers a control its reader may not use.

Every GET rule of both doors is opened by every role the policy knows (the demo's people, plus a
team member and a break-glass reader), on Jordan's record and on Kayla's, with every path value
that names something on them. On each page that answers, every form that posts (as a browser would
send it) is submitted by the same person, and every page it links to is opened: none may be
refused (not found, or a denial in the audit log). A page whose control would be refused must be
refused itself, or not show the control. Each request runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from sqlmodel import Session, col, select
from werkzeug.datastructures import MultiDict

from app import SaferPlan
from app.access.sharing import choose_sharing
from app.actors import Actor
from app.api.inputs import TokenInput
from app.api.models import TokenScope
from app.api.operations import create_token
from app.audit.models import AuditEvent, AuditKind
from app.auth.models import AccountKind, Passkey
from app.cowriting.inputs import IdeaInput, PersonToCallInput, SafePlaceInput
from app.cowriting.operations import add_contact, add_place, add_statement
from app.demo.kays_team import KAYS_NEW_COLLEAGUES
from app.demo.seed import DemoPeople
from app.people.models import CaseAssignment, Practitioner
from app.plans.edits import add_item
from app.plans.inputs import StatementInput
from app.plans.models import ChildStatement, Moment, StatementKind
from app.plans.versions import draft_of, open_plan_for_child
from app.timeutil import today
from tests.support.clients import make_client
from tests.support.concerns import assessed, concern_about, peer_group_concern
from tests.support.conferences import conference_opened
from tests.support.hub import add_hub_worker, enquiry_about_kayla
from tests.support.mace import jordan_referred, panel_on, peer_group_mapped
from tests.support.meetings import open_meeting_for_jordan, schedule_for_jordan
from tests.support.page_controls import Submission, controls
from tests.support.roles import (
    FAMILY_ROLES,
    PRACTITIONER_ROLES,
    add_break_glass_reader,
    add_team_member,
    practitioner_id,
    role_accounts,
)
from tests.support.signin import sign_in_as

KAYS_TEAM_MEMBER = KAYS_NEW_COLLEAGUES[0][0]
ROLES = {"family": FAMILY_ROLES, "practitioner": PRACTITIONER_ROLES}
# Answers that mean "you may not do this" (or a mistake in the page: a form the door cannot take).
REFUSED = frozenset({400, 401, 403, 404, 405})


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    denials: int


@dataclass
class World:
    accounts: dict[str, tuple[AccountKind, int]]
    # Values for each path parameter: everything on Jordan's and Kayla's records a page is about.
    values: dict[str, tuple[int | str, ...]]


def _phone(db: Session, account_id: int, credential: bytes) -> int:
    phone = Passkey(
        account_kind=AccountKind.FAMILY,
        account_id=account_id,
        credential_id=credential,
        public_key=b"not-used",
        label="Phone",
    )
    db.add(phone)
    db.flush()
    return phone.id or 0


@pytest.fixture
def world(db: Session, demo: DemoPeople) -> World:
    add_team_member(db, demo)
    add_break_glass_reader(db, demo)
    child = demo.jordan_id
    jordan = Actor(kind=AccountKind.FAMILY, account_id=demo.young_person_id)
    dee = Actor(kind=AccountKind.FAMILY, account_id=demo.trusted_adult_id)
    # Jordan lets Aunt Dee add ideas with him and see his everyday plan: she has forms of her own.
    choose_sharing(
        session=db,
        actor=jordan,
        child_id=child,
        chosen={(demo.trusted_adult_id, "cowrite"), (demo.trusted_adult_id, "my_statements")},
    )
    dees_idea = add_statement(
        session=db,
        actor=dee,
        child_id=child,
        idea=IdeaInput(moment=Moment.EVERYDAY, kind=StatementKind.CAN, text="come and get Jordan from boxing"),
    )
    dees_place = add_place(session=db, actor=dee, child_id=child, place=SafePlaceInput(name="Dee's flat"))
    jordans_place = add_place(session=db, actor=jordan, child_id=child, place=SafePlaceInput(name="the library"))
    jordans_contact = add_contact(
        session=db, actor=jordan, child_id=child, contact=PersonToCallInput(name="Coach Sam", phone="07700 900123")
    )
    plan = open_plan_for_child(session=db, child_id=child)
    assert plan is not None
    draft = draft_of(session=db, plan_id=plan.id or 0)
    statements = db.exec(select(ChildStatement).where(ChildStatement.version_id == draft.id)).all()
    jordans_idea = next(s for s in statements if s.written_by_member_id == demo.young_person_id)
    from_meeting = next(s for s in statements if s.written_by_member_id is None)
    accounts = role_accounts(db, demo)
    # An idea Sam wrote into the draft after the meeting: not agreed yet, and no family member's.
    sam = Actor(kind=AccountKind.PRACTITIONER, account_id=accounts["allocated_worker"][1])
    sams_idea = add_item(
        session=db,
        actor=sam,
        version_id=draft.id or 0,
        item=StatementInput(moment=Moment.EVERYDAY, kind=StatementKind.NEED, text="a lift home after training"),
    )
    # Sam's API token: only Sam is offered (and may use) its revoke form.
    sams_token = create_token(
        session=db,
        actor=sam,
        token=TokenInput(name="Sync", scope=TokenScope.READ, expires_on=today() + timedelta(days=30)),
    )
    # Parts in Jordan's case (Sam's, the only allocated worker's; PC Rhys's) and in Kay's (Nadia's).
    parts = db.exec(
        select(CaseAssignment.id)
        .join(Practitioner, col(Practitioner.id) == col(CaseAssignment.practitioner_id))
        .where(col(Practitioner.email).in_([demo.social_worker_email, demo.agency_partner_email, KAYS_TEAM_MEMBER]))
        .order_by(col(CaseAssignment.id))
    ).all()
    phones = (
        _phone(db, demo.young_person_id, b"jordan-phone-controls"),
        _phone(db, demo.trusted_adult_id, b"dee-phone-controls"),
    )
    # Jordan's meetings: one running now (the agenda, agreement) and one still to come (open, cancel).
    sam_row = db.get(Practitioner, accounts["allocated_worker"][1])
    assert sam_row is not None
    running, mums_place = open_meeting_for_jordan(db, demo, sam_row)
    coming = schedule_for_jordan(db, demo, sam_row, days=14)
    # Concerns: one about Jordan (assessed, so its decision form is offered) and one about a peer
    # group, both recorded by Sam (the peer group's is Sam's alone).
    jordans_concern = concern_about(db, sam_row.id or 0, demo.jordan_id)
    assessed(db, sam_row.id or 0, jordans_concern)
    peer_group = peer_group_concern(db, sam_row.id or 0)
    # A Hub enquiry about Kay (Alex's): the queue is the Hub's alone, so every role here is refused.
    enquiry = enquiry_about_kayla(db, demo, practitioner_id(db, demo.other_worker_email))
    # MACE: Sam's referral of Jordan, waiting, and a panel date (run by the manager); a mapping
    # meeting for Sam's peer group (the Hub's alone, so every role here is refused).
    referral = jordan_referred(db, demo, sam_row.id or 0)
    panel = panel_on(db, accounts["manager"][1])
    mapping = peer_group_mapped(db, sam_row.id or 0, name="the skate park")
    # A context conference opened by the Hub's weighing: the chair and the manager run it.
    hana = add_hub_worker(db, demo)
    conference = conference_opened(db, sam_row.id or 0, hana.id or 0, name="the Eastgate lot")
    db.commit()
    return World(
        accounts=accounts,
        values={
            "child_id": (demo.jordan_id, demo.kayla_id),
            "statement_id": tuple(s.id or 0 for s in (jordans_idea, dees_idea, from_meeting, sams_idea)),
            "place_id": (jordans_place.id or 0, dees_place.id or 0),
            "contact_id": (jordans_contact.id or 0,),
            "member_id": (demo.parent_id, demo.trusted_adult_id),
            "passkey_id": phones,
            "number": (1, 2),
            "practitioner_id": (accounts["allocated_worker"][1],),
            "assignment_id": tuple(part or 0 for part in parts),
            "token": ("x" * 43,),
            "token_id": (sams_token.token.id or 0,),
            "meeting_id": (running, coming.id or 0),
            "person_id": (mums_place,),
            "concern_id": (jordans_concern.id or 0, peer_group.id or 0, referral.concern_id, mapping.concern_id),
            "enquiry_id": (enquiry.id or 0,),
            "referral_id": (referral.id or 0,),
            "panel_id": (panel.id or 0,),
            "mapping_id": (mapping.id or 0,),
            "conference_id": (conference.id or 0,),
        },
    )


def _get_rules(app: Flask) -> Iterator[str]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static" and "_dev." not in rule.endpoint and "GET" in (rule.methods or set()):
            yield rule.rule


def _paths(rule: str, world: World) -> list[str]:
    """The rule filled with every combination of the values its parameters can take."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", rule)
    paths = []
    for combination in itertools.product(*(world.values[name] for name in names)):
        chosen = dict(zip(names, combination, strict=True))
        paths.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m, c=chosen: str(c[m.group(1)]), rule))  # type: ignore[misc]
    return paths


def _ask(
    application: SaferPlan,
    db: Session,
    world: World,
    door: str,
    role: str,
    method: str,
    path: str,
    fields: tuple[tuple[str, str], ...] = (),
) -> Answer:
    """One request by `role`, signed in afresh, in a savepoint rolled back afterwards."""
    connection = application.database._bind
    db.commit()  # the test session holds no savepoint of its own across requests
    savepoint = connection.begin_nested()
    try:
        client = make_client(getattr(application, door))
        kind, account_id = world.accounts[role]
        sign_in_as(client, session=db, account_kind=kind, account_id=account_id)
        before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
        response = client.open(path, method=method, data=MultiDict(fields), headers={"Accept": "text/html"})
        answer = Answer(response.status_code, response.get_data(as_text=True), 0)
        response.close()
        denials = db.exec(
            select(AuditEvent.id).where(col(AuditEvent.id) > before, AuditEvent.kind == AuditKind.DENIED)
        ).all()
    finally:
        db.rollback()
        savepoint.rollback()
    return Answer(answer.status, answer.body, len(denials))


@pytest.mark.usefixtures("streams_say_all_at_once")
@pytest.mark.parametrize("door", ["family", "practitioner"])
def test_no_page_offers_a_form_or_a_link_its_reader_may_not_use(
    application: SaferPlan, db: Session, world: World, door: str
) -> None:
    app: Flask = getattr(application, door)
    failures: list[str] = []
    offered: dict[tuple[str, Submission], str] = {}  # (role, submission) -> the page that offered it
    linked: dict[tuple[str, str], str] = {}  # (role, link) -> the page that linked to it
    pages = 0
    for rule in _get_rules(app):
        for role in ROLES[door]:
            for path in _paths(rule, world):
                answer = _ask(application, db, world, door, role, "GET", path)
                if answer.status >= 500:
                    failures.append(f"server error: GET {path} as {role}: {answer.status}")
                if answer.status != 200:
                    continue
                pages += 1
                found = controls(path, answer.body)
                for submission in found.submissions:
                    offered.setdefault((role, submission), path)
                for link in found.links:
                    linked.setdefault((role, link), path)
    for (role, submission), page in offered.items():
        answer = _ask(application, db, world, door, role, "POST", submission.action, submission.fields)
        if answer.status in REFUSED or answer.status >= 500 or answer.denials:
            failures.append(
                f"{page} offers {role} a form they may not submit: POST {submission.action} "
                f"{dict(submission.fields)} -> {answer.status}, {answer.denials} denial(s) audited"
            )
    for (role, link), page in linked.items():
        answer = _ask(application, db, world, door, role, "GET", link)
        if answer.status in REFUSED or answer.status >= 500 or answer.denials:
            failures.append(f"{page} links {role} to a page they may not open: GET {link} -> {answer.status}")
    assert pages > 20 and offered and linked  # the walk reached real pages with controls on them
    assert not failures, "\n".join(sorted(failures))
