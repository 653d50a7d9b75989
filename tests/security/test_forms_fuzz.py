"""R23 on the forms: whatever is typed, the answer is a clear page, never a server error."""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.demo.seed import DemoPeople
from tests.support.clients import CsrfClient

# Any text, including control characters, very long strings and lone surrogates made safe.
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# What R29 is about, made likely rather than left to chance: NUL and other controls, invisible
# characters, bidirectional overrides and isolates, other scripts' digits, all mixed into text,
# and text far beyond any field's limit.
HOSTILE = (
    "\x00\x01\x1f\x7f"  # NUL and other controls
    "\u200b\u200d\ufeff\u00ad"  # zero-width and soft hyphen
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi embeddings, overrides, isolates
    "\u0661\uff11\u00b2"  # digits that are not ASCII digits
)
hostile_text = (
    text
    | st.text(st.sampled_from(HOSTILE), min_size=1, max_size=20)
    | st.lists(text | st.sampled_from(HOSTILE), max_size=12).map("".join)
    | st.builds(lambda piece, n: (piece * n)[:5000], st.text(min_size=1, max_size=5), st.integers(121, 5000))
)


def _box(page: str, name: str) -> str | None:
    """What the page's input called `name` holds, as a browser would read it."""
    found = re.search(rf'<input[^>]*\bname="{name}"[^>]*\bvalue="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else None


def _assert_kept(page: str, typed: dict[str, str]) -> None:
    """Every refusal keeps what was typed (R29): each box holds its words exactly."""
    for name, value in typed.items():
        assert _box(page, name) == value, f"the {name} box lost what was typed"


@fuzz
@given(email=text, password=text)
def test_practitioner_sign_in_form_never_errors(practitioner_client: CsrfClient, email: str, password: str) -> None:
    from app.web.limits import practitioner_limiter

    practitioner_limiter.reset()
    response = practitioner_client.post("/sign-in", data={"email": email, "password": password})
    assert response.status_code in (401, 429)


@fuzz
@given(
    role=hostile_text | st.sampled_from(["young_person", "parent_carer", "trusted_adult"]),
    name=hostile_text,
    relationship=hostile_text,
)
def test_invitation_form_never_errors_and_keeps_what_was_typed(
    allocated_worker: CsrfClient, demo: DemoPeople, role: str, name: str, relationship: str
) -> None:
    response = allocated_worker.post(
        f"/children/{demo.jordan_id}/invitations",
        data={"role": role, "display_name": name, "relationship": relationship},
    )
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        page = response.get_data(as_text=True)
        assert "There is a problem" in page
        _assert_kept(page, {"display_name": name, "relationship": relationship})


@fuzz
@given(body=st.binary(max_size=300))
def test_passkey_endpoints_refuse_garbage_cleanly(family_client: CsrfClient, body: bytes) -> None:
    from app.web.limits import family_limiter

    family_limiter.reset()
    for path in ("/sign-in/verify", "/join/not-a-real-token/verify"):
        response = family_client.post(path, data=body, content_type="application/json")
        assert response.status_code in (400, 404)


@fuzz
@given(child_id=text, reason=text)
def test_break_glass_form_never_errors(
    unallocated_worker: CsrfClient, demo: DemoPeople, child_id: str, reason: str
) -> None:
    response = unallocated_worker.post("/break-glass", data={"child_id": child_id, "reason": reason})
    assert response.status_code in (303, 404, 422)


@fuzz
@given(keys=st.lists(text, max_size=8), member_id=text, section=text, locked=text)
def test_sharing_and_lock_forms_never_error(
    young_person: CsrfClient,
    allocated_worker: CsrfClient,
    demo: DemoPeople,
    keys: list[str],
    member_id: str,
    section: str,
    locked: str,
) -> None:
    chosen = young_person.post(f"/c/{demo.jordan_id}/sharing", data={key: "on" for key in keys})
    assert chosen.status_code == 303
    lock = allocated_worker.post(
        f"/children/{demo.jordan_id}/access/lock", data={"member_id": member_id, "section": section, "locked": locked}
    )
    assert lock.status_code in (303, 422)


@fuzz
@given(action_id=text, revision=text, action=text, due_on=text | st.dates().map(str), repeats=text)
def test_agency_action_form_never_errors(
    application: object,
    db: object,
    demo: DemoPeople,
    action_id: str,
    revision: str,
    action: str,
    due_on: str,
    repeats: str,
) -> None:
    from sqlmodel import select

    from app.auth.models import AccountKind
    from app.people.models import Practitioner
    from tests.support.clients import make_client
    from tests.support.signin import sign_in_as

    partner = db.exec(select(Practitioner).where(Practitioner.email == demo.agency_partner_email)).one()  # type: ignore[attr-defined]
    client = make_client(application.practitioner)  # type: ignore[attr-defined]
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=partner.id or 0)  # type: ignore[arg-type]
    response = client.post(
        f"/children/{demo.jordan_id}/agency-actions",
        data={"action_id": action_id, "revision": revision, "action": action, "due_on": due_on, "repeats": repeats},
    )
    assert response.status_code in (303, 404, 409, 422)


@fuzz
@given(
    moment=text | st.sampled_from(["everyday", "emergency"]),
    kind=text | st.sampled_from(["will", "can"]),
    words=text,
    revision=text,
)
def test_co_writing_forms_never_error(
    young_person: CsrfClient, db: object, demo: DemoPeople, moment: str, kind: str, words: str, revision: str
) -> None:
    from sqlmodel import col, select

    from app.plans.models import ChildStatement

    own = db.exec(  # type: ignore[attr-defined]
        select(ChildStatement)
        .where(ChildStatement.written_by_member_id == demo.young_person_id)
        .order_by(col(ChildStatement.id).desc())
    ).first()
    added = young_person.post(f"/c/{demo.jordan_id}/statements", data={"moment": moment, "kind": kind, "text": words})
    assert added.status_code in (303, 422)
    saved = young_person.post(
        f"/c/{demo.jordan_id}/statements/{own.id}",
        data={"moment": moment, "kind": kind, "text": words, "revision": revision},
    )
    assert saved.status_code in (303, 409, 422)


@fuzz
@given(
    name=text,
    notes=text,
    phone=text | st.from_regex(r"\+?[0-9 ]{7,20}", fullmatch=True),
    relationship=text,
    safety=text | st.sampled_from(["safe", "not_safe", "could_be_safe"]),
    revision=text,
)
def test_co_writing_places_and_contacts_forms_never_error(
    young_person: CsrfClient,
    db: object,
    demo: DemoPeople,
    name: str,
    notes: str,
    phone: str,
    relationship: str,
    safety: str,
    revision: str,
) -> None:
    from sqlmodel import col, select

    from app.plans.models import Place, Safety

    place = young_person.post(f"/c/{demo.jordan_id}/places", data={"name": name, "notes": notes, "safety": safety})
    assert place.status_code in (303, 422)
    contact = young_person.post(
        f"/c/{demo.jordan_id}/contacts", data={"name": name, "phone": phone, "relationship": relationship}
    )
    assert contact.status_code in (303, 422)
    own = db.exec(  # type: ignore[attr-defined]
        select(Place).where(Place.written_by_member_id == demo.young_person_id).order_by(col(Place.id).desc())
    ).first()
    if own is not None:
        assert own.safety == Safety.SAFE  # whatever the form said
        removed = young_person.post(f"/c/{demo.jordan_id}/places/{own.id}/delete", data={"revision": revision})
        assert removed.status_code in (303, 409)


@fuzz
@given(
    email=hostile_text | st.emails(),
    name=hostile_text,
    role=hostile_text | st.sampled_from(["social_worker", "admin"]),
    agency=hostile_text | st.sampled_from(["police", "school"]),
    team=hostile_text,
    password=hostile_text,
)
def test_admin_account_form_never_errors_and_keeps_what_was_typed(
    application: object,
    db: object,
    demo: DemoPeople,
    email: str,
    name: str,
    role: str,
    agency: str,
    team: str,
    password: str,
) -> None:
    from sqlmodel import select

    from app.auth.models import AccountKind
    from app.people.models import Practitioner
    from tests.support.clients import make_client
    from tests.support.signin import sign_in_as

    admin = db.exec(select(Practitioner).where(Practitioner.email == demo.admin_email)).one()  # type: ignore[attr-defined]
    client = make_client(application.practitioner)  # type: ignore[attr-defined]
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=admin.id or 0)  # type: ignore[arg-type]
    response = client.post(
        "/admin/accounts",
        data={"email": email, "display_name": name, "role": role, "agency": agency, "team": team, "password": password},
    )
    assert response.status_code in (303, 422)
    if response.status_code == 422:
        page = response.get_data(as_text=True)
        assert "There is a problem" in page
        _assert_kept(page, {"email": email, "display_name": name, "team": team})
        assert _box(page, "password") is None, "a password is never sent back"
