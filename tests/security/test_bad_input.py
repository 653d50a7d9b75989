"""R23/R29 (issue 14, section 2): a bad-input corpus on every form, query and JSON route of both doors.

Every rule in both doors' url_map that accepts POST has an entry in ROUTES (a test fails when a new
POST route has none), as do the GET pages that read query parameters. Each field a route reads
gets every value of the corpus in turn (oversized text, NUL, invisible-only text, bidi overrides,
non-ASCII digits, ids beyond 32 and 64 bits), the other fields valid; the JSON passkey routes get
too-deep and wrong-shaped JSON. Requests carry the right CSRF token and come from a person the
route serves, so the bad value reaches the view. Each request runs in a savepoint that is rolled
back, so every one starts from the same demo data. The assertion: no answer >= 500.

Path ids: every rule with an integer in its path is asked for ids no column can hold and for
ids written in non-ASCII digits; each must be answered exactly like a missing record.

Figures (make security-report): r29.bad_inputs_tried, r29.server_errors (must be zero).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from app import SaferPlan
from app.actors import Actor
from app.api.inputs import TokenInput
from app.api.models import TokenScope
from app.api.operations import create_token
from app.auth.models import AccountKind, Passkey
from app.demo.seed import DemoPeople
from app.drafting.inputs import ListKey
from app.incidents.queries import review_state
from app.meetings.models import Meeting, MeetingPerson
from app.people.models import CaseAssignment, Practitioner
from app.timeutil import today
from app.web.limits import family_limiter, practitioner_limiter
from tests.support import bad_input as bad
from tests.support.clients import CsrfClient, make_client
from tests.support.concerns import ASSESSMENT, assessed, concern_about
from tests.support.conferences import conference_opened
from tests.support.draft_lists import SAMPLES as DRAFT_SAMPLES
from tests.support.draft_lists import one_in_each_list
from tests.support.hub import HUB_EMAIL, add_hub_worker, enquiry_about_kayla
from tests.support.mace import jordan_referred, panel_on, peer_group_mapped
from tests.support.meetings import open_meeting_for_jordan
from tests.support.notices import reminder_for
from tests.support.shared_world import SeededDatabase, bound_session, module_transaction, savepoint_session

JSON = "json"
FORM = "form"
QUERY = "query"


@dataclass(frozen=True)
class Route:
    """Who uses a route, and the fields it reads with a valid value each ({name} from World)."""

    who: str
    fields: dict[str, str] = field(default_factory=dict)
    body: str = FORM


# The forms of a running meeting, on both doors (the facilitator's: Sam, or Aunt Dee on the family door).
MEETING_FORMS: dict[str, Route] = {
    "invite_guest": Route("trusted_adult", {"name": "Ms Patel", "role": "School DSL", "agency": "school"}),
    "attendance": Route(
        "trusted_adult", {"attendance": "apologies", "update": "Sent her notes", "revision": "{person_revision}"}
    ),
    "consent": Route("trusted_adult", {"revision": "{meeting_revision}"}),
    "open_meeting": Route("trusted_adult", {"revision": "{meeting_revision}"}),
    "cancel": Route("trusted_adult", {"revision": "{meeting_revision}"}),
    "move": Route("trusted_adult", {"item": "patterns", "revision": "{meeting_revision}"}),
    "note": Route("trusted_adult", {"item": "patterns", "text": "After school on Fridays", "revision": "0"}),
    "agreement": Route(
        "trusted_adult",
        {
            "review_date": "2030-02-14",
            "review_trigger": "a missing episode",
            "shared_with": "the network",
            "revision": "{meeting_revision}",
        },
    ),
    "record_agreement": Route("trusted_adult"),
}

# (door, endpoint, method) -> what the route reads. Every POST rule of both doors must be here.
ROUTES: dict[tuple[str, str, str], Route] = {
    # family door: passkey ceremonies (JSON)
    ("family", "family.sign_in_options", "POST"): Route("anonymous", body=JSON),
    ("family", "family.sign_in_verify", "POST"): Route("anonymous", body=JSON),
    ("family", "family.join_options", "POST"): Route("anonymous", body=JSON),
    ("family", "family.join_verify", "POST"): Route("anonymous", body=JSON),
    ("family", "family_lock.unlock_options", "POST"): Route("young_person", body=JSON),
    ("family", "family_lock.unlock_verify", "POST"): Route("young_person", body=JSON),
    ("family", "family_passkeys.add_options", "POST"): Route("young_person", body=JSON),
    ("family", "family_passkeys.add_verify", "POST"): Route("young_person", body=JSON),
    # family door: notices on this phone (app/push), the browser's subscription as JSON
    ("family", "family_push.subscribe", "POST"): Route("parent", body=JSON),
    ("family", "family_push.unsubscribe", "POST"): Route("parent", body=JSON),
    # family door: forms
    ("family", "family.sign_out", "POST"): Route("young_person"),
    ("family", "family_lock.lock", "POST"): Route("young_person"),
    ("family", "family_privacy.choose", "POST"): Route(
        "young_person", {"share-{parent_id}-review": "on", "share-{trusted_adult_id}-safe_word": "on"}
    ),
    ("family", "family_privacy.remove_device", "POST"): Route("young_person"),
    ("family", "family_cowrite.add", "POST"): Route(
        "young_person", {"moment": "everyday", "kind": "can", "text": "ask Coach Marcus for a lift"}
    ),
    ("family", "family_cowrite.save", "POST"): Route(
        "young_person",
        {"moment": "everyday", "kind": "can", "text": "ask Aunt Dee for a lift", "revision": "{statement_revision}"},
    ),
    ("family", "family_cowrite.delete", "POST"): Route("young_person", {"revision": "{statement_revision}"}),
    ("family", "family_cowrite.move", "POST"): Route(
        "young_person", {"direction": "up", "revision": "{statement_revision}"}
    ),
    ("family", "family_cowrite.add_place", "POST"): Route("young_person", {"name": "the library", "notes": "quiet"}),
    ("family", "family_cowrite.add_contact", "POST"): Route(
        "young_person", {"name": "Coach Marcus", "phone": "07700 900789", "relationship": "Coach"}
    ),
    ("family", "family_cowrite.delete_place", "POST"): Route("young_person", {"revision": "{place_revision}"}),
    ("family", "family_cowrite.delete_contact", "POST"): Route("young_person", {"revision": "{contact_revision}"}),
    ("family", "family_whats_new.got_it", "POST"): Route("young_person", {"version": "1"}),
    ("family", "family_reading.easy_read", "POST"): Route("young_person", {"easy_read": "on", "child": "{jordan_id}"}),
    ("family", "family_language.choose", "POST"): Route("young_person", {"language": "ar", "child": "{jordan_id}"}),
    ("family", "family_commitments.mark_done", "POST"): Route("parent", {"done": "1"}),
    ("family", "family_commitments.comment", "POST"): Route(
        "parent", {"comment": "I'll ask Jordan on Sunday", "latest": "{commitment_latest}"}
    ),
    # family door: meetings (the young person's first words; "I agree"; Dee facilitating)
    ("family", "family_meetings.first_words", "POST"): Route(
        "young_person", {"words": "I want to keep boxing", "revision": "{meeting_revision}"}
    ),
    ("family", "family_meetings.agree", "POST"): Route("parent"),
    # Who sees what at the agreement (the running meeting is at item 1 here: the form is refused
    # as out of date or stale, never with an error).
    ("family", "family_meetings.who_sees_what", "POST"): Route(
        "young_person", {"seen": "", "share-{parent_id}-review": "on", "share-{trusted_adult_id}-safe_word": "on"}
    ),
    **{("family", f"family_facilitation.{endpoint}", "POST"): route for endpoint, route in MEETING_FORMS.items()},
    # family door: pages that read the query string
    ("family", "family.plan", "GET"): Route(
        "young_person", {"add": "idea", "back": "place", "done": "added", "lock_after": "60"}, body=QUERY
    ),
    ("family", "family_cowrite.ideas", "GET"): Route("young_person", {"add": "place", "back": "idea"}, body=QUERY),
    ("family", "family_privacy.who_can_see", "GET"): Route("young_person", {"saved": "1"}, body=QUERY),
    ("family", "family_privacy.device_list", "GET"): Route("young_person", {"removed": "1"}, body=QUERY),
    ("family", "family_passkeys.add_device", "GET"): Route("young_person", {"added": "1"}, body=QUERY),
    # practitioner door
    ("practitioner", "practitioner.sign_in", "POST"): Route(
        "anonymous", {"email": "sam.okafor@example.org", "password": "not the password"}
    ),
    ("practitioner", "practitioner.sign_out", "POST"): Route("sam"),
    ("practitioner", "practitioner_2fa.options", "POST"): Route("half_signed_in", body=JSON),
    ("practitioner", "practitioner_2fa.verify", "POST"): Route("half_signed_in", body=JSON),
    ("practitioner", "practitioner.invite", "POST"): Route(
        "sam", {"who": "new", "role": "trusted_adult", "display_name": "Coach Marcus", "relationship": "Coach"}
    ),
    ("practitioner", "practitioner_agency_actions.page", "POST"): Route(
        "rhys",
        {
            "action_id": "{action_id}",
            "revision": "{action_revision}",
            "action": "set up the Police Trigger Plan",
            "due_on": "2026-11-02",
        },
    ),
    ("practitioner", "practitioner_agency_actions.done", "POST"): Route("rhys", {"revision": "{action_revision}"}),
    ("practitioner", "practitioner_agency_actions.add_note", "POST"): Route("rhys", {"note": "Spoke to the school"}),
    ("practitioner", "practitioner_access.lock", "POST"): Route(
        "sam", {"member_id": "{parent_id}", "section": "review", "locked": "1"}
    ),
    ("practitioner", "practitioner_access.remove_person", "POST"): Route("sam"),
    # Setting aside one of Sam's notices (app/notices): nothing in the form but the CSRF token.
    ("practitioner", "practitioner_notices.dismiss", "POST"): Route("sam"),
    ("practitioner", "practitioner_access.remove_device", "POST"): Route("sam"),
    ("practitioner", "practitioner_access.break_glass", "POST"): Route(
        "alex",
        {
            "name": "Jordan Ellis",
            "date_of_birth": "2012-05-09",
            "child_id": "{jordan_id}",
            "reason": "Police called: Jordan reported missing tonight",
        },
    ),
    ("practitioner", "practitioner_access.break_glass_search", "POST"): Route(
        "alex", {"name": "Jordan Ellis", "date_of_birth": "2012-05-09"}
    ),
    ("practitioner", "practitioner_admin.account_list", "POST"): Route(
        "dana",
        {
            "email": "new.person@example.org",
            "display_name": "New Person",
            "role": "social_worker",
            "agency": "childrens_social_work",
            "team": "Adolescent Safety Team (North)",
            "password": "a long enough first password",
        },
    ),
    ("practitioner", "practitioner_admin.switch", "POST"): Route("dana"),
    # API tokens (app.api): Sam makes one, and revokes his own.
    ("practitioner", "practitioner_api_tokens.page", "POST"): Route(
        "sam", {"name": "Mosaic nightly sync", "scope": "read", "expires_on": "{in_thirty_days}"}
    ),
    ("practitioner", "practitioner_api_tokens.revoke", "POST"): Route("sam"),
    ("practitioner", "practitioner_cases.new_young_person", "POST"): Route(
        "alex",
        {
            "first_name": "Riley",
            "last_name": "Stone",
            "preferred_name": "Ri",
            "date_of_birth": "{thirteen_years_ago}",
            "school": "Westfield High School",
            "meeting_type": "safer_me_plus",
            "open_to_csw": "no",
            "different_person": "on",
        },
    ),
    ("practitioner", "practitioner_cases.team", "POST"): Route(
        "sam", {"practitioner_id": "{alex_id}", "case_role": "team_member"}
    ),
    ("practitioner", "practitioner_cases.remove_from_team", "POST"): Route("sam"),
    # practitioner door: concerns (app.concerns), Sam on a concern about Jordan he recorded and assessed
    ("practitioner", "practitioner_concerns.new_concern", "POST"): Route(
        "sam",
        {
            "subject": "individual",
            "child_id": "{jordan_id}",
            "name": "the Eastgate lot",
            "description": "Seen with older youths at the station",
        },
    ),
    ("practitioner", "practitioner_concerns.assess", "POST"): Route("sam", dict(ASSESSMENT)),
    ("practitioner", "practitioner_hub.enquiry", "POST"): Route(
        "hana", {"level": "safer_me_plus", "action": "Strategy discussion today with police"}
    ),
    # practitioner door: MACE (app.mace) and mapping meetings (app.mapping): Hana of the Hub; Sam refers
    ("practitioner", "practitioner_mace.panels", "POST"): Route("hana", {"meets_on": "2027-01-12"}),
    ("practitioner", "practitioner_mace.panel", "POST"): Route("hana", {"referral_id": "{referral_id}"}),
    ("practitioner", "practitioner_mace.outcome", "POST"): Route(
        "hana", {"outcome": "actions_agreed", "notes": "Police to visit the address"}
    ),
    ("practitioner", "practitioner_mace.refer", "POST"): Route("sam", {"why": "Seen at a known trap house"}),
    ("practitioner", "practitioner_mapping.mapping", "POST"): Route(
        "hana", {"held_on": "2027-01-08", "weighting": "high", "reasons": "Recruiting at the park", "conference": "yes"}
    ),
    ("practitioner", "practitioner_mapping.add_member", "POST"): Route(
        "hana", {"child_id": "{jordan_id}", "description": "Older lad called T, about 17"}
    ),
    # practitioner door: context conferences (app.conferences): Priya chairs; Hana of the Hub sets the date
    ("practitioner", "practitioner_conferences.step", "POST"): Route(
        "priya", {"consent": "yes", "attendance": "QAS, police, the school's DSL", "revision": "{conference_revision}"}
    ),
    ("practitioner", "practitioner_conferences.add_action", "POST"): Route(
        "priya", {"domain": "partnerships", "action": "share the map", "owner": "QAS", "due_on": "2027-02-01"}
    ),
    ("practitioner", "practitioner_conferences.plan_times", "POST"): Route(
        "priya", {"plan_started": "14:00", "plan_ended": "14:40"}
    ),
    ("practitioner", "practitioner_conferences.close", "POST"): Route(
        "priya", {"review_on": "{in_thirty_days}", "short_plan_reason": "The fire alarm went off"}
    ),
    ("practitioner", "practitioner_conferences.move_review", "POST"): Route(
        "priya", {"review_on": "{in_thirty_days}", "consent": "yes", "reason": "The chair is ill"}
    ),
    ("practitioner", "practitioner_conferences.schedule", "POST"): Route("hana", {"meets_on": "2027-01-20"}),
    ("practitioner", "practitioner_concerns.decide", "POST"): Route(
        "sam", {"chosen": "hub_enquiry", "reason": "Not open to CSW any more", "based_on": "{concern_assessment}"}
    ),
    # practitioner door: an incident on Jordan's case, keeping the review (app.incidents)
    ("practitioner", "practitioner_incidents.new_incident", "POST"): Route(
        "sam",
        {
            "kind": "missing_episode",
            "occurred_at": "{yesterday_evening}",
            "what_happened": "Missing overnight, found at the station",
            "review": "keep",
            "new_review_date": "",
            "kept_because": "The review is next week",
            "review_revision": "{review_revision}",
            "review_version": "{review_version}",
        },
    ),
    # practitioner door: writing the draft (app.drafting)
    ("practitioner", "practitioner_drafting.start", "POST"): Route("sam"),
    ("practitioner", "practitioner_drafting.add", "POST"): Route(
        "sam",
        {"section": "actions", "who": "Sam", "action": "meet weekly", "aim": "keep in touch", "success": "no gaps"},
    ),
    ("practitioner", "practitioner_drafting.change", "POST"): Route(
        "sam",
        {
            "section": "agency_actions",
            "item_id": "{action_id}",
            "revision": "{action_revision}",
            "agency": "police",
            "kind": "increase_safety",
            "action": "set up the Police Trigger Plan",
            "due_on": "2026-11-02",
        },
    ),
    ("practitioner", "practitioner_drafting.remove", "POST"): Route(
        "sam",
        {"section": "agency_actions", "item_id": "{action_id}", "revision": "{action_revision}", "confirmed": "yes"},
    ),
    ("practitioner", "practitioner_drafting.move", "POST"): Route(
        "sam",
        {"section": "agency_actions", "item_id": "{action_id}", "revision": "{action_revision}", "direction": "up"},
    ),
    ("practitioner", "practitioner_drafting.fields", "POST"): Route(
        "sam",
        {"section": "review", "revision": "1", "review_date": "2026-12-14", "review_trigger": "if he goes missing"},
    ),
    ("practitioner", "practitioner_drafting.idea", "POST"): Route(
        "sam", {"list": "statements", "item_id": "{statement_id}", "revision": "{statement_revision}", "status": "idea"}
    ),
    ("practitioner", "practitioner_meetings.meetings", "POST"): Route(
        "sam",
        {
            "day": "2030-01-14",
            "start": "16:00",
            "place": "Millbrook Academy",
            "meeting_type": "safer_me",
            "is_review": "on",
            "facilitator": "p:{sam_id}",
        },
    ),
    **{
        ("practitioner", f"practitioner_meetings.{endpoint}", "POST"): Route("sam", route.fields)
        for endpoint, route in MEETING_FORMS.items()
    },
    ("practitioner", "practitioner_meetings.who_sees_what", "POST"): Route(
        "sam", {"seen": "", "share-{parent_id}-review": "on", "share-{trusted_adult_id}-safe_word": "on"}
    ),
    # practitioner door: pages that read the query string
    ("practitioner", "practitioner_access.audit_search", "GET"): Route(
        "dana",
        {"child_id": "{jordan_id}", "actor": "practitioner:1", "kind": "read", "page": "1", "per_page": "50"},
        body=QUERY,
    ),
    ("practitioner", "practitioner_agency_actions.page", "GET"): Route(
        "rhys", {"saved": "1", "marked": "1"}, body=QUERY
    ),
    ("practitioner", "practitioner.caseload", "GET"): Route(
        "sam",
        {"role": "allocated_worker", "overdue": "1", "meeting_type": "safer_me", "sort": "meeting", "page": "1"},
        body=QUERY,
    ),
    ("practitioner", "practitioner_admin.account_list", "GET"): Route("dana", {"added": "1"}, body=QUERY),
    ("practitioner", "practitioner_cases.team", "GET"): Route("sam", {"done": "opened"}, body=QUERY),
    ("practitioner", "practitioner_drafting.page", "GET"): Route("sam", {"done": "added"}, body=QUERY),
    ("practitioner", "practitioner_drafting.compare", "GET"): Route("sam", {"from": "1", "to": "2"}, body=QUERY),
    ("practitioner", "practitioner_concerns.concerns", "GET"): Route("sam", {"done": "recorded"}, body=QUERY),
    ("practitioner", "practitioner_concerns.new_concern", "GET"): Route("sam", {"child_id": "{jordan_id}"}, body=QUERY),
    ("practitioner", "practitioner_concerns.concern", "GET"): Route("sam", {"done": "assessed"}, body=QUERY),
    ("practitioner", "practitioner_mace.panel", "GET"): Route("hana", {"done": "listed"}, body=QUERY),
    ("practitioner", "practitioner_mace.referral", "GET"): Route("hana", {"done": "recorded"}, body=QUERY),
    ("practitioner", "practitioner_mapping.mapping", "GET"): Route("hana", {"done": "weighed"}, body=QUERY),
    # Strategic themes: the period (a date "to" no later than the real today, whenever this runs).
    ("practitioner", "practitioner_themes.themes", "GET"): Route(
        "morgan", {"from": "2026-09-01", "to": "2026-11-30"}, body=QUERY
    ),
    ("practitioner", "practitioner_themes.themes_download", "GET"): Route(
        "hana", {"from": "2026-09-01", "to": "2026-11-30"}, body=QUERY
    ),
    ("practitioner", "practitioner_conferences.conference", "GET"): Route("priya", {"done": "closed"}, body=QUERY),
    ("practitioner", "practitioner_conferences.step", "GET"): Route("priya", {"saved": "1"}, body=QUERY),
}

# Who may use each endpoint with an integer in its path (for the path-id walk).
PATH_ID_USERS: dict[str, str] = {
    **{f"family_facilitation.{name}": "trusted_adult" for name in ("meeting", "run", "agreement", "cancel", "live")},
    "practitioner_admin.switch": "dana",
    "practitioner_agency_actions.page": "rhys",
    "practitioner_hub.enquiry": "hana",
    **{f"practitioner_mace.{name}": "hana" for name in ("panel", "referral", "outcome")},
    **{f"practitioner_mapping.{name}": "hana" for name in ("mapping", "add_member")},
    **{
        f"practitioner_conferences.{name}": "priya"
        for name in ("conference", "step", "add_action", "plan_times", "close", "move_review")
    },
    "practitioner_conferences.schedule": "hana",
    "practitioner_agency_actions.done": "rhys",
    "practitioner_agency_actions.add_note": "rhys",
    "family_commitments.comment": "parent",
    "family_commitments.mark_done": "parent",
}


@dataclass
class World:
    """The ids a route's path and fields are filled with, read from the pages that show them."""

    values: dict[str, str]


@pytest.fixture(scope="module")
def _module_connection(demo_database: SeededDatabase) -> Iterator[Connection]:
    """The demo database, in a transaction open for this module's tests (tests/support/shared_world.py)."""
    with module_transaction(demo_database.engine) as connection:
        yield connection


@pytest.fixture
def db(application: SaferPlan, _module_connection: Connection) -> Iterator[Session]:
    """As conftest.py's `db` on the demo, but in a savepoint of the module's transaction: every test
    starts from the demo plus the world, built once for the module, and leaves them as it found them."""
    with savepoint_session(application, _module_connection) as session:
        yield session


@pytest.fixture(scope="module")
def world(application: SaferPlan, _module_connection: Connection, demo_database: SeededDatabase) -> World:
    """Built once per module: every test reads the same rows, and rolls back what it changes."""
    with bound_session(application, _module_connection) as db:
        demo = demo_database.people
        return _build_world(
            application,
            db,
            demo,
            young_person=bad.family_client(application, db, demo.young_person_id),
            parent=bad.family_client(application, db, demo.parent_id),
            allocated_worker=bad.practitioner_client(application, db, demo.social_worker_email),
        )


def _build_world(
    application: SaferPlan,
    db: Session,
    demo: DemoPeople,
    *,
    young_person: CsrfClient,
    parent: CsrfClient,
    allocated_worker: CsrfClient,
) -> World:
    # A phone of Jordan's to remove (no passkey ceremony: the row is what the routes look up).
    phone = Passkey(
        account_kind=AccountKind.FAMILY,
        account_id=demo.young_person_id,
        credential_id=b"jordan-phone-bad-input",
        public_key=b"not-used",
        label="Phone",
    )
    db.add(phone)
    db.commit()
    statement_id, statement_revision = bad.jordans_own_statement(young_person, demo)
    commitment_id, commitment_latest = bad.lisas_commitment(parent, demo)
    place_id, place_revision = bad.add_and_find(young_person, demo, "places", {"name": "the library"})
    contact_id, contact_revision = bad.add_and_find(
        young_person, demo, "contacts", {"name": "Coach Sam", "phone": "07700 900123"}
    )
    rhys = bad.practitioner_client(application, db, demo.agency_partner_email)
    actions = bad.agency_action_forms(rhys.get(f"/children/{demo.jordan_id}/agency-actions").get_data(as_text=True))
    assert actions, "Rhys sees no police action to change"
    token = bad.invitation_token(allocated_worker, demo)
    sam = db.exec(select(Practitioner).where(Practitioner.email == demo.social_worker_email)).one()
    meeting_id, person_id = open_meeting_for_jordan(db, demo, sam)
    sams_token = create_token(
        session=db,
        actor=Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0),
        token=TokenInput(name="Sync", scope=TokenScope.READ, expires_on=today() + timedelta(days=30)),
    )
    concern = concern_about(db, sam.id or 0, demo.jordan_id)
    assessment = assessed(db, sam.id or 0, concern)
    hana = add_hub_worker(db, demo)
    enquiry = enquiry_about_kayla(db, demo, bad.practitioner_id(db, demo.other_worker_email))
    referral = jordan_referred(db, demo, sam.id or 0)
    panel = panel_on(db, bad.practitioner_id(db, HUB_EMAIL))
    mapping = peer_group_mapped(db, sam.id or 0)
    conference = conference_opened(db, sam.id or 0, hana.id or 0, name="the skate park")
    notice = reminder_for(db, sam.id or 0, demo.jordan_id)
    db.commit()
    meeting, person = db.get(Meeting, meeting_id), db.get(MeetingPerson, person_id)
    assert meeting is not None and person is not None
    family_limiter.reset()
    practitioner_limiter.reset()
    values = {
        "child_id": demo.jordan_id,
        "jordan_id": demo.jordan_id,
        "parent_id": demo.parent_id,
        "trusted_adult_id": demo.trusted_adult_id,
        "member_id": demo.parent_id,
        "passkey_id": phone.id or 0,
        "statement_id": statement_id,
        "statement_revision": statement_revision,
        "commitment_id": commitment_id,
        "commitment_latest": commitment_latest,
        "place_id": place_id,
        "place_revision": place_revision,
        "contact_id": contact_id,
        "contact_revision": contact_revision,
        "action_id": actions[0].action_id,
        "action_revision": actions[0].revision,
        "practitioner_id": bad.practitioner_id(db, demo.chair_email),
        "alex_id": bad.practitioner_id(db, demo.other_worker_email),
        # PC Rhys's part in Jordan's case: removable from the case team.
        "assignment_id": db.exec(
            select(CaseAssignment.id).where(
                CaseAssignment.child_id == demo.jordan_id,
                CaseAssignment.practitioner_id == bad.practitioner_id(db, demo.agency_partner_email),
            )
        ).one(),
        "thirteen_years_ago": today().replace(year=today().year - 13, day=1).isoformat(),
        "number": 1,
        "token": token,
        "sam_id": sam.id or 0,
        "meeting_id": meeting_id,
        "meeting_revision": meeting.revision,
        "person_id": person_id,
        "person_revision": person.revision,
        "item": "introductions",
        "token_id": sams_token.token.id or 0,
        "in_thirty_days": (today() + timedelta(days=30)).isoformat(),
        "concern_id": concern.id or 0,
        "concern_assessment": assessment.id or 0,
        "enquiry_id": enquiry.id or 0,
        "referral_id": referral.id or 0,
        "panel_id": panel.id or 0,
        "mapping_id": mapping.id or 0,
        "yesterday_evening": f"{(today() - timedelta(days=1)).isoformat()}T20:00",
        **_review_seen(db, demo.jordan_id),
        "conference_id": conference.id or 0,
        "conference_revision": conference.revision,
        "notice_id": notice.id or 0,
    }
    # An item in each list of Jordan's draft the API writes: "<segment>.item_id" and "<segment>.etag".
    sams = Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)
    for segment, (item_id, etag) in one_in_each_list(db, sams, demo.jordan_id).items():
        values |= {f"{segment}.item_id": item_id, f"{segment}.etag": etag}
    return World(values={name: str(value) for name, value in values.items()})


def _review_seen(db: Session, child_id: int) -> dict[str, int]:
    """The review an incident form states it saw (app.incidents): the plan's revision and agreed version."""
    state = review_state(db, child_id, today())
    assert state is not None, "the demo's Jordan has an agreed plan with a review date"
    return {"review_revision": state.revision, "review_version": state.version_id}


def _routes(app: Flask) -> Iterator[tuple[str, str, str]]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "_dev." in rule.endpoint:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule.rule


def _rule(application: SaferPlan, door: str, endpoint: str, method: str) -> str:
    app: Flask = getattr(application, door)
    rules = [rule for e, m, rule in _routes(app) if e == endpoint and m == method]
    assert len(rules) == 1, (door, endpoint, method, rules)
    return rules[0]


def _fill_path(rule: str, values: dict[str, str], **override: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: {**values, **override}[m.group(1)], rule)


class Walk:
    """Sends one request at a time in a savepoint, signed in afresh as the route's person."""

    def __init__(self, application: SaferPlan, db: Session, demo: DemoPeople, world: World) -> None:
        self.application, self.db, self.demo, self.world = application, db, demo, world
        self.tried = 0
        self.server_errors: list[str] = []
        self._half_signed_in: CsrfClient | None = None

    def _client(self, door: str, who: str) -> CsrfClient:
        application, db, demo = self.application, self.db, self.demo
        if who == "anonymous":
            return make_client(getattr(application, door))
        if who == "half_signed_in":
            assert self._half_signed_in is not None
            return self._half_signed_in
        family = {
            "young_person": demo.young_person_id,
            "parent": demo.parent_id,
            "trusted_adult": demo.trusted_adult_id,
        }
        if who in family:
            return bad.family_client(application, db, family[who])
        emails = {
            "sam": demo.social_worker_email,
            "alex": demo.other_worker_email,
            "rhys": demo.agency_partner_email,
            "morgan": demo.manager_email,
            "dana": demo.admin_email,
            "hana": HUB_EMAIL,
            "priya": demo.chair_email,
        }
        return bad.practitioner_client(application, db, emails[who])

    @contextmanager
    def _rolled_back(self) -> Iterator[None]:
        connection = self.db.connection()
        self.db.commit()  # the test session holds no savepoint of its own across requests
        savepoint = connection.begin_nested()
        try:
            yield
        finally:
            self.db.rollback()
            savepoint.rollback()

    def send(self, door: str, who: str, method: str, path: str, *, what: str, **kwargs: object) -> int:
        family_limiter.reset()
        practitioner_limiter.reset()
        if who == "half_signed_in" and self._half_signed_in is None:
            # Signed in through the real password form, outside the savepoints: the partial
            # session must outlive each request's rollback.
            self._half_signed_in = bad.half_signed_in_practitioner(self.application, self.demo.social_worker_email)
            practitioner_limiter.reset()
        with self._rolled_back():
            client = self._client(door, who)
            response = client.open(path, method=method, **kwargs)  # type: ignore[arg-type]
            status = response.status_code
            response.close()
        self.tried += 1
        if status >= 500:
            self.server_errors.append(f"{status} {door} {method} {path} as {who}: {what}")
        return status


def _shown(value: str) -> str:
    """A corpus value, short enough to read in a failure message."""
    return repr(value) if len(value) <= 40 else f"{value[:12]!r}... ({len(value)} chars)"


def _requests(route: Route, values: dict[str, str], endpoint: str) -> Iterator[tuple[str, dict[str, object]]]:
    """(what was bad, request arguments) for every corpus value in every field the route reads."""
    if route.body == JSON:
        for body in bad.JSON_CORPUS:
            yield f"JSON body {_shown(body)}", {"data": body, "content_type": "application/json"}
        return
    valid = {name.format(**values): value.format(**values) for name, value in route.fields.items()}
    # A route that reads no field still gets the corpus, in a field it should ignore.
    fields = list(valid) or ["unexpected"]
    key = "query_string" if route.body == QUERY else "data"
    for name in fields:
        for value in bad.FIELD_CORPUS:
            yield f"{name}={_shown(value)}", {key: {**valid, name: value}}
            if route.body == FORM and endpoint.startswith("family_"):
                # htmx callers get a part of the page back: its error path is a different template.
                yield f"{name}={_shown(value)} (htmx)", {key: {**valid, name: value}, "headers": {"HX-Request": "true"}}
    if endpoint in ("family_privacy.choose", "family_meetings.who_sees_what", "practitioner_meetings.who_sees_what"):
        # The field names carry the ids here: bad ids and bad sections in the names themselves.
        for value in bad.FIELD_CORPUS:
            yield f"field name share-{_shown(value)}-review", {key: {f"share-{value}-review": "on"}}
            yield f"field name share-<Lisa>-{_shown(value)}", {key: {f"share-{values['parent_id']}-{value}": "on"}}


def _walkable() -> list[tuple[str, str, str]]:
    return sorted(ROUTES)


def test_r29_the_corpus_table_covers_every_post_route_of_both_doors(application: SaferPlan) -> None:
    """A new POST route cannot be silently missed: it must be given a row in ROUTES."""
    posts = {
        (door, endpoint, method)
        for door in ("family", "practitioner")
        for endpoint, method, _rule in _routes(getattr(application, door))
        if method == "POST"
    }
    assert posts, "no POST routes found"
    missing = sorted(posts - set(ROUTES))
    assert not missing, f"POST routes with no row in ROUTES (say which fields they read): {missing}"
    unknown = sorted(key for key in ROUTES if key[1] not in {e for e, _m, _r in _routes(getattr(application, key[0]))})
    assert not unknown, f"rows in ROUTES for endpoints that no longer exist: {unknown}"


@pytest.mark.parametrize(("door", "endpoint", "method"), _walkable(), ids=lambda part: str(part))
def test_r23_r29_no_bad_input_causes_a_server_error(
    application: SaferPlan,
    db: Session,
    demo: DemoPeople,
    world: World,
    figures: object,
    door: str,
    endpoint: str,
    method: str,
) -> None:
    """Issue 14 §2: the whole corpus into every field of this route -> 0 answers >= 500."""
    route = ROUTES[(door, endpoint, method)]
    path = _fill_path(_rule(application, door, endpoint, method), world.values)
    walk = Walk(application, db, demo, world)
    for what, kwargs in _requests(route, world.values, endpoint):
        walk.send(door, route.who, method, path, what=what, **kwargs)
    figures.add("r29.bad_inputs_tried", walk.tried)  # type: ignore[attr-defined]
    figures.add("r29.server_errors", len(walk.server_errors))  # type: ignore[attr-defined]
    assert walk.tried > 0
    assert not walk.server_errors, f"{len(walk.server_errors)} of {walk.tried} bad inputs -> 5xx:\n" + "\n".join(
        walk.server_errors
    )


def _path_id_rules(application: SaferPlan) -> Iterator[tuple[str, str, str, str, list[str]]]:
    for door in ("family", "practitioner"):
        for endpoint, method, rule in _routes(getattr(application, door)):
            int_params = re.findall(r"<int:(\w+)>", rule)
            if int_params:
                yield door, endpoint, method, rule, int_params


def _path_id_user(door: str, endpoint: str, method: str) -> str:
    if endpoint in PATH_ID_USERS:
        return PATH_ID_USERS[endpoint]
    route = ROUTES.get((door, endpoint, method))
    if route is not None and route.who not in ("anonymous", "half_signed_in"):
        return route.who
    return "young_person" if door == "family" else "sam"


def test_r29_path_ids_beyond_the_column_or_in_other_digits_answer_like_a_missing_record(
    application: SaferPlan, db: Session, demo: DemoPeople, world: World, figures: object
) -> None:
    """Issue 14 §2 "ids the database cannot hold" and "/c/<Arabic-Indic 1> opens child 1", on every route with an id
    in its path: 2^63, 10^20-1 and 2^31, and the real id in Arabic-Indic, fullwidth and superscript
    digits, each answered exactly as a missing record (same status, never >= 500)."""
    walk = Walk(application, db, demo, world)
    mismatches: list[str] = []
    rules = list(_path_id_rules(application))
    assert len(rules) > 20
    for door, endpoint, method, rule, params in rules:
        who = _path_id_user(door, endpoint, method)
        route = ROUTES.get((door, endpoint, method))
        kwargs: dict[str, object] = {}
        if route is not None and route.body == JSON:
            kwargs = {"data": "{}", "content_type": "application/json"}
        elif route is not None and method == "POST":
            kwargs = {"data": {n.format(**world.values): v.format(**world.values) for n, v in route.fields.items()}}
        for param in params:
            real = int(world.values[param])
            missing_path = _fill_path(rule, world.values, **{param: bad.MISSING_ID})
            missing = walk.send(door, who, method, missing_path, what="missing record", **kwargs)
            for value in (
                bad.BEYOND_64_BITS,
                bad.WAY_BEYOND_64_BITS,
                bad.BEYOND_32_BITS,
                bad.arabic_indic(real),
                bad.fullwidth(real),
                "\u00b2",
            ):
                path = _fill_path(rule, world.values, **{param: value})
                status = walk.send(door, who, method, path, what=f"{param}={value!r}", **kwargs)
                if status != missing:
                    mismatches.append(
                        f"{door} {method} {path} as {who}: {status}, "
                        f"a missing record gets {missing} ({param}={value!r})"
                    )
    figures.add("r29.bad_inputs_tried", walk.tried)  # type: ignore[attr-defined]
    figures.add("r29.server_errors", len(walk.server_errors))  # type: ignore[attr-defined]
    # A bad id answered >= 500 is also a mismatch (a missing record is never a 5xx); add the missing
    # records that themselves failed.
    problems = mismatches + [error for error in walk.server_errors if error.endswith("missing record")]
    assert not problems, f"{len(problems)} path ids not answered like a missing record:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("young_person", "/c/9223372036854775808"),
        ("young_person", "/c/2147483648"),
        ("allocated_worker", "/children/99999999999999999999"),
        ("allocated_worker", "/children/9223372036854775808"),
        ("allocated_worker", "/children/2147483648"),
    ],
)
def test_r29_the_issues_path_ids_are_a_404_like_a_missing_record(
    request: pytest.FixtureRequest, demo: DemoPeople, who: str, path: str
) -> None:
    """Issue 14 §2: /c/9223372036854775808, /practitioner/children/99999999999999999999 -> 500
    OverflowError; on PostgreSQL any id from 2147483648. Each must be the missing record's 404 page."""
    client: CsrfClient = request.getfixturevalue(who)
    missing = client.get(re.sub(r"\d+$", bad.MISSING_ID, path))
    answer = client.get(path)
    assert missing.status_code == 404
    assert answer.status_code == 404, f"{path}: {answer.status_code}"
    assert bad.visible_text(answer.get_data(as_text=True)) == bad.visible_text(missing.get_data(as_text=True))


@pytest.mark.parametrize("digits", ["arabic_indic", "fullwidth"])
def test_r29_a_path_id_in_non_ascii_digits_does_not_open_the_record(
    young_person: CsrfClient, demo: DemoPeople, digits: str
) -> None:
    """Issue 14 §2: /c/<U+0661> and /c/<U+FF11> open child 1. Jordan's own id in other digits must be a 404 (the
    missing-record page), not his plan; ASCII digits still open it."""
    assert young_person.get(f"/c/{demo.jordan_id}").status_code == 200
    other = getattr(bad, digits)(demo.jordan_id)
    answer = young_person.get(f"/c/{other}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404, f"/c/{other} answered {answer.status_code}"
    assert "Jordan" not in bad.visible_text(page)


# The API door's writes (issue 11): the corpus into every field of the JSON body, whole bad JSON
# bodies, and bad If-Match headers, with Sam's read-and-change token on Jordan's draft. A valid
# body for each (DELETE reads none). Every write route of the API door must be here.
API_WRITES: dict[tuple[str, str], dict[str, object]] = {
    ("api_v1.add_statement", "POST"): {"moment": "everyday", "kind": "can", "text": "ask Coach Marcus for a lift"},
    ("api_v1.change_statement", "PUT"): {"moment": "everyday", "kind": "will", "text": "ask Aunt Dee for a lift"},
    ("api_v1.remove_statement", "DELETE"): {},
    # The draft's other lists (app.api.list_views): each list's sample body, on that list's item.
    ("api_v1.add_draft_action", "POST"): DRAFT_SAMPLES[ListKey.ACTIONS],
    ("api_v1.change_draft_action", "PUT"): DRAFT_SAMPLES[ListKey.ACTIONS],
    ("api_v1.remove_draft_action", "DELETE"): {},
    ("api_v1.add_draft_contact", "POST"): DRAFT_SAMPLES[ListKey.CONTACTS],
    ("api_v1.change_draft_contact", "PUT"): DRAFT_SAMPLES[ListKey.CONTACTS],
    ("api_v1.remove_draft_contact", "DELETE"): {},
    ("api_v1.add_draft_parental_responsibility", "POST"): DRAFT_SAMPLES[ListKey.PARENTAL_RESPONSIBILITY],
    ("api_v1.change_draft_parental_responsibility", "PUT"): DRAFT_SAMPLES[ListKey.PARENTAL_RESPONSIBILITY],
    ("api_v1.remove_draft_parental_responsibility", "DELETE"): {},
    ("api_v1.add_draft_commitment", "POST"): DRAFT_SAMPLES[ListKey.COMMITMENTS],
    ("api_v1.change_draft_commitment", "PUT"): DRAFT_SAMPLES[ListKey.COMMITMENTS],
    ("api_v1.remove_draft_commitment", "DELETE"): {},
    ("api_v1.add_draft_agency_action", "POST"): DRAFT_SAMPLES[ListKey.AGENCY_ACTIONS],
    ("api_v1.change_draft_agency_action", "PUT"): DRAFT_SAMPLES[ListKey.AGENCY_ACTIONS],
    ("api_v1.remove_draft_agency_action", "DELETE"): {},
    ("api_v1.add_draft_network_person", "POST"): DRAFT_SAMPLES[ListKey.NETWORK],
    ("api_v1.change_draft_network_person", "PUT"): DRAFT_SAMPLES[ListKey.NETWORK],
    ("api_v1.remove_draft_network_person", "DELETE"): {},
    ("api_v1.add_draft_place", "POST"): DRAFT_SAMPLES[ListKey.PLACES],
    ("api_v1.change_draft_place", "PUT"): DRAFT_SAMPLES[ListKey.PLACES],
    ("api_v1.remove_draft_place", "DELETE"): {},
    # An incident on Jordan's case, keeping the review ({...}: filled from the world, as in ROUTES).
    ("api_v1.record_incident", "POST"): {
        "kind": "missing_episode",
        "occurred_at": "{yesterday_evening}",
        "what_happened": "Missing overnight, found at the station",
        "review": "keep",
        "kept_because": "The review is next week",
        "review_revision": "{review_revision}",
        "review_version": "{review_version}",
    },
    # Jordan's meeting (open, Dee facilitating; Sam may run it) and a new one (app.api.meeting_views).
    ("api_v1.schedule_meeting", "POST"): {
        "day": "{in_thirty_days}",
        "start": "16:00",
        "place": "Family centre, room 4",
        "meeting_type": "safer_me",
        "is_review": True,
        "facilitator_practitioner_id": "{sam_id}",
    },
    ("api_v1.attendance", "PUT"): {"attendance": "apologies", "update": "Working late"},
    ("api_v1.record_agreement", "POST"): {},
    ("api_v1.agenda_notes", "PUT"): {"text": "Jordan spoke first."},
    ("api_v1.open_meeting", "POST"): {},
    ("api_v1.cancel_meeting", "POST"): {},
    ("api_v1.agree_plan", "POST"): {"review_date": "{in_thirty_days}", "review_trigger": "a missing episode"},
}
# The ETag each meeting write states (the statement's anywhere else): filled from the world.
API_ETAGS = {
    "api_v1.attendance": '"meeting_person.{person_id}.{person_revision}"',
    "api_v1.agenda_notes": '"agenda_{item}.{meeting_id}.0"',
    "api_v1.open_meeting": '"meeting.{meeting_id}.{meeting_revision}"',
    "api_v1.cancel_meeting": '"meeting.{meeting_id}.{meeting_revision}"',
    "api_v1.agree_plan": '"meeting.{meeting_id}.{meeting_revision}"',
}
# Not strings at all, where the body's fields are strings or booleans.
NOT_TEXT: tuple[object, ...] = (None, 1, 1.5, True, [], {}, ["everyday"], {"text": "x"}, 2**64)


def test_r29_the_api_write_table_covers_every_api_write_route(application: SaferPlan) -> None:
    writes = {(endpoint, method) for endpoint, method, _rule in _routes(application.api) if method != "GET"}
    assert writes, "no API write routes found"
    assert writes == set(API_WRITES), f"API write routes and API_WRITES differ: {sorted(writes ^ set(API_WRITES))}"


def _api_requests(body: dict[str, object], etag: str) -> Iterator[tuple[str, dict[str, object]]]:
    """(what was bad, request arguments) for an API write: body fields, whole bodies, If-Match."""
    good = {"If-Match": etag}
    for name in body or {"unexpected": ""}:
        for value in (*bad.FIELD_CORPUS, *NOT_TEXT):
            yield f"{name}={_shown(repr(value))}", {"json": {**body, name: value}, "headers": good}
    for raw in bad.JSON_CORPUS:
        yield f"JSON body {_shown(raw)}", {"data": raw, "content_type": "application/json", "headers": good}
    yield "a form body", {"data": {"text": "x"}, "headers": good}
    yield "bytes not UTF-8", {"data": b"\xff\xfe{", "content_type": "application/json", "headers": good}
    for tag in (
        *bad.FIELD_CORPUS,
        "*",
        'W/"x"',
        '"child_statement.1.99999999999999999999"',
        '"child_statement.99999999999999999999.1"',
        ", ".join([etag] * 500),
        '"' + "x" * 10_000 + '"',
        "\u202e" + etag,
    ):
        yield f"If-Match {_shown(tag)}", {"json": body, "headers": {"If-Match": tag}}


@pytest.mark.parametrize(("endpoint", "method"), sorted(API_WRITES), ids=lambda part: str(part))
def test_r23_r29_no_bad_input_to_an_api_write_causes_a_server_error(
    application: SaferPlan, db: Session, demo: DemoPeople, world: World, figures: object, endpoint: str, method: str
) -> None:
    """Issue 11 + issue 14 §2 on the API door: 0 answers >= 500, and every refusal a problem+json."""
    from app.api.door import api_limiter

    sam = Actor(kind=AccountKind.PRACTITIONER, account_id=int(world.values["sam_id"]))
    token = create_token(
        session=db,
        actor=sam,
        token=TokenInput(name="Writer", scope=TokenScope.READ_WRITE, expires_on=today() + timedelta(days=1)),
    )
    db.commit()
    client = application.api.test_client()
    auth = {"Authorization": f"Bearer {token.raw}"}
    rule = _rule(application, "api", endpoint, method)
    listed = re.search(r"/plan/draft/([a-z-]+)/<int:item_id>", rule)
    if listed:  # one of the draft's other lists: its own item, and that item's ETag
        path = _fill_path(rule, world.values, item_id=world.values[f"{listed.group(1)}.item_id"])
        etag = world.values[f"{listed.group(1)}.etag"]
    elif endpoint in API_ETAGS:
        path = _fill_path(rule, world.values)
        etag = API_ETAGS[endpoint].format(**world.values)
    else:
        path = _fill_path(rule, world.values)
        item = f"/children/{world.values['jordan_id']}/plan/draft/statements/{world.values['statement_id']}"
        etag = client.get(item, headers=auth).headers["ETag"]
    walk = Walk(application, db, demo, world)
    problems: list[str] = []
    body = {
        name: value.format(**world.values) if isinstance(value, str) else value
        for name, value in API_WRITES[(endpoint, method)].items()
    }
    for what, kwargs in _api_requests(body, etag):
        api_limiter.reset()
        headers = {**auth, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        with walk._rolled_back():
            response = client.open(path, method=method, headers=headers, **kwargs)  # type: ignore[arg-type]
            status, mimetype = response.status_code, response.mimetype
            response.close()
        walk.tried += 1
        if status >= 500:
            walk.server_errors.append(f"{status} api {method} {path}: {what}")
        elif status >= 400 and mimetype != "application/problem+json":
            problems.append(f"{status} {mimetype} api {method} {path}: {what}")
    api_limiter.reset()
    figures.add("r29.bad_inputs_tried", walk.tried)  # type: ignore[attr-defined]
    figures.add("r29.server_errors", len(walk.server_errors))  # type: ignore[attr-defined]
    assert walk.tried > 50
    assert not walk.server_errors, "\n".join(walk.server_errors)
    assert not problems, "\n".join(problems)
