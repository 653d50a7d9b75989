"""Issue 14, sections 2-4: one test per finding, through the Flask test clients (CSRF on).

Each test names its finding. They were written to fail before the fix; the corpus walk over every
route is tests/test_bad_input.py. Ids are read from pages, not from app internals, so the tests
survive the reorganisation of app/.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from app import SaferPlan, create_app
from app.config import load_settings
from app.db import Database, make_engine
from app.people.models import Agency, Practitioner, PractitionerRole
from app.plans.inputs import AgencyActionInput
from app.plans.models import AgencyActionKind
from app.web.limits import family_limiter, practitioner_limiter
from tests.factories import commitments, people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import PASSWORD, Case
from tests.support import bad_input as bad
from tests.support.clients import CsrfClient, make_client
from tests.support.database import scratch_database

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# "Keep it under 1000 characters", "up to 256 KB"...: a number and what it counts.
A_LIMIT = re.compile(r"\d[\d,.]*\s*(characters|letters|words|KB|kB|MB|kilobytes|megabytes)", re.I)


@dataclass(frozen=True)
class World:
    """Jordan's case (tests/factories) with an agreed plan; PC Hughes on it; Morgan, manager of Sam's
    team; Dana, the admin; and Kay's case, Alex's, in another team."""

    case: Case
    kay: Case
    police: Practitioner
    morgan: Practitioner
    dana: Practitioner

    @property
    def jordan_id(self) -> int:
        return self.case.child_id

    @property
    def kayla_id(self) -> int:
        return self.kay.child_id

    @property
    def young_person_id(self) -> int:
        return self.case.young_person_id

    @property
    def parent_id(self) -> int:
        return self.case.parent_id


@pytest.fixture
def world(db: Session, case: Case) -> World:
    police = people.police_partner(db, case.child)
    plans.agreed_plan(
        db,
        case.child,
        plans.statement("text Mum when I leave school", own_words_of=case.young_person),
        commitments.commitment_input(case.parent, "a weekly plan for evenings with Jordan", by_when="Sundays"),
        AgencyActionInput(
            agency=Agency.POLICE,
            kind=AgencyActionKind.INCREASE_SAFETY,
            action="set up the Police Trigger Plan",
            due_on=date(2026, 11, 2),
        ),
        by=case.worker,
        safe_word="pineapple",
    )
    kay = people.other_case(db)
    plans.plan(db, kay.child, by=kay.worker)
    morgan = people.practitioner(db, name="Morgan Lee", role=PractitionerRole.MANAGER, team=case.worker.team)
    dana = people.practitioner(db, name="Dana Whitfield", role=PractitionerRole.ADMIN, team="Systems")
    return World(case=case, kay=kay, police=police, morgan=morgan, dana=dana)


@pytest.fixture
def manager(world: World, sign_in: SignIn) -> CsrfClient:
    """Morgan Lee, manager of the Adolescent Safety Team (Jordan's team, not Kayla's)."""
    return sign_in(world.morgan)


@pytest.fixture
def agency_partner(world: World, sign_in: SignIn) -> CsrfClient:
    """PC Rhys Hughes, police, an agency partner on Jordan's case."""
    return sign_in(world.police)


@pytest.fixture
def admin(world: World, sign_in: SignIn) -> CsrfClient:
    """Dana Whitfield: manages accounts, reads the audit log, never a plan."""
    return sign_in(world.dana)


@pytest.fixture
def young_person(world: World, as_young_person: CsrfClient) -> CsrfClient:
    """Jordan (requested by name in the parametrised tests below)."""
    return as_young_person


@pytest.fixture
def parent(world: World, as_parent: CsrfClient) -> CsrfClient:
    return as_parent


@pytest.fixture
def allocated_worker(world: World, as_worker: CsrfClient) -> CsrfClient:
    """Sam Okafor, Jordan's allocated social worker."""
    return as_worker


@pytest.fixture
def unallocated_worker(world: World, sign_in: SignIn) -> CsrfClient:
    """Alex Morgan, who works with Kay and has no link to Jordan."""
    return sign_in(world.kay.worker)


def _text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined,no-any-return]


# --- Section 2: server errors ---------------------------------------------------------------------

CEREMONY_ROUTES = ("sign_in", "join", "unlock", "add_device", "practitioner_second_step")


def _ceremony(
    route: str, application: SaferPlan, db: Session, world: World, allocated_worker: CsrfClient
) -> tuple[CsrfClient, str]:
    """A client in the state the route serves (signed out where it is public), and the verify path."""
    if route == "sign_in":
        client = make_client(application.family)
        assert client.get("/sign-in").status_code == 200  # the anonymous page (and its CSRF secret)
        return client, "/sign-in/verify"
    if route == "join":
        token = bad.invitation_token(allocated_worker, world)
        client = make_client(application.family)
        assert client.get(f"/join/{token}").status_code == 200
        return client, f"/join/{token}/verify"
    if route == "unlock":
        return bad.family_client(application, db, world.young_person_id), "/unlock/verify"
    if route == "add_device":
        return bad.family_client(application, db, world.young_person_id), f"/c/{world.jordan_id}/devices/new/verify"
    return bad.half_signed_in_practitioner(application, world.case.worker.email, PASSWORD), "/sign-in/passkey/verify"


@pytest.mark.parametrize("route", CEREMONY_ROUTES)
def test_issue14_nested_json_to_a_passkey_verify_route_is_400_not_500(
    application: SaferPlan, db: Session, world: World, allocated_worker: CsrfClient, route: str
) -> None:
    """§2 "Nested JSON without sign-in": '['*1000 + ']'*1000 (2 KB) with the page's CSRF token to
    /sign-in/verify, /join/<token>/verify, /unlock/verify, /c/<id>/devices/new/verify and
    /practitioner/sign-in/passkey/verify -> 500 RecursionError. Bound the depth: a plain 400."""
    client, path = _ceremony(route, application, db, world, allocated_worker)
    response = client.post(path, data=bad.NESTED_JSON, content_type="application/json")
    assert response.status_code == 400, f"{path}: {response.status_code}"


@pytest.mark.parametrize("body", ['{"response": 1}', "true"])
@pytest.mark.parametrize("route", CEREMONY_ROUTES)
def test_issue14_wrong_shaped_json_to_a_passkey_verify_route_is_400_not_500(
    application: SaferPlan, db: Session, world: World, allocated_worker: CsrfClient, route: str, body: str
) -> None:
    """§2: '{"response": 1}' or 'true' to the passkey verify routes -> 500 TypeError. Validate the shape: 400."""
    client, path = _ceremony(route, application, db, world, allocated_worker)
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400, f"{path} {body}: {response.status_code}"


@pytest.mark.parametrize(
    ("who", "path"),
    [("young_person", "/c/9223372036854775808"), ("allocated_worker", "/children/99999999999999999999")],
)
def test_issue14_an_id_the_database_cannot_hold_is_audited_like_a_missing_record(
    request: pytest.FixtureRequest, db: Session, world: World, admin: CsrfClient, who: str, path: str
) -> None:
    """§2 "Ids the database cannot hold": "Answer the same 404 as a missing record, audited." The
    denial a missing record leaves in the audit log (counted through the admin's audit search) must
    be left by an id beyond 64 bits too."""
    client: CsrfClient = request.getfixturevalue(who)
    account = f"family:{world.young_person_id}" if who == "young_person" else f"practitioner:{world.case.worker.id}"

    def denials() -> int:
        page = admin.get("/audit", query_string={"actor": account, "kind": "denied"})
        assert page.status_code == 200
        found = re.search(r"(\d+) events", _text(page))
        assert found, "the audit search page gives no total"
        return int(found.group(1))

    before = denials()
    assert client.get(re.sub(r"\d+$", bad.MISSING_ID, path)).status_code == 404
    after_missing = denials()
    assert after_missing > before, "a missing record's refusal is audited (the test's own check)"
    answer = client.get(path)
    assert answer.status_code == 404, f"{path}: {answer.status_code}"
    assert denials() - after_missing == after_missing - before, f"{path} was not audited like a missing record"


def test_issue14_superscript_digit_in_latest_is_a_conflict_not_500(parent: CsrfClient, world: World) -> None:
    """§2 "Digits that are not digits": latest=² on POST /c/<id>/commitments/<id>/comment -> 500
    ("²".isdigit() is True, int() fails). A garbled `latest` can never match: a 409 conflict that
    keeps the comment typed."""
    commitment_id, _latest = bad.lisas_commitment(parent, world)
    typed = "I will ask Jordan about Sunday's plan"
    response = parent.post(
        f"/c/{world.jordan_id}/commitments/{commitment_id}/comment", data={"comment": typed, "latest": "\u00b2"}
    )
    assert response.status_code == 409, response.status_code
    assert typed in html.unescape(_text(response))


ADMIN_FORM = {
    "email": "new.person@example.org",
    "display_name": "New Person",
    "role": "social_worker",
    "agency": "childrens_social_work",
    "team": "Adolescent Safety Team (North)",
    "password": "a long enough first password",
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "N" * 121),
        ("display_name", "N" * 300),
        ("display_name", "New\x00Person"),
        ("team", "T" * 121),
        ("team", "Team\x00North"),
    ],
    ids=["name-121", "name-300", "name-nul", "team-121", "team-nul"],
)
def test_issue14_admin_account_name_or_team_too_long_or_with_nul_is_422_with_a_message(
    admin: CsrfClient, field: str, value: str
) -> None:
    """§2 "PostgreSQL only": an account's display name or team over 120 characters, or with a NUL,
    -> 500 on PostgreSQL, while SQLite silently keeps 300 characters. The same on both databases:
    422, a message pointing at the field, and no account made."""
    response = admin.post("/admin/accounts", data={**ADMIN_FORM, field: value})
    assert response.status_code == 422, response.status_code
    page = _text(response)
    assert bad.alerts(page), "no message says what to change"
    assert f'href="#{field}"' in page, f"the message does not point at {field}"
    assert "new.person@example.org" not in bad.visible_text(_text(admin.get("/admin/accounts")).split("<form")[0])


def test_issue14_audit_search_for_an_actor_with_nul_is_not_500(admin: CsrfClient, manager: CsrfClient) -> None:
    """§2 "PostgreSQL only": GET /practitioner/audit?actor=abc%00def -> 500. A clear answer instead."""
    for client in (admin, manager):
        response = client.get("/audit?actor=abc%00def")
        assert response.status_code in (200, 400, 422), response.status_code


# --- Section 3: bad input loses words or says nothing ----------------------------------------------


def _agency_form(agency_partner: CsrfClient, world: World) -> bad.AgencyActionForm:
    forms = bad.agency_action_forms(_text(agency_partner.get(f"/children/{world.jordan_id}/agency-actions")))
    assert forms, "Rhys sees no police action"
    return forms[0]


INVISIBLE_FORMS = ("idea", "place", "contact", "invited_name", "police_action", "account_name")


@pytest.mark.parametrize("form", INVISIBLE_FORMS)
def test_issue14_text_of_only_invisible_characters_is_refused_with_a_message(
    request: pytest.FixtureRequest, world: World, form: str
) -> None:
    """§3: text of only invisible characters (U+200B U+200D U+FEFF) is saved as an idea, place,
    contact, invited name, police action or account name, and shows blank. Refuse it: 422 with a
    message."""
    invisible = bad.INVISIBLE_ONLY
    jordan = world.jordan_id
    if form in ("idea", "place", "contact"):
        client: CsrfClient = request.getfixturevalue("young_person")
        path, data = {
            "idea": (f"/c/{jordan}/statements", {"moment": "everyday", "kind": "can", "text": invisible}),
            "place": (f"/c/{jordan}/places", {"name": invisible}),
            "contact": (f"/c/{jordan}/contacts", {"name": invisible, "phone": "07700 900789"}),
        }[form]
    elif form == "invited_name":
        client = request.getfixturevalue("allocated_worker")
        path = f"/children/{jordan}/invitations"
        data = {"who": "new", "role": "trusted_adult", "display_name": invisible}
    elif form == "police_action":
        client = request.getfixturevalue("agency_partner")
        action = _agency_form(client, world)
        path = f"/children/{jordan}/agency-actions"
        data = {"action_id": str(action.action_id), "revision": str(action.revision), "action": invisible}
        data.update(due_on=action.due_on, repeats=action.repeats)
    else:
        client = request.getfixturevalue("admin")
        path, data = "/admin/accounts", {**ADMIN_FORM, "display_name": invisible}
    response = client.post(path, data=data)
    assert response.status_code == 422, f"{form}: {response.status_code} (saved, and shows blank)"
    assert bad.alerts(_text(response)), f"{form}: refused without saying why"


BIDI_PERSON = "Dee\u202e\u2066 Carter\u2069\u202c"
BIDI_PERSON_STRIPPED = "Dee Carter"


@pytest.mark.parametrize("form", ["place", "contact", "invited_name", "account_name"])
def test_issue14_bidi_overrides_are_stripped_from_names(
    request: pytest.FixtureRequest, world: World, form: str
) -> None:
    """§3 / R29: strip bidi overrides (U+202A-202E, U+2066-2069) from names. The name is kept, without
    them, wherever it is shown next."""
    jordan = world.jordan_id
    if form in ("place", "contact"):
        client: CsrfClient = request.getfixturevalue("young_person")
        name, stripped = bad.BIDI_NAME, bad.BIDI_NAME_STRIPPED
        data = {"name": name} if form == "place" else {"name": name, "phone": "07700 900789"}
        saved = client.post(f"/c/{jordan}/{form}s", data=data)
        assert saved.status_code == 303, saved.status_code
        shown = _text(client.get(f"/c/{jordan}"))
    elif form == "invited_name":
        client = request.getfixturevalue("allocated_worker")
        stripped = BIDI_PERSON_STRIPPED
        saved = client.post(
            f"/children/{jordan}/invitations", data={"who": "new", "role": "trusted_adult", "display_name": BIDI_PERSON}
        )
        assert saved.status_code == 200, saved.status_code
        shown = _text(saved) + _text(client.get(f"/children/{jordan}/invitations"))
    else:
        client = request.getfixturevalue("admin")
        stripped = BIDI_PERSON_STRIPPED
        saved = client.post("/admin/accounts", data={**ADMIN_FORM, "display_name": BIDI_PERSON})
        assert saved.status_code == 303, saved.status_code
        shown = _text(client.get("/admin/accounts"))
    left = sorted({f"U+{ord(c):04X}" for c in shown if c in bad.BIDI_CONTROLS})
    assert not left, f"{form}: bidi controls kept in the name: {left}"
    assert stripped in html.unescape(shown), f"{form}: the name itself was not kept"


def test_issue14_a_too_long_police_action_keeps_the_typed_action_and_by_when(
    agency_partner: CsrfClient, world: World
) -> None:
    """§3: a 1,100-character police action -> 422 "Keep it under 1000 characters." but the box shows
    the saved text, and the typed action and "by when" are gone. Both boxes must show what was typed."""
    action = _agency_form(agency_partner, world)
    typed_action = "Typed by Rhys: " + "patrol the underpass " * 53  # about 1,100 characters
    typed_when = "Friday 5pm, typed by Rhys"  # how often it repeats, in words (issue 8: by/at is a date and words)
    assert len(typed_action.strip()) > 1000
    response = agency_partner.post(
        f"/children/{world.jordan_id}/agency-actions",
        data={
            "action_id": str(action.action_id),
            "revision": str(action.revision),
            "action": typed_action,
            "due_on": action.due_on,
            "repeats": typed_when,
        },
    )
    assert response.status_code == 422, response.status_code
    page = _text(response)
    assert bad.alerts(page), "refused without saying why"
    shown = next(f for f in bad.agency_action_forms(page) if f.action_id == action.action_id)
    assert shown.action.strip() == typed_action.strip(), "the action box lost what was typed"
    assert shown.repeats == typed_when, f"the how-often box shows {shown.repeats!r}, not what was typed"


def test_issue14_a_conflict_on_a_police_action_keeps_by_when(agency_partner: CsrfClient, world: World) -> None:
    """§3: "on a 409 'by when' is lost". Rhys saves from a stale revision: the answer is a conflict
    (nothing overwritten) and the page still holds both the action and the "by when" he typed."""
    action = _agency_form(agency_partner, world)
    path = f"/children/{world.jordan_id}/agency-actions"
    first = agency_partner.post(
        path,
        data={
            "action_id": str(action.action_id),
            "revision": str(action.revision),
            "action": "set up the Police Trigger Plan this week",
            "due_on": "2026-10-30",
        },
    )
    assert first.status_code == 303, first.status_code
    typed_action, typed_when = "Rhys's second words on the trigger plan", "Friday 5pm after school"
    stale = agency_partner.post(
        path,
        data={
            "action_id": str(action.action_id),
            "revision": str(action.revision),
            "action": typed_action,
            "due_on": "2026-10-30",
            "repeats": typed_when,
        },
    )
    assert stale.status_code == 409, stale.status_code
    page = html.unescape(_text(stale))
    assert typed_action in page
    assert typed_when in page, "the 'by when' Rhys typed is gone"


@pytest.mark.parametrize("form", ["idea", "police_action"])
def test_issue14_a_too_large_post_is_413_saying_the_text_is_too_long_and_the_limit(
    request: pytest.FixtureRequest, world: World, form: str
) -> None:
    """§3: 1 MB posts -> 413 with a generic "That didn't work" and the text lost. The 413 page must
    say that the text is too long and how long it may be (a number and a unit: characters, KB...).

    What this test does not require: the form again with the words. A post over the request limit
    (256 KB) is refused before its body is read, and echoing a megabyte back would undo the limit;
    the words are still in the person's browser (Back). Saying what went wrong and what fits is
    what can reasonably be asked of this answer."""
    megabyte = "w" * (1024 * 1024)
    if form == "idea":
        client: CsrfClient = request.getfixturevalue("young_person")
        path = f"/c/{world.jordan_id}/statements"
        data = {"moment": "everyday", "kind": "can", "text": megabyte}
    else:
        client = request.getfixturevalue("agency_partner")
        action = _agency_form(client, world)
        path = f"/children/{world.jordan_id}/agency-actions"
        data = {"action_id": str(action.action_id), "revision": str(action.revision), "action": megabyte}
    response = client.post(path, data=data)
    assert response.status_code == 413, response.status_code
    words = bad.visible_text(_text(response))
    assert "too long" in words.lower(), f"the 413 page does not say the text is too long: {words[:300]!r}"
    assert A_LIMIT.search(words), f"the 413 page does not say how long it may be: {words[:300]!r}"


@pytest.mark.parametrize("tamper", ["member_id_missing", "member_id_text", "member_id_zero", "section"])
def test_issue14_a_tampered_lock_post_is_422_with_a_message(
    allocated_worker: CsrfClient, world: World, tamper: str
) -> None:
    """§3: a tampered /practitioner/children/<id>/access/lock (bad member_id or section) -> a bare 422
    page with no message. The 422 page must say what is wrong (the section, or the person)."""
    data = {"member_id": str(world.parent_id), "section": "review", "locked": "1"}
    if tamper == "member_id_missing":
        data["member_id"] = bad.MISSING_ID
    elif tamper == "member_id_text":
        data["member_id"] = "Lisa"
    elif tamper == "member_id_zero":
        data["member_id"] = "0"
    else:
        data["section"] = "everything_please"
    response = allocated_worker.post(f"/children/{world.jordan_id}/access/lock", data=data)
    assert response.status_code == 422, response.status_code
    messages = bad.alerts(_text(response))
    assert messages, "a bare 422 page: nothing says what is wrong"
    said = " ".join(messages).lower()
    names = ("section", "part") if tamper == "section" else ("person", "someone", "who")
    assert any(name in said for name in names), f"the message does not say what is wrong: {said!r}"


# --- Section 4: access and sessions ----------------------------------------------------------------


def _audit_rows(page: str) -> list[str]:
    """The Record column of each row of the audit search table."""
    return re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", page)


def test_issue14_a_managers_audit_search_does_not_reach_another_teams_child(
    manager: CsrfClient, allocated_worker: CsrfClient, unallocated_worker: CsrfClient, world: World
) -> None:
    """§4 (R2): Morgan (Adolescent Safety Team) GET /practitioner/audit?child_id=<Kayla> lists rows
    about Kayla (Early Help West): who read or changed her record and when. The search must go
    through the same policy as the record: a 404, or a result with no row about Kayla."""
    assert unallocated_worker.get(f"/children/{world.kayla_id}").status_code == 200  # Alex reads Kayla's record
    assert allocated_worker.get(f"/children/{world.jordan_id}").status_code == 200  # Sam reads Jordan's
    # The check can see rows: Morgan's team holds Jordan's case, so his search lists them.
    jordans = manager.get("/audit", query_string={"child_id": str(world.jordan_id)})
    assert jordans.status_code == 200
    assert str(world.jordan_id) in _audit_rows(_text(jordans)), "the audit table could not be read"
    kaylas = manager.get("/audit", query_string={"child_id": str(world.kayla_id)})
    assert manager.get(f"/children/{world.kayla_id}").status_code == 404  # he may not open her record
    if kaylas.status_code == 404:
        return
    assert kaylas.status_code == 200, kaylas.status_code
    rows = _audit_rows(_text(kaylas))
    assert str(world.kayla_id) not in rows, f"Morgan's search lists {rows.count(str(world.kayla_id))} rows about Kayla"


def _review_shown(parent: CsrfClient, world: World) -> bool:
    page = _text(parent.get(f"/c/{world.jordan_id}"))
    return "14 December 2026" in page


def _ticked(young_person: CsrfClient, world: World, member_id: int, section: str) -> bool:
    page = _text(young_person.get(f"/c/{world.jordan_id}/sharing"))
    box = re.search(rf'<input type="checkbox" id="share-{member_id}-{section}"[^>]*>', page, flags=re.S)
    assert box, "no checkbox for that person and section"
    return "checked" in box.group(0)


def test_issue14_locking_then_unlocking_a_section_keeps_the_young_persons_choice(
    young_person: CsrfClient, parent: CsrfClient, allocated_worker: CsrfClient, world: World
) -> None:
    """§4 (R6): Sam locks `review` for Lisa, then unlocks it: Lisa no longer sees the review date and
    Jordan's sharing page shows it unticked. A lock must leave the young person's choice as it was."""
    sharing = _text(young_person.get(f"/c/{world.jordan_id}/sharing"))
    chosen = {
        name: "on"
        for name, attributes in re.findall(r'<input type="checkbox" id="[^"]*" name="([^"]*)"([^>]*)>', sharing)
        if "checked" in attributes and "disabled" not in attributes
    }
    chosen[f"share-{world.parent_id}-review"] = "on"
    assert young_person.post(f"/c/{world.jordan_id}/sharing", data=chosen).status_code == 303  # Jordan chooses
    assert _ticked(young_person, world, world.parent_id, "review")
    assert _review_shown(parent, world), "Lisa sees the review date before any lock"

    lock = {"member_id": str(world.parent_id), "section": "review"}
    locked = allocated_worker.post(f"/children/{world.jordan_id}/access/lock", data={**lock, "locked": "1"})
    assert locked.status_code == 303
    assert not _review_shown(parent, world), "the lock hides the review date from Lisa"
    unlocked = allocated_worker.post(f"/children/{world.jordan_id}/access/lock", data={**lock, "locked": "0"})
    assert unlocked.status_code == 303

    assert _ticked(young_person, world, world.parent_id, "review"), "Jordan's choice is unticked after the unlock"
    assert _review_shown(parent, world), "Lisa no longer sees the review date after the unlock"


def test_issue14_hsts_is_sent_with_production_settings(application: SaferPlan) -> None:
    """§4 (R13): HSTS is never sent, not even in production mode. Both doors, built from production
    settings (https origin), must send Strict-Transport-Security with a max-age of at least a year.
    The rate-limit store is swapped for memory:// so the test needs no Redis; nothing else differs."""
    env = {
        "SAFER_PLAN_ENV": "production",
        "PUBLIC_ORIGIN": "https://plans.example.org",
        "DATABASE_URL": "sqlite://",
        "FAMILY_SECRET_KEY": "f" * 48,
        "PRACTITIONER_SECRET_KEY": "p" * 48,
        # The suite's own keys: the field cipher is process-wide, a fresh key would strand later tests.
        "FIELD_ENCRYPTION_KEYS": ",".join(application.settings.field_encryption_keys),
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "REDIS_URL": "redis://127.0.0.1:6379",
        # Push needs its VAPID pair in production; this test is about headers, so push is off.
        "WEB_PUSH": "off",
    }
    settings = dataclasses.replace(load_settings(env), ratelimit_storage_uri="memory://", redis_url="")
    assert settings.environment == "production"
    production = create_app(settings, Database(make_engine("sqlite://")))
    try:
        for door in (production.family, production.practitioner):
            response = door.test_client().get("/sign-in", base_url="https://plans.example.org")
            assert response.status_code == 200
            hsts = response.headers.get("Strict-Transport-Security", "")
            assert hsts, f"{door.name}: no Strict-Transport-Security header"
            max_age = re.search(r"max-age=(\d+)", hsts)
            assert max_age and int(max_age.group(1)) >= 31_536_000, hsts
    finally:
        production.database.engine.dispose()
        family_limiter.reset()
        practitioner_limiter.reset()


def _dev_links(env: dict[str, str]) -> dict[str, str]:
    """Run `flask --app app setup` (what `make run` runs) and read the printed sign-in links."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "setup"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    links = {}
    for line in done.stdout.splitlines():
        found = re.search(r"http://localhost:5000(/\S*dev/sign-in/\S+)", line)
        if found and "<sam.okafor@example.org>" in line:
            links["practitioner"] = found.group(1).removeprefix("/practitioner")
        elif found and "(young_person)" in line:
            links["family"] = found.group(1)
    assert set(links) == {"family", "practitioner"}, done.stdout[-2000:]
    return links


def test_issue14_development_sign_in_links_are_single_use(application: SaferPlan, tmp_path: Path) -> None:
    """§4: development sign-in links work again after sign-out for 12 hours. Make them single-use:
    use the link (signed in), sign out, use it again -> not signed in. Both doors, with the links
    `make run` prints, on a development app of its own (a scratch database)."""
    problems: list[str] = []
    with scratch_database(tmp_path, "devlinks") as url:
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
        links = _dev_links(env)
        development = create_app(load_settings(env))
        try:
            # Problems are collected, not raised, so the scratch database is always dropped.
            for door_name, link in links.items():
                problems += _use_twice(make_client(getattr(development, door_name)), door_name, link)
        finally:
            development.database.engine.dispose()
            family_limiter.reset()
            practitioner_limiter.reset()
    assert not problems, problems


def _use_twice(client: CsrfClient, door_name: str, link: str) -> list[str]:
    """Use a dev link, sign out, use it again; what went wrong (the test's own checks first)."""
    first = client.get(link)
    if first.status_code != 302 or client.get("/").status_code != 200:
        return [f"{door_name}: the link did not sign in at all ({first.status_code})"]
    if client.post("/sign-out").status_code not in (302, 303) or client.get("/").status_code != 302:
        return [f"{door_name}: sign-out did not sign out"]
    client.get(link)
    if client.get("/").status_code == 200:
        return [f"{door_name}: the same link signed in again after sign-out"]
    return []
