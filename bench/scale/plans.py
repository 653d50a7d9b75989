"""The rows of one child's case: the child, their family, a plan agreed once with its draft since.

Every plan has an agreed version 1 and the draft that agreeing made (version 2, the same items,
as app.plans.versions.agree_draft copies them). A typical plan holds 18 items across the eight
lists; `items` says otherwise (10 and 200 for the statements-per-view figures). Sensitive fields
are encrypted with the app's own FieldCipher (R27), once per child: the draft's copy of an item
holds the same ciphertext as the agreed one (decrypting costs the pages the same either way).
All text is fictional (phone numbers in Ofcom's drama range).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.crypto import FieldCipher
from app.people.models import FamilyRole
from app.plans.models import AgencyActionKind, CommitmentKind, MeetingType, Moment, PlanStatus, Safety, StatementKind
from app.plans.versions import DRAFT_TEXT_FIELDS

# The eight lists of a version, in PLAN_ITEM_MODELS' order, and how many of each a typical plan has.
TYPICAL_ITEMS = {
    "plan_action": 2,
    "child_statement": 6,
    "emergency_contact": 2,
    "parental_responsibility": 1,
    "carer_commitment": 1,
    "agency_action": 2,
    "network_person": 2,
    "place": 2,
}
STAMP = ("created_at", "updated_at", "created_by", "updated_by", "revision")
COLUMNS: dict[str, tuple[str, ...]] = {
    "child": (
        *STAMP,
        "id",
        "first_name",
        "last_name",
        "preferred_name",
        "date_of_birth",
        "school",
        "open_to_csw",
        "is_care_leaver",
    ),
    "family_member": ("id", "display_name", "webauthn_user_handle", "created_at", "easy_read"),
    "family_link": (*STAMP, "id", "child_id", "member_id", "role", "relationship"),
    "plan": (*STAMP, "id", "child_id", "meeting_type", "status", "closed_at", "review_on"),
    # A version's own columns, then the text a draft carries into the next one (app.plans.versions).
    "plan_version": (
        *STAMP,
        "id",
        "plan_id",
        "number",
        "agreed_at",
        "review_date",
        "agreed_by",
        "agreed_on",
        "shared_with",
        *DRAFT_TEXT_FIELDS,
    ),
    "plan_action": ("who", "action", "aim", "success"),
    "child_statement": ("moment", "kind", "text", "own_words", "written_by_member_id"),
    "emergency_contact": ("name", "relationship", "phone", "notes"),
    "parental_responsibility": ("name", "relationship", "has_parental_responsibility", "can_make_decisions", "notes"),
    "carer_commitment": ("who", "member_id", "kind", "commitment", "by_when"),
    "agency_action": ("agency", "kind", "action", "due_on", "repeats", "is_police_trigger_plan", "done_by"),
    "network_person": ("name", "relationship", "safety", "involvement"),
    "place": ("name", "address", "safety", "notes", "written_by_member_id"),
}
ITEM_PREFIX = (*STAMP, "id", "version_id", "position")
NAMES = ("Jordan", "Kayla", "Mo", "Tia", "Reece", "Amir", "Ellie", "Kai", "Zara", "Leon", "Maya", "Callum", "Ruby")
SURNAMES = ("Ellis", "Brown", "Ahmed", "Kowalski", "Nguyen", "Hoxha", "Taylor", "Evans", "Begum", "Clarke")
STATEMENTS = (
    "go to football training on Tuesdays",
    "text my aunt if I feel unsafe",
    "stay away from the park after dark",
    "talk to Ms Patel at school",
    "be home by 9pm",
    "call 999 in an emergency",
    "need someone to listen when I am angry",
    "spend Saturdays at the youth club",
)


@dataclass
class Ids:
    """The next id of each table: rows are written with their ids, the sequences set afterwards."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        number = self.next.get(table, 1)
        self.next[table] = number + 1
        return number


@dataclass
class Batch:
    """Rows gathered for COPY, table by table."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows.setdefault(table, []).append(row)

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def _stamp(at: datetime, who: str = "system") -> tuple[Any, ...]:
    return (at, at, who, who, 1)


def _item_values(table: str, n: int, rng: random.Random, parent_id: int, enc: Callable[[str], str]) -> tuple[Any, ...]:
    """One item of `table` (the n-th of its list), its encrypted fields already encrypted."""
    if table == "plan_action":
        return ("Jordan and Sam", f"meet weekly to talk about {rng.choice(STATEMENTS)}", "feel safer", "fewer missing")
    if table == "child_statement":
        moment = Moment.EMERGENCY if n % 3 == 2 else Moment.EVERYDAY
        kind = list(StatementKind)[n % 4]
        return (moment.value, kind.value, f"{rng.choice(STATEMENTS)} ({n})", n % 2 == 0, None)
    if table == "emergency_contact":
        return (
            enc(f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}"),
            "Aunt",
            enc(f"07700 900{rng.randrange(1000):03}"),
            "",
        )
    if table == "parental_responsibility":
        return (enc(f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}"), "Mum", True, True, "")
    if table == "carer_commitment":
        commitment = list(CommitmentKind)[n % 3]
        return ("Mum", parent_id, commitment.value, "check in when they get home", "every evening")
    if table == "agency_action":
        action = list(AgencyActionKind)[n % 2]
        due = date.today() + timedelta(days=rng.randint(-20, 60))
        return ("police", action.value, "visit the park on Friday evenings", due, "", n == 0, "")
    if table == "network_person":
        safety = list(Safety)[n % 3]
        return (
            enc(f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}"),
            "Friend",
            safety.value,
            enc("sees them after school"),
        )
    place_safety = Safety.NOT_SAFE if n % 2 else Safety.SAFE
    return (
        enc(f"{rng.choice(SURNAMES)} Park"),
        enc(f"{rng.randint(1, 99)} High Street"),
        place_safety.value,
        enc("after school"),
        None,
    )


def _counts(items: int | None) -> dict[str, int]:
    if items is None:
        return TYPICAL_ITEMS
    lists = list(TYPICAL_ITEMS)
    return {table: items // len(lists) + (1 if index < items % len(lists) else 0) for index, table in enumerate(lists)}


def add_case(batch: Batch, ids: Ids, child: int, *, open_case: bool, items: int | None, now: datetime) -> None:
    """The child, their young person, parent and trusted adult, their plan with two versions."""
    next_child()
    rng = random.Random(child)  # noqa: S311 - fictional data, the same for a child every build
    enc = FieldCipher.encrypt
    first, last = rng.choice(NAMES), rng.choice(SURNAMES)
    created = now - timedelta(days=rng.randint(30, 3 * 365))
    birth = date(now.year - rng.randint(11, 18), rng.randint(1, 12), rng.randint(1, 28))
    batch.add(
        "child",
        (
            *_stamp(created),
            child,
            enc(first),
            enc(last),
            enc(first),
            birth,
            enc("Millbrook Academy"),
            child % 2 == 0,
            False,
        ),
    )
    member_ids = {}
    for role, name, relationship in (
        (FamilyRole.YOUNG_PERSON, first, ""),
        (FamilyRole.PARENT_CARER, f"{rng.choice(NAMES)} {last}", "Mum"),
        (FamilyRole.TRUSTED_ADULT, rng.choice(NAMES), "Aunt"),
    ):
        member = ids.take("family_member")
        member_ids[role] = member
        batch.add("family_member", (member, enc(name), os.urandom(32), created, False))
        batch.add("family_link", (*_stamp(created), ids.take("family_link"), child, member, role.value, relationship))
    meeting = MeetingType.SAFER_ME_PLUS if child % 4 == 0 else MeetingType.SAFER_ME
    status = PlanStatus.OPEN if open_case else PlanStatus.CLOSED
    closed_at = None if open_case else now - timedelta(days=rng.randint(1, 300))
    agreed_on = (now - timedelta(days=rng.randint(1, 70))).date()
    # Reviews at most 8 weeks after agreement: some already overdue, as on any real caseload.
    review = agreed_on + timedelta(weeks=8)
    # The plan keeps the review date as it stands: version 1's, agreed below (no incident moved it).
    batch.add("plan", (*_stamp(created), child, child, meeting.value, status.value, closed_at, review))
    text = {
        "safe_word": enc("pineapple"),
        "if_missing_take_to": enc("Aunt's house, 12 Elm Road"),
        "contingency_steps": "Call the duty team",
        "contingency_cover": "Aunt covers weekends",
        "review_trigger": "or sooner if a significant incident occurs",
        "review_meanwhile": "Call the duty team",
    }
    for number, agreed in ((1, True), (2, False)):
        version = ids.take("plan_version")
        agreed_at = datetime.combine(agreed_on, datetime.min.time(), now.tzinfo) if agreed else None
        own = (version, child, number, agreed_at, review, "Safer Me meeting", agreed_on if agreed else None, "Family")
        text["summary_of_changes"] = "First plan" if agreed else ""
        batch.add("plan_version", (*_stamp(created), *own, *(text.get(name, "") for name in DRAFT_TEXT_FIELDS)))
        # The same seed for both versions: the draft's items are the agreed ones.
        same = random.Random(child)  # noqa: S311 - fictional data
        _add_items(batch, ids, version, _counts(items), same, member_ids[FamilyRole.PARENT_CARER], enc, created)
        if not agreed and child % 3 == 0:
            _add_family_ideas(batch, ids, version, member_ids[FamilyRole.YOUNG_PERSON], enc, now)


def _add_family_ideas(
    batch: Batch, ids: Ids, version: int, author: int, enc: Callable[[str], str], at: datetime
) -> None:
    """A third of the drafts hold ideas the young person wrote since the meeting, still to decide:
    the work tray's "new family ideas" flag reads (and decrypts) them."""
    who = f"family:{author}"
    batch.add(
        "child_statement",
        (
            *_stamp(at, who),
            ids.take("child_statement"),
            version,
            100,
            Moment.EVERYDAY.value,
            StatementKind.CAN.value,
            "call my cousin Jay when I feel low",
            True,
            author,
        ),
    )
    batch.add(
        "place",
        (*_stamp(at, who), ids.take("place"), version, 100, enc("Grandma's"), None, Safety.SAFE.value, None, author),
    )


def _add_items(
    batch: Batch,
    ids: Ids,
    version: int,
    counts: dict[str, int],
    rng: random.Random,
    parent: int,
    enc: Callable[[str], str],
    at: datetime,
) -> None:
    # The same seed for both versions: the draft's items are the agreed ones (ciphertext included,
    # from the per-child cache: one encryption per value, however many versions hold it).
    for table, count in counts.items():
        for n in range(count):
            values = _item_values(table, n, rng, parent, _cached(enc))
            batch.add(table, (*_stamp(at), ids.take(table), version, n, *values))


_CIPHERS: dict[str, str] = {}


def _cached(enc: Callable[[str], str]) -> Callable[[str], str]:
    """Encrypt each distinct value of the current child once (the agreed version and draft share it)."""

    def encrypt(value: str) -> str:
        found = _CIPHERS.get(value)
        if found is None:
            found = _CIPHERS[value] = enc(value)
        return found

    return encrypt


def next_child() -> None:
    """Forget the previous child's ciphertexts (two children never share one)."""
    _CIPHERS.clear()


def table_columns(table: str) -> tuple[str, ...]:
    return (*ITEM_PREFIX, *COLUMNS[table]) if table in TYPICAL_ITEMS else COLUMNS[table]
