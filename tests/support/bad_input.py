"""Bad input for R23/R29 (issue 14): the corpus, signed-in clients for every role, and ids read from pages.

Everything here goes through HTTP where it can: ids of ideas, places, commitments and agency
actions are read from the pages that link to them, so the tests keep working while `app/` is
reorganised (only the modules tests/conftest.py already imports are used).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session, select

from app import SaferPlan
from app.auth.models import AccountKind
from app.demo.seed import DEMO_PASSWORD
from app.people.models import Practitioner
from tests.support.clients import CsrfClient, make_client
from tests.support.signin import sign_in_as


class OnJordansCase(Protocol):
    """What the page helpers below need of a world: Jordan's record number (the demo's
    DemoPeople has it; a test's own world built with tests/factories may have it too)."""

    @property
    def jordan_id(self) -> int: ...


# --- The corpus --------------------------------------------------------------------------------

OVERSIZED = "x" * 10_000
WITH_NUL = "Aunt\x00Dee"
INVISIBLE_ONLY = "\u200b\u200d\ufeff"
# Every bidi embedding, override and isolate (U+202A-202E, U+2066-2069), around a readable name.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_NAME = "Safe\u202e\u2066 house\u2069\u202c"
BIDI_NAME_STRIPPED = "Safe house"

# Bad text for every field (ids included: a name field must survive an id, an id field text).
TEXT_CORPUS: tuple[str, ...] = (
    OVERSIZED,
    WITH_NUL,
    "\x00",
    INVISIBLE_ONLY,
    BIDI_NAME,
    BIDI_CONTROLS,
)
# Ids no database column can hold, or digits that are not ASCII digits.
BEYOND_64_BITS = "9223372036854775808"
WAY_BEYOND_64_BITS = "99999999999999999999"
BEYOND_32_BITS = "2147483648"
ID_CORPUS: tuple[str, ...] = (
    "\u0661",  # ARABIC-INDIC DIGIT ONE
    "\uff11",  # FULLWIDTH DIGIT ONE
    "\u00b2",  # SUPERSCRIPT TWO: "²".isdigit() is True, int("²") fails
    BEYOND_64_BITS,
    WAY_BEYOND_64_BITS,
    BEYOND_32_BITS,
    "-1",
)
FIELD_CORPUS: tuple[str, ...] = TEXT_CORPUS + ID_CORPUS

# JSON bodies for the passkey routes: too deep, and the wrong shape.
NESTED_JSON = "[" * 1000 + "]" * 1000
JSON_CORPUS: tuple[str, ...] = (
    NESTED_JSON,
    '{"a":' * 1000 + "1" + "}" * 1000,
    '{"response": 1}',
    "true",
    '{"response": "attestationObject"}',
    '{"id": 1, "rawId": [], "type": null, "response": {"clientDataJSON": 5, "authenticatorData": [1]}}',
    '{"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {"clientDataJSON": "\\u0000", '
    '"attestationObject": {"x": 1}, "userHandle": 7}}',
    '"' + "x" * 10_000 + '"',
    "{",
)

# A missing record's id that every column can hold (int32).
MISSING_ID = "999999999"


def arabic_indic(number: int) -> str:
    """`number` written in Arabic-Indic digits (U+0660-0669)."""
    return str(number).translate({ord(d): 0x0660 + int(d) for d in "0123456789"})


def fullwidth(number: int) -> str:
    """`number` written in fullwidth digits (U+FF10-FF19)."""
    return str(number).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})


# --- Who is signed in ----------------------------------------------------------------------------


def practitioner_id(db: Session, email: str) -> int:
    practitioner = db.exec(select(Practitioner).where(Practitioner.email == email)).one()
    return practitioner.id or 0


def practitioner_client(application: SaferPlan, db: Session, email: str) -> CsrfClient:
    """A practitioner fully signed in (password and passkey done)."""
    client = make_client(application.practitioner)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=practitioner_id(db, email))
    return client


def family_client(application: SaferPlan, db: Session, member_id: int) -> CsrfClient:
    client = make_client(application.family)
    sign_in_as(client, session=db, account_kind=AccountKind.FAMILY, account_id=member_id)
    return client


def half_signed_in_practitioner(application: SaferPlan, email: str, password: str = DEMO_PASSWORD) -> CsrfClient:
    """A practitioner who has given the password (through the real form) but not yet the passkey."""
    client = make_client(application.practitioner)
    response = client.post("/sign-in", data={"email": email, "password": password})
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"].endswith("/sign-in/passkey")
    return client


# --- Ids read from pages -------------------------------------------------------------------------


def _ids(page: str, pattern: str) -> list[int]:
    return [int(found) for found in re.findall(pattern, page)]


def jordans_own_statement(young_person: CsrfClient, demo: OnJordansCase) -> tuple[int, int]:
    """An idea Jordan wrote himself and may change, and its revision (from its edit form)."""
    page = young_person.get(f"/c/{demo.jordan_id}").get_data(as_text=True)
    ids = _ids(page, rf"/c/{demo.jordan_id}/statements/(\d+)/edit")
    assert ids, "Jordan's plan page links to no idea he can change"
    statement_id = ids[0]
    form = young_person.get(f"/c/{demo.jordan_id}/statements/{statement_id}/edit").get_data(as_text=True)
    return statement_id, revision_in(form)


def lisas_commitment(parent: CsrfClient, demo: OnJordansCase) -> tuple[int, str]:
    """One of Lisa's commitments and the `latest` value its comment form carries."""
    page = parent.get(f"/c/{demo.jordan_id}").get_data(as_text=True)
    ids = _ids(page, rf"/c/{demo.jordan_id}/commitments/(\d+)/comment")
    assert ids, "Lisa's plan page has no comment form"
    latest = re.search(r'name="latest" value="([^"]*)"', page)
    return ids[0], latest.group(1) if latest else ""


def add_and_find(young_person: CsrfClient, demo: OnJordansCase, kind: str, data: dict[str, str]) -> tuple[int, int]:
    """Jordan adds a place or contact (kind "places"/"contacts"); its id and revision from the page."""
    added = young_person.post(f"/c/{demo.jordan_id}/{kind}", data=data)
    assert added.status_code == 303, added.status_code
    page = young_person.get(f"/c/{demo.jordan_id}").get_data(as_text=True)
    ids = _ids(page, rf"/c/{demo.jordan_id}/{kind}/(\d+)/delete")
    assert ids, f"no {kind} Jordan can take out"
    item_id = max(ids)
    confirm = young_person.get(f"/c/{demo.jordan_id}/{kind}/{item_id}/delete").get_data(as_text=True)
    return item_id, revision_in(confirm)


def revision_in(page: str) -> int:
    found = re.search(r'name="revision" value="(\d+)"', page)
    assert found, "no revision in the form"
    return int(found.group(1))


@dataclass(frozen=True)
class AgencyActionForm:
    action_id: int
    revision: int
    action: str
    due_on: str  # the date box, as the browser sends it (2026-11-02)
    repeats: str


def agency_action_forms(page: str) -> list[AgencyActionForm]:
    """The action forms on an agency partner's page, with what each box shows."""
    forms = []
    for block in re.findall(r'<form class="card".*?</form>', page, flags=re.S):
        action_id = re.search(r'name="action_id" value="(\d+)"', block)
        revision = re.search(r'name="revision" value="(\d+)"', block)
        action = re.search(r'<textarea[^>]*name="action"[^>]*>(.*?)</textarea>', block, flags=re.S)
        due_on = re.search(r'<input[^>]*name="due_on"[^>]*value="([^"]*)"', block)
        repeats = re.search(r'<input[^>]*name="repeats"[^>]*value="([^"]*)"', block)
        if action_id and revision:
            forms.append(
                AgencyActionForm(
                    action_id=int(action_id.group(1)),
                    revision=int(revision.group(1)),
                    action=html.unescape(action.group(1)) if action else "",
                    due_on=html.unescape(due_on.group(1)) if due_on else "",
                    repeats=html.unescape(repeats.group(1)) if repeats else "",
                )
            )
    return forms


def invitation_token(sam: CsrfClient, demo: OnJordansCase) -> str:
    """A real, unused invitation token, made through Sam's invitation form."""
    made = sam.post(
        f"/children/{demo.jordan_id}/invitations",
        data={"who": "new", "role": "trusted_adult", "display_name": "Coach Marcus", "relationship": "Coach"},
    )
    assert made.status_code == 200, made.status_code
    found = re.search(r"/join/([A-Za-z0-9_\-]+)", made.get_data(as_text=True))
    assert found, "no invitation link on the page"
    return found.group(1)


def visible_text(page: str) -> str:
    """The page's words, without tags, scripts or attribute values."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def alerts(page: str) -> list[str]:
    """The words of every error summary (role="alert") and field error on the page."""
    found = re.findall(r'<(\w+)[^>]*role="alert"[^>]*>(.*?)</\1>', page, flags=re.S)
    messages = [visible_text(body) for _tag, body in found]
    messages += [visible_text(body) for body in re.findall(r'<p class="field-error"[^>]*>(.*?)</p>', page, flags=re.S)]
    return [message for message in messages if message]
