"""Break glass (R3): read-only emergency access to a child a practitioner is not linked to.

The practitioner finds the child by name and date of birth (no internal record number), chooses
one of a handful of matches, and writes why. The grant lasts a short time, and every use is
audited with its id. Every search is audited too: who, when and how many were found, never the
words searched for (a name and a date of birth are personal data).

Names are encrypted at rest (app.crypto), so no SQL can compare them. The date of birth is not:
the database narrows to the children born that day (a handful, even in a large authority; capped
at MAX_CANDIDATES), and their names are decrypted and compared here, word by word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError
from sqlmodel import Session, col, select

from app.access import policy
from app.access.models import BreakGlassGrant
from app.actors import Actor
from app.audit.operations import record_access, record_change
from app.errors import ValidationFailed
from app.inputs import Day, Id, Input, Words
from app.people.models import Child
from app.timeutil import today, utcnow

GRANT_LIFETIME = timedelta(minutes=60)
MIN_REASON_LENGTH = 20
MAX_REASON_LENGTH = 1000
MAX_SEARCH_NAME_LENGTH = 120
# At most this many young people are listed: enough to tell apart two with one name, too few to browse.
MAX_MATCHES = 5
# Children born on one day that are read and decrypted for one search, at most (far above any real
# caseload): the search stays bounded however the database grows.
MAX_CANDIDATES = 500
OPEN = "break_glass.open"
# The audit action for a search (the permission it needs is OPEN).
SEARCH = "break_glass.search"


def _long_enough(reason: str) -> str:
    if len(reason) < MIN_REASON_LENGTH:
        raise ValueError("too short")
    return reason


# Day, month and year as people in England write them: 9/5/2012, 09-05-2012, 09.05.2012.
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})[/.\- ]([0-9]{1,2})[/.\- ]([0-9]{4})")


def _day_month_year(value: object) -> object:
    """A date written day first becomes a date; anything else goes on to `Day` (which takes 2012-05-09)."""
    written = _DAY_MONTH_YEAR.fullmatch(value.strip()) if isinstance(value, str) else None
    if written is None:
        return value
    day, month, year = (int(part) for part in written.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise PydanticCustomError("bad_date", "bad_date") from None


_SEARCH_MESSAGES = {
    "name": {"blank": _l("Enter the young person's name.")},
    "date_of_birth": _l("Enter their date of birth as day, month and year, like 09/05/2012."),
}


class BreakGlassSearch(Input):
    """Who to look for: a name (any of first, last or preferred names) and a date of birth."""

    name: Annotated[str, Words(MAX_SEARCH_NAME_LENGTH, name=True)]
    date_of_birth: Annotated[Day, BeforeValidator(_day_month_year)]

    messages = _SEARCH_MESSAGES


class BreakGlassRequest(BreakGlassSearch):
    """The search again, the young person chosen from its matches, and why access is needed now."""

    child_id: Id
    reason: Annotated[str, Words(MAX_REASON_LENGTH), AfterValidator(_long_enough)]

    messages = {
        **_SEARCH_MESSAGES,
        "child_id": _l("Choose the young person."),
        "reason": {
            "blank": _l("Say why you need access now (at least %(n)s characters).", n=MIN_REASON_LENGTH),
            "value_error": _l("Say why you need access now (at least %(n)s characters).", n=MIN_REASON_LENGTH),
        },
    }


@dataclass(frozen=True)
class Match:
    """A young person a search found: their name, date of birth and age, nothing else of their record."""

    child_id: int
    name: str
    date_of_birth: date
    age: int


_APOSTROPHES = re.compile(r"['\u2019`]")  # straight and typographic apostrophes (O'Neil)
_NOT_A_LETTER = re.compile(r"[^\w]+")


def _name_words(*names: str) -> set[str]:
    """Words of a name, compared without case or accents ("Zoë O'Neil" has "zoe" and "oneil")."""
    words: set[str] = set()
    for name in names:
        plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
        words.update(w for w in _NOT_A_LETTER.split(_APOSTROPHES.sub("", plain.casefold())) if w)
    return words


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _matches(session: Session, search: BreakGlassSearch) -> list[Match]:
    """Children born on that day every word of whose name was typed, at most MAX_MATCHES + 1."""
    wanted = _name_words(search.name)
    born_that_day = session.exec(
        select(Child).where(Child.date_of_birth == search.date_of_birth).order_by(col(Child.id)).limit(MAX_CANDIDATES)
    ).all()
    now = today()
    found: list[Match] = []
    for child in born_that_day:
        if wanted and wanted <= _name_words(child.first_name, child.last_name, child.preferred_name):
            found.append(
                Match(
                    child_id=child.id or 0,
                    name=f"{child.first_name} {child.last_name}",
                    date_of_birth=search.date_of_birth,
                    age=_age(search.date_of_birth, now),
                )
            )
            if len(found) > MAX_MATCHES:
                break  # enough to say "too many": the rest are not read
    return found


@dataclass(frozen=True)
class Found:
    """What a search found: the matches to choose from, or that too many match to list any."""

    matches: list[Match]
    too_many: bool = False


def _found(session: Session, actor: Actor, search: BreakGlassSearch) -> Found:
    if not policy.holds(OPEN, session=session, actor=actor):
        policy.require(OPEN, session=session, actor=actor)  # audits the refusal, then "not found"
    matches = _matches(session, search)
    if len(matches) > MAX_MATCHES:
        return Found(matches=[], too_many=True)
    return Found(matches=matches)


def may_open(*, session: Session, actor: Actor) -> None:
    """NotFound (audited) unless the actor may use break glass at all: the form asks before it shows."""
    policy.require(OPEN, session=session, actor=actor)


def find_children(*, session: Session, actor: Actor, search: BreakGlassSearch) -> Found:
    """Young people matching a name and date of birth (none listed when more than MAX_MATCHES match).

    Audited once: who searched, when, and how many were found; never the name or date searched for.
    """
    found = _found(session, actor, search)
    count = MAX_MATCHES + 1 if found.too_many else len(found.matches)
    record_access(session=session, actor=actor, child_id=None, permission=SEARCH, allowed=True, detail=f"found:{count}")
    return found


def found_again(*, session: Session, actor: Actor, search: BreakGlassSearch) -> Found:
    """What the practitioner's search found, to show it again beside a refusal (not a new search)."""
    return _found(session, actor, search)


def open_break_glass(*, session: Session, actor: Actor, request: BreakGlassRequest) -> BreakGlassGrant:
    """Grant the actor an hour's read-only access to a child their search found, for a stated reason."""
    practitioner = policy.require(OPEN, session=session, actor=actor).practitioner
    found = _found(session, actor, request)
    if practitioner is None or request.child_id not in {match.child_id for match in found.matches}:
        # Only a young person the search found (no opening records by number), and every other
        # field was already checked: this is the one thing left to change.
        raise ValidationFailed({"child_id": _l("Choose one of the young people found.")})
    now = utcnow()
    grant = BreakGlassGrant(
        practitioner_id=practitioner.id or 0,
        child_id=request.child_id,
        reason=request.reason,
        granted_at=now,
        expires_at=now + GRANT_LIFETIME,
    )
    session.add(grant)
    session.flush()
    record_change(
        session=session,
        actor=actor,
        child_id=request.child_id,
        entity="break_glass_grant",
        entity_id=grant.id,
        action="break_glass",
    )
    return grant
