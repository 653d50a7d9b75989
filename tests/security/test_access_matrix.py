"""R1, R2, R14, R21: every route x method x role x target, generated from the apps' url_maps.

Each cell runs inside a savepoint that is rolled back, so a write in one cell (sign-out, removing
a phone, revoking someone) never changes the next. A route with no entry in EXPECTED fails the
test: adding a route means deciding, here, who may use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from sqlmodel import Session, col, select

from app import SaferPlan
from app.actors import Actor
from app.api.inputs import TokenInput
from app.api.models import TokenScope
from app.api.operations import create_token
from app.audit.models import AuditEvent
from app.auth.models import AccountKind, Passkey
from app.cowriting.inputs import PersonToCallInput, SafePlaceInput
from app.cowriting.operations import add_contact, add_place
from app.demo.seed import DemoPeople
from app.people.models import CaseAssignment, Practitioner
from app.plans.models import CarerCommitment, ChildStatement
from app.plans.versions import latest_agreed, open_plan_for_child
from app.timeutil import today
from tests.support.clients import CsrfClient, make_client
from tests.support.concerns import concern_about
from tests.support.draft_lists import one_in_each_list
from tests.support.mace import jordan_referred
from tests.support.meetings import open_meeting_for_jordan
from tests.support.signin import sign_in_as

FAMILY_ROLES = ("young_person", "parent", "trusted_adult")
PRACTITIONER_ROLES = ("allocated_worker", "unallocated_worker")
EVERYONE = "*"
PUBLIC = "public"  # reachable anonymously; the answer may be anything below 500

# Who may use each endpoint on Jordan's record. Everyone else must get "not found" (or, signed
# out, a redirect to sign-in / 401). Kayla is on Alex's caseload only, so on her record only the
# unallocated worker (Alex) is allowed, and only where allocated workers are.
EXPECTED: dict[str, str | frozenset[str]] = {
    # family door
    "family.sign_in": PUBLIC,
    "family.sign_in_options": PUBLIC,
    "family.sign_in_verify": PUBLIC,
    "family.join": PUBLIC,
    "family.join_options": PUBLIC,
    "family.join_verify": PUBLIC,
    "family.quick_exit": PUBLIC,
    "family_pwa.manifest": PUBLIC,
    "family_pwa.service_worker": PUBLIC,
    "family_pwa.offline": frozenset({EVERYONE}),
    "family_lock.lock": frozenset({EVERYONE}),
    "family_lock.locked": frozenset({EVERYONE}),
    "family_lock.unlock_options": frozenset({EVERYONE}),
    "family_lock.unlock_verify": frozenset({EVERYONE}),
    "family.home": frozenset({EVERYONE}),
    "family.sign_out": frozenset({EVERYONE}),
    "family.plan": frozenset(FAMILY_ROLES),
    "family_privacy.who_can_see": frozenset(FAMILY_ROLES),
    "family_privacy.choose": frozenset({"young_person"}),
    "family_privacy.history": frozenset({"young_person"}),
    "family_privacy.device_list": frozenset({"young_person", "trusted_adult"}),
    "family_privacy.remove_device": frozenset({"young_person", "trusted_adult"}),
    # Co-writing: the young person; trusted adults only once Jordan shares "cowrite" (not by default).
    "family_cowrite.add": frozenset({"young_person"}),
    "family_cowrite.edit": frozenset({"young_person"}),
    "family_cowrite.save": frozenset({"young_person"}),
    "family_cowrite.delete": frozenset({"young_person"}),
    "family_cowrite.move": frozenset({"young_person"}),
    "family_cowrite.add_place": frozenset({"young_person"}),
    "family_cowrite.add_contact": frozenset({"young_person"}),
    "family_cowrite.delete_place": frozenset({"young_person"}),
    "family_cowrite.delete_contact": frozenset({"young_person"}),
    "family_cowrite.ideas": frozenset(FAMILY_ROLES),
    # What's new: each family member puts away their own card.
    "family_whats_new.got_it": frozenset(FAMILY_ROLES),
    # Easy read: each family member chooses the words on their own pages.
    "family_reading.easy_read": frozenset(FAMILY_ROLES),
    "family_language.choose": frozenset(FAMILY_ROLES),
    # Notices on this phone (app/push): each family member their own phones; someone else's
    # subscription answers like none (tests/functional/test_push.py).
    "family_push.subscribe": frozenset(FAMILY_ROLES),
    "family_push.unsubscribe": frozenset(FAMILY_ROLES),
    # A parent/carer marks their own commitments done or comments on them.
    "family_commitments.mark_done": frozenset({"parent"}),
    "family_commitments.comment": frozenset({"parent"}),
    # Adding one's own passkey (a second phone or computer): anyone in the family.
    "family_passkeys.add_device": frozenset(FAMILY_ROLES),
    "family_passkeys.add_options": frozenset(FAMILY_ROLES),
    "family_passkeys.add_verify": frozenset(FAMILY_ROLES),
    # The live stream of a plan: whoever may read the plan (it carries only change counts).
    "family_live.family_stream": frozenset(FAMILY_ROLES),
    # Meetings: everyone in the family invited follows the meeting and agrees on their own phone;
    # only the young person writes what they want the meeting to know.
    "family_meetings.meeting": frozenset(FAMILY_ROLES),
    "family_meetings.first_words": frozenset({"young_person"}),
    # Who sees what, at the agreement: the young person alone, never a parent or trusted adult.
    "family_meetings.who_sees_what": frozenset({"young_person"}),
    "family_meetings.agree": frozenset(FAMILY_ROLES),
    "family_meetings.live": frozenset(FAMILY_ROLES),
    # A trusted adult runs the meeting she was nominated to facilitate (Aunt Dee runs the world's).
    **{
        f"family_facilitation.{name}": frozenset({"trusted_adult"})
        for name in (
            "meeting",
            "invite_guest",
            "attendance",
            "consent",
            "open_meeting",
            "cancel",
            "live",
            "run",
            "move",
            "note",
            "agreement",
            "record_agreement",
        )
    },
    # practitioner door
    "practitioner.sign_in": PUBLIC,
    "practitioner.sign_out": PUBLIC,
    "practitioner_2fa.confirm": PUBLIC,
    "practitioner_2fa.options": PUBLIC,
    "practitioner_2fa.verify": PUBLIC,
    "practitioner.caseload": frozenset({EVERYONE}),
    "practitioner.child_plan": frozenset({"allocated_worker"}),
    "practitioner.child_plan_version": frozenset({"allocated_worker"}),
    "practitioner.invite": frozenset({"allocated_worker"}),
    # Writing the draft (app.drafting): editors only (managers, team members and partners read elsewhere).
    "practitioner_drafting.page": frozenset({"allocated_worker"}),
    "practitioner_drafting.start": frozenset({"allocated_worker"}),
    "practitioner_drafting.add": frozenset({"allocated_worker"}),
    "practitioner_drafting.change": frozenset({"allocated_worker"}),
    "practitioner_drafting.remove": frozenset({"allocated_worker"}),
    "practitioner_drafting.move": frozenset({"allocated_worker"}),
    "practitioner_drafting.fields": frozenset({"allocated_worker"}),
    "practitioner_drafting.idea": frozenset({"allocated_worker"}),
    "practitioner_drafting.compare": frozenset({"allocated_worker"}),
    "practitioner_agency_actions.page": frozenset(),  # agency partners only (tested in test_practitioner_roles)
    "practitioner_agency_actions.done": frozenset(),  # partners only (test_work_tray)
    "practitioner_agency_actions.add_note": frozenset(),  # partners only (test_agency_action_updates)
    "practitioner_live.practitioner_stream": frozenset({"allocated_worker"}),
    # Meetings: whole-plan readers read them, plan editors run them (Sam is both on Jordan's).
    **{
        f"practitioner_meetings.{name}": frozenset({"allocated_worker"})
        for name in (
            "meetings",
            "meeting",
            "invite_guest",
            "attendance",
            "consent",
            "open_meeting",
            "cancel",
            "live",
            "run",
            "move",
            "note",
            "agreement",
            "record_agreement",
            "record",
            # Who sees what, ticked with the young person (plan editors running the meeting).
            "who_sees_what",
        )
    },
    "practitioner_access.overview": frozenset({"allocated_worker"}),
    "practitioner_access.lock": frozenset({"allocated_worker"}),
    "practitioner_access.remove_person": frozenset({"allocated_worker"}),
    "practitioner_access.remove_device": frozenset({"allocated_worker"}),
    "practitioner_access.break_glass": frozenset({EVERYONE}),
    "practitioner_access.break_glass_search": frozenset({EVERYONE}),
    "practitioner_access.audit_search": frozenset(),  # managers and admins only (tested in test_audit)
    "practitioner_admin.account_list": frozenset(),  # admins only (tested in test_practitioner_roles)
    "practitioner_admin.switch": frozenset(),
    # Personal access tokens for the API: anyone who holds cases; each revokes only their own
    # (the cells revoke Sam's token). The admin may not (tested in tests/functional/api).
    "practitioner_api_tokens.page": frozenset({EVERYONE}),
    "practitioner_api_tokens.revoke": frozenset({"allocated_worker"}),
    # Adding a young person: social workers and lead professionals (Sam and Alex); managers,
    # chairs, agency partners and admins are refused (tested in test_cases).
    "practitioner_cases.new_young_person": frozenset({EVERYONE}),
    # The case team: whole-plan readers see it, the allocated worker and chair change it (managers
    # and team members read it only: test_cases).
    "practitioner_cases.team": frozenset({"allocated_worker"}),
    "practitioner_cases.remove_from_team": frozenset({"allocated_worker"}),
    # Concerns (app.concerns): the list and "record a concern" for every practitioner but an
    # admin; a concern about Jordan (recorded by Sam) is read, assessed and routed by whole-plan
    # readers / plan editors and his team's manager (the other roles: test_concerns).
    "practitioner_concerns.concerns": frozenset({EVERYONE}),
    "practitioner_concerns.new_concern": frozenset({EVERYONE}),
    "practitioner_concerns.concern": frozenset({"allocated_worker"}),
    "practitioner_concerns.assess": frozenset({"allocated_worker"}),
    "practitioner_concerns.decide": frozenset({"allocated_worker"}),
    # The Adolescent Safety Hub's queue: the Hub's own people only (tested in test_hub).
    "practitioner_hub.queue": frozenset(),
    "practitioner_hub.enquiry": frozenset(),
    # MACE (app.mace): the panel is run by the Hub's people and managers (tested in test_mace);
    # Sam reads the referral he made about Jordan, and refers a concern whose route he decides.
    "practitioner_mace.panels": frozenset(),
    "practitioner_mace.panel": frozenset(),
    "practitioner_mace.referral": frozenset({"allocated_worker"}),
    "practitioner_mace.outcome": frozenset(),
    "practitioner_mace.refer": frozenset({"allocated_worker"}),
    # Mapping meetings (app.mapping): the Hub co-ordinator's alone (tested in test_mapping).
    "practitioner_mapping.mappings": frozenset(),
    "practitioner_mapping.mapping": frozenset(),
    "practitioner_mapping.add_member": frozenset(),
    # Strategic themes (app.themes) and the contexts map (app.contexts): managers and the Hub's
    # people only (tested in test_themes and test_contexts); no worker, partner or admin.
    "practitioner_themes.themes": frozenset(),
    "practitioner_themes.themes_download": frozenset(),
    "practitioner_contexts.contexts": frozenset(),
    # Incidents (app.incidents): the plan's editors record one (the chair too: test_incidents);
    # whole-plan readers see the list on the case team page above.
    "practitioner_incidents.new_incident": frozenset({"allocated_worker"}),
    # One's own notice only; no notice 1 is anyone's here (tests/functional/practitioner/test_notices.py).
    "practitioner_notices.dismiss": frozenset(),
    # Context conferences (app.conferences): independent chairs, managers, QAS and the Hub only;
    # never a social worker or lead professional as such (tested in test_conferences).
    "practitioner_conferences.conferences": frozenset(),
    "practitioner_conferences.conference": frozenset(),
    "practitioner_conferences.step": frozenset(),
    "practitioner_conferences.add_action": frozenset(),
    "practitioner_conferences.plan_times": frozenset(),
    "practitioner_conferences.close": frozenset(),
    "practitioner_conferences.move_review": frozenset(),
    "practitioner_conferences.schedule": frozenset(),
}


# Path parameters naming something on Jordan's record (filled with Jordan's things for both targets).
JORDANS_THINGS = (
    "member_id",
    "passkey_id",
    "statement_id",
    "commitment_id",
    "place_id",
    "contact_id",
    "assignment_id",
    "meeting_id",
    "person_id",
    "item_id",
)
# Endpoints whose success is a redirect to the sign-in page.
SIGNS_OUT = frozenset({"family.sign_out"})


@dataclass(frozen=True)
class Cell:
    door: str
    endpoint: str
    method: str
    path: str
    role: str
    target: str


@dataclass
class World:
    demo: DemoPeople
    jordan_phone: int
    sam_id: int
    alex_id: int
    jordans_own_statement: int
    lisas_commitment: int
    jordans_own_place: int
    jordans_own_contact: int
    sams_token: int
    # PC Rhys Hughes's part in Jordan's case (an agency partner: removable from the case team).
    rhys_assignment: int
    meeting: int  # Jordan's meeting, running now, Dee facilitating (every meeting route has one to act on)
    meeting_person: int
    concern: int  # a concern about Jordan, recorded by Sam (no child in its path: same on both targets)
    referral: int  # Sam's referral of Jordan to MACE (no child in its path: same on both targets)
    # An item Sam added to each list of Jordan's draft, by the list's API path segment (app.api.list_views).
    draft_items: dict[str, int]


def _header_problems(headers: object) -> list[str]:
    """R15 on every answer: strict CSP, no framing, nosniff, no referrer; R13: cookie flags."""
    get = headers.get  # type: ignore[attr-defined]
    problems = []
    csp = get("Content-Security-Policy", "")
    if "script-src 'self'" not in csp or "frame-ancestors 'none'" not in csp or "unsafe-" in csp:
        problems.append("csp")
    if get("X-Content-Type-Options") != "nosniff":
        problems.append("nosniff")
    if get("Referrer-Policy") != "no-referrer":
        problems.append("referrer")
    for cookie in headers.get_all("Set-Cookie"):  # type: ignore[attr-defined]
        if "HttpOnly" not in cookie or "SameSite=Strict" not in cookie:
            problems.append("cookie")
    return problems


def _routes(app: Flask) -> Iterator[tuple[str, str, str]]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule.rule


def _fill(rule: str, world: World, target: str) -> str:
    child_id = world.demo.jordan_id if target == "jordan" else world.demo.kayla_id
    values = {
        "child_id": str(child_id),
        "passkey_id": str(world.jordan_phone),
        "member_id": str(world.demo.parent_id),
        "number": "1",
        "statement_id": str(world.jordans_own_statement),
        "commitment_id": str(world.lisas_commitment),
        "place_id": str(world.jordans_own_place),
        "contact_id": str(world.jordans_own_contact),
        "assignment_id": str(world.rhys_assignment),
        "meeting_id": str(world.meeting),
        "person_id": str(world.meeting_person),
        "token": "x" * 43,
        "token_id": str(world.sams_token),
        "concern_id": str(world.concern),
        "referral_id": str(world.referral),
        # An agenda item of a meeting (app.api.meeting_views): any item with notes.
        "item": "introductions",
    }
    # Each list's <item_id> is that list's item in Jordan's draft (/plan/draft/<segment>/<int:item_id>).
    listed = re.search(r"/plan/draft/([a-z-]+)/<int:item_id>", rule)
    if listed:
        values["item_id"] = str(world.draft_items[listed.group(1)])
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), rule)


def _allowed(expected: str | frozenset[str], role: str, target: str, path: str) -> bool | None:
    """True/False for a decided cell; None for public endpoints (any answer below 500)."""
    if expected == PUBLIC:
        return None
    assert isinstance(expected, frozenset)
    if role == "anonymous":
        return False
    if EVERYONE in expected:
        return True
    on_a_child = "child_id>" in path
    if target == "kayla" and any(f"{name}>" in path for name in JORDANS_THINGS):
        # A phone, person or statement of Jordan's asked for under Kayla's record is not there.
        return False
    if target == "kayla" and on_a_child:
        # Only Alex is linked to Kayla, and only as her allocated worker.
        return role == "unallocated_worker" and "allocated_worker" in expected
    return role in expected


def _agreed_version_id(db: Session, demo: DemoPeople) -> int:
    plan = open_plan_for_child(session=db, child_id=demo.jordan_id)
    assert plan is not None
    agreed = latest_agreed(session=db, plan_id=plan.id or 0)
    assert agreed is not None
    return agreed.id or 0


@pytest.fixture
def world(db: Session, demo: DemoPeople) -> World:
    phone = Passkey(
        account_kind=AccountKind.FAMILY,
        account_id=demo.young_person_id,
        credential_id=b"jordan-phone",
        public_key=b"not-used",
        label="Phone",
    )
    db.add(phone)
    db.commit()
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    alex = db.exec(select(Practitioner).where(Practitioner.email == demo.other_worker_email)).one()
    own = db.exec(
        select(ChildStatement)
        .where(ChildStatement.written_by_member_id == demo.young_person_id)
        .order_by(col(ChildStatement.id).desc())
    ).first()
    assert own is not None and own.own_words
    # Lisa's commitment in the version the family sees (the agreed one, not the draft's copy).
    lisas = db.exec(
        select(CarerCommitment)
        .where(CarerCommitment.member_id == demo.parent_id, CarerCommitment.version_id == _agreed_version_id(db, demo))
        .order_by(col(CarerCommitment.id))
    ).first()
    assert lisas is not None
    # A safe place and someone to call that Jordan added to the draft himself (co-writing).
    jordan = Actor(kind=AccountKind.FAMILY, account_id=demo.young_person_id)
    place = add_place(session=db, actor=jordan, child_id=demo.jordan_id, place=SafePlaceInput(name="the library"))
    contact = add_contact(
        session=db,
        actor=jordan,
        child_id=demo.jordan_id,
        contact=PersonToCallInput(name="Coach Sam", phone="07700 900123"),
    )
    sams_token = create_token(
        session=db,
        actor=Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0),
        token=TokenInput(name="Sync", scope=TokenScope.READ, expires_on=today() + timedelta(days=30)),
    )
    rhys = db.exec(select(Practitioner).where(Practitioner.email == demo.agency_partner_email)).one()
    rhys_assignment = db.exec(
        select(CaseAssignment.id).where(
            CaseAssignment.child_id == demo.jordan_id, CaseAssignment.practitioner_id == rhys.id
        )
    ).one()
    meeting, person = open_meeting_for_jordan(db, demo, sam)
    concern = concern_about(db, sam.id or 0, demo.jordan_id)
    referral = jordan_referred(db, demo, sam.id or 0)
    db.commit()
    sams = Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)
    draft_items = {segment: made[0] for segment, made in one_in_each_list(db, sams, demo.jordan_id).items()}
    return World(
        demo=demo,
        jordan_phone=phone.id or 0,
        sam_id=sam.id or 0,
        alex_id=alex.id or 0,
        jordans_own_statement=own.id or 0,
        lisas_commitment=lisas.id or 0,
        jordans_own_place=place.id or 0,
        jordans_own_contact=contact.id or 0,
        sams_token=sams_token.token.id or 0,
        rhys_assignment=rhys_assignment or 0,
        meeting=meeting,
        meeting_person=person,
        concern=concern.id or 0,
        referral=referral.id or 0,
        draft_items=draft_items,
    )


def _client(application: SaferPlan, db: Session, world: World, door: str, role: str) -> CsrfClient:
    client = make_client(getattr(application, door))
    ids = {
        "young_person": (AccountKind.FAMILY, world.demo.young_person_id),
        "parent": (AccountKind.FAMILY, world.demo.parent_id),
        "trusted_adult": (AccountKind.FAMILY, world.demo.trusted_adult_id),
        "allocated_worker": (AccountKind.PRACTITIONER, world.sam_id),
        "unallocated_worker": (AccountKind.PRACTITIONER, world.alex_id),
    }
    if role != "anonymous":
        kind, account_id = ids[role]
        sign_in_as(client, session=db, account_kind=kind, account_id=account_id)
    return client


@pytest.mark.parametrize("door", ["family", "practitioner"])
def test_r2_every_route_method_role_and_target_matches_the_expected_table(
    application: SaferPlan, db: Session, world: World, door: str, figures: object
) -> None:
    app: Flask = getattr(application, door)
    routes = list(_routes(app))
    missing = sorted({endpoint for endpoint, _m, _r in routes if endpoint not in EXPECTED and "_dev." not in endpoint})
    assert not missing, f"routes with no expected access entry (decide who may use them): {missing}"
    roles = ("anonymous", *(FAMILY_ROLES if door == "family" else PRACTITIONER_ROLES))
    connection = application.database._bind
    failures: list[str] = []
    cells = unexpected_2xx = denial_rows_missing = cache_violations = header_violations = 0
    for endpoint, method, rule in routes:
        expected = EXPECTED[endpoint]
        for role in roles:
            for target in ("jordan", "kayla"):
                path = _fill(rule, world, target)
                db.commit()  # the test session holds no savepoint of its own across cells
                savepoint = connection.begin_nested()
                try:
                    client = _client(application, db, world, door, role)
                    before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
                    response = client.open(path, method=method, headers={"Accept": "text/html"})
                    status = response.status_code
                    location = response.headers.get("Location", "")
                    header_problems = _header_problems(response.headers)
                    response.close()
                    denied_rows = db.exec(
                        select(AuditEvent).where(col(AuditEvent.id) > before, AuditEvent.kind == "denied")
                    ).all()
                finally:
                    db.rollback()  # end the test session's inner savepoint first, then undo the cell
                    savepoint.rollback()
                cells += 1
                cell = f"{door} {method} {path} as {role} on {target}: {status}"
                if header_problems:
                    header_violations += len(header_problems)
                    failures.append(f"headers (R15) {header_problems}: {cell}")
                allowed = _allowed(expected, role, target, rule)
                if status >= 500:
                    failures.append(f"server error: {cell}")
                elif allowed is None:
                    continue
                elif allowed:
                    signed_out = status in (301, 302, 303) and "/sign-in" in location and endpoint not in SIGNS_OUT
                    if status == 404 or (signed_out and role != "anonymous"):
                        failures.append(f"refused but should be allowed: {cell}")
                else:
                    if role == "anonymous":
                        ok = status == 401 or (status == 302 and "/sign-in" in location)
                    else:
                        ok = status == 404
                        # Alex may open Kayla's record; Jordan's things are simply not in it (no denial).
                        linked = role == "unallocated_worker" and target == "kayla"
                        if not denied_rows and not linked:
                            denial_rows_missing += 1
                            failures.append(f"denial not audited (R21): {cell}")
                    if not ok:
                        failures.append(f"should be refused: {cell}")
                        if 200 <= status < 300:
                            unexpected_2xx += 1
                if status == 200 and door == "practitioner" and response.headers.get("Cache-Control") != "no-store":
                    cache_violations += 1
                    failures.append(f"missing no-store (R14): {cell}")
    figures.add("r2.cells", cells)  # type: ignore[attr-defined]
    figures.add("r2.unexpected_2xx", unexpected_2xx)  # type: ignore[attr-defined]
    figures.add("headers.violations", header_violations + cache_violations)  # type: ignore[attr-defined]
    assert not failures, "\n".join(failures)
    assert cells > 50


# The API door (/api/v1): who may use each endpoint, by the practitioner a token acts for. Same
# reading as EXPECTED: Sam's token reaches Jordan's record, Alex's reaches Kayla's only.
API_EXPECTED: dict[str, str | frozenset[str]] = {
    "openapi_document": PUBLIC,
    "api_docs": PUBLIC,
    "api_v1.children": frozenset({EVERYONE}),
    "api_v1.child": frozenset({"allocated_worker"}),
    "api_v1.plan": frozenset({"allocated_worker"}),
    "api_v1.version": frozenset({"allocated_worker"}),
    # The draft's statements (issue 11): plan editors; writes need a read-and-change token (a
    # read token gets 403 on any write, whoever it acts for). The cells send no body and no
    # If-Match, so an allowed write is refused for those (422, 428), never found missing.
    "api_v1.statement": frozenset({"allocated_worker"}),
    "api_v1.add_statement": frozenset({"allocated_worker"}),
    "api_v1.change_statement": frozenset({"allocated_worker"}),
    "api_v1.remove_statement": frozenset({"allocated_worker"}),
    # The draft's other lists (issue 11, app.api.list_views): the same as its statements.
    "api_v1.draft_action": frozenset({"allocated_worker"}),
    "api_v1.add_draft_action": frozenset({"allocated_worker"}),
    "api_v1.change_draft_action": frozenset({"allocated_worker"}),
    "api_v1.remove_draft_action": frozenset({"allocated_worker"}),
    "api_v1.draft_contact": frozenset({"allocated_worker"}),
    "api_v1.add_draft_contact": frozenset({"allocated_worker"}),
    "api_v1.change_draft_contact": frozenset({"allocated_worker"}),
    "api_v1.remove_draft_contact": frozenset({"allocated_worker"}),
    "api_v1.draft_parental_responsibility": frozenset({"allocated_worker"}),
    "api_v1.add_draft_parental_responsibility": frozenset({"allocated_worker"}),
    "api_v1.change_draft_parental_responsibility": frozenset({"allocated_worker"}),
    "api_v1.remove_draft_parental_responsibility": frozenset({"allocated_worker"}),
    "api_v1.draft_commitment": frozenset({"allocated_worker"}),
    "api_v1.add_draft_commitment": frozenset({"allocated_worker"}),
    "api_v1.change_draft_commitment": frozenset({"allocated_worker"}),
    "api_v1.remove_draft_commitment": frozenset({"allocated_worker"}),
    "api_v1.draft_agency_action": frozenset({"allocated_worker"}),
    "api_v1.add_draft_agency_action": frozenset({"allocated_worker"}),
    "api_v1.change_draft_agency_action": frozenset({"allocated_worker"}),
    "api_v1.remove_draft_agency_action": frozenset({"allocated_worker"}),
    "api_v1.draft_network_person": frozenset({"allocated_worker"}),
    "api_v1.add_draft_network_person": frozenset({"allocated_worker"}),
    "api_v1.change_draft_network_person": frozenset({"allocated_worker"}),
    "api_v1.remove_draft_network_person": frozenset({"allocated_worker"}),
    "api_v1.draft_place": frozenset({"allocated_worker"}),
    "api_v1.add_draft_place": frozenset({"allocated_worker"}),
    "api_v1.change_draft_place": frozenset({"allocated_worker"}),
    "api_v1.remove_draft_place": frozenset({"allocated_worker"}),
    # Concerns (issue 12), read through the concerns pages' queries: the world's concern about
    # Jordan (Sam's) is read by whole-plan readers; a child's list by those who read that child's.
    "api_v1.child_concerns": frozenset({"allocated_worker"}),
    "api_v1.concern": frozenset({"allocated_worker"}),
    # The Hub's queue: the Hub's own people only (a Hub worker's token: tests/functional/api/test_concerns).
    "api_v1.hub_enquiries": frozenset(),
    "api_v1.hub_enquiry": frozenset(),
    # Incidents (issue 10 item 6): whole-plan readers list them, plan editors record one (a read
    # token gets 403 on the write; the cells send no body, so an allowed write is a 422).
    "api_v1.child_incidents": frozenset({"allocated_worker"}),
    "api_v1.record_incident": frozenset({"allocated_worker"}),
    # Mapping meetings (the Hub's) and context conferences (chairs, managers, QAS, the Hub):
    # tokens of theirs in tests/functional/api/test_contexts.
    "api_v1.mapping_meetings": frozenset(),
    "api_v1.mapping_meeting": frozenset(),
    "api_v1.conferences": frozenset(),
    "api_v1.conference": frozenset(),
    # A child's meetings (issue 11, app.api.meeting_views): read by those who read the meetings,
    # run by plan editors (the world's meeting is open, Dee facilitating: Sam may still run it). The
    # cells send no body and no If-Match, so an allowed write is refused for those (422, 428); an
    # agreement recorded for Mum needs neither, and is recorded (again: it changes nothing).
    "api_v1.child_meetings": frozenset({"allocated_worker"}),
    "api_v1.schedule_meeting": frozenset({"allocated_worker"}),
    "api_v1.meeting": frozenset({"allocated_worker"}),
    "api_v1.attendance": frozenset({"allocated_worker"}),
    "api_v1.record_agreement": frozenset({"allocated_worker"}),
    "api_v1.agenda_notes": frozenset({"allocated_worker"}),
    "api_v1.open_meeting": frozenset({"allocated_worker"}),
    "api_v1.cancel_meeting": frozenset({"allocated_worker"}),
    "api_v1.agree_plan": frozenset({"allocated_worker"}),
    # Reviews due: everyone's own caseload (Alex's has no review of Jordan's: tests/functional/api/test_reviews).
    "api_v1.reviews": frozenset({EVERYONE}),
    # A plan's agreed versions and the diff of two (issue 11): whole-plan readers ("plan.history",
    # "plan.compare"). The audit log: managers (their team's) only; a worker's token is an audited
    # 403 (a manager's token: tests/functional/api/test_audit_log). The changes feed: every token,
    # each seeing only the children it reads (tests/functional/api/test_changes_feed).
    "api_v1.versions": frozenset({"allocated_worker"}),
    "api_v1.version_diff": frozenset({"allocated_worker"}),
    "api_v1.audit_log": frozenset(),
    "api_v1.changes": frozenset({EVERYONE}),
}
# Account-wide work, not a record: refused with an audited 403 (not the 404 of a record one may not
# see), before any enquiry is looked up (so its path id needs no value in the world).
API_FORBIDDEN_NOT_HIDDEN = frozenset(
    {
        "api_v1.hub_enquiries",
        "api_v1.hub_enquiry",
        "api_v1.mapping_meetings",
        "api_v1.mapping_meeting",
        "api_v1.conferences",
        "api_v1.conference",
        "api_v1.audit_log",
    }
)
API_TOKEN_SCOPES = ("read", "read_write")
API_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def test_r2_every_api_route_method_token_and_target_matches_the_expected_table(
    application: SaferPlan, db: Session, world: World, figures: object
) -> None:
    from app.api.door import api_limiter

    app = application.api
    routes = list(_routes(app))
    missing = sorted({endpoint for endpoint, _m, _r in routes if endpoint not in API_EXPECTED})
    assert not missing, f"API routes with no expected access entry (decide who may use them): {missing}"
    accounts = {"allocated_worker": world.sam_id, "unallocated_worker": world.alex_id}
    raw_tokens: dict[tuple[str, str], str] = {}
    for role, account_id in accounts.items():
        for scope in API_TOKEN_SCOPES:
            made = create_token(
                session=db,
                actor=Actor(kind=AccountKind.PRACTITIONER, account_id=account_id),
                token=TokenInput(
                    name=f"{role} {scope}", scope=TokenScope(scope), expires_on=today() + timedelta(days=1)
                ),
            )
            raw_tokens[(role, scope)] = made.raw
    db.commit()
    identities = [("anonymous", "")] + [(role, scope) for role in accounts for scope in API_TOKEN_SCOPES]
    failures: list[str] = []
    cells = 0
    client = app.test_client()
    for endpoint, method, rule in routes:
        expected = API_EXPECTED[endpoint]
        for role, scope in identities:
            for target in ("jordan", "kayla"):
                path = _fill(rule, world, target)
                headers = {"Authorization": f"Bearer {raw_tokens[(role, scope)]}"} if role != "anonymous" else {}
                before = db.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first() or 0
                response = client.open(path, method=method, headers=headers)
                db.expire_all()
                rows = db.exec(select(AuditEvent).where(col(AuditEvent.id) > before)).all()
                cells += 1
                cell = f"api {method} {path} as {role} ({scope or 'no token'}) on {target}: {response.status_code}"
                writes = method not in API_READ_METHODS
                if not 200 <= response.status_code < 300 and response.mimetype != "application/problem+json":
                    failures.append(f"not a problem+json: {cell}")
                if "Set-Cookie" in response.headers:
                    failures.append(f"sets a cookie: {cell}")
                if _header_problems(response.headers) or response.headers.get("Cache-Control") != "no-store":
                    failures.append(f"headers (R14, R15) {_header_problems(response.headers)}: {cell}")
                if not any(r.action == "api.call" for r in rows):
                    failures.append(f"call not audited: {cell}")
                allowed = _allowed(expected, role, target, rule)
                if response.status_code >= 500:
                    failures.append(f"server error: {cell}")
                elif allowed is None:
                    continue
                elif writes and scope == "read":
                    # Refused for the token's scope before anything is looked up: the same for every record.
                    denied = [r for r in rows if r.kind == "denied" and r.api_token_id is not None]
                    if response.status_code != 403 or not denied:
                        failures.append(f"a read token writing should be an audited 403: {cell}")
                elif allowed and writes:
                    if response.status_code in (401, 403, 404):
                        failures.append(f"refused but should be allowed: {cell}")
                elif allowed:
                    if response.status_code != 200:
                        failures.append(f"refused but should be allowed: {cell}")
                elif role == "anonymous":
                    if response.status_code != 401:
                        failures.append(f"should be 401: {cell}")
                else:
                    token_ids = {r.api_token_id for r in rows if r.kind == "denied"}
                    refused = 403 if endpoint in API_FORBIDDEN_NOT_HIDDEN else 404
                    if response.status_code != refused:
                        failures.append(f"should be refused ({refused}): {cell}")
                    elif not token_ids or None in token_ids:
                        failures.append(f"denial not audited with the token's id (R21): {cell}")
    api_limiter.reset()
    figures.add("r2.cells", cells)  # type: ignore[attr-defined]
    assert not failures, "\n".join(failures)
    assert cells >= len(API_EXPECTED) * len(identities) * 2
