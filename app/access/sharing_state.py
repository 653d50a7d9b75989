"""What the young person's sharing page showed, as a token the form sends back, and what changed since.

The sharing form is one choice over many rows (a box per person and section, most of them not
stored until first changed), so no single row's revision can say what the page was rendered from.
The form carries the state itself instead: for each person on the page, the boxes that were ticked
and the ones a worker had locked. Saving from a state that is no longer the state is a conflict
(R24), and comparing the two says exactly what changed: a choice made on another phone, a worker's
lock, someone who joined or left. The token holds ids and section names only, never plan text, and
it only ever travels in the body of the young person's own form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.inputs import parse_id
from app.plans.sections import Section

# Far more than any family needs (a person is under 200 characters), short of anything abusive.
MAX_TOKEN_LENGTH = 8000
_SECTIONS = r"(?:[a-z_]+(?:,[a-z_]+)*)?"
_PERSON = re.compile(rf"([0-9]{{1,10}}):({_SECTIONS})/({_SECTIONS})")


@dataclass(frozen=True)
class PersonState:
    """One person's row of boxes as the page shows it: ticked, and locked by a worker."""

    ticked: frozenset[Section]
    locked: frozenset[Section]


SharingState = Mapping[int, PersonState]  # by family member id


def token(state: SharingState) -> str:
    """The state as one line, the same for the same state: `7:review,safe_word/emergency;9:/`."""
    return ";".join(
        f"{member_id}:{','.join(sorted(state[member_id].ticked))}/{','.join(sorted(state[member_id].locked))}"
        for member_id in sorted(state)
    )


def _sections(text: str) -> frozenset[Section] | None:
    try:
        return frozenset(Section(name) for name in text.split(",") if name)
    except ValueError:
        return None


def parse_token(text: str) -> SharingState | None:
    """The state a token names, or None for anything that is not a token this page could have made."""
    if len(text) > MAX_TOKEN_LENGTH:
        return None
    state: dict[int, PersonState] = {}
    for part in text.split(";") if text else []:
        found = _PERSON.fullmatch(part)
        member_id = parse_id(found.group(1)) if found else None
        if found is None or member_id is None or member_id in state:
            return None
        ticked, locked = _sections(found.group(2)), _sections(found.group(3))
        if ticked is None or locked is None:
            return None
        state[member_id] = PersonState(ticked=ticked, locked=locked)
    return state


class ChangeKind(StrEnum):
    JOINED = "joined"  # someone new can see the plan
    LEFT = "left"  # someone on the page can no longer see it
    SHARED = "shared"  # chosen on another phone
    UNSHARED = "unshared"
    LOCKED = "locked"  # a worker kept it private
    UNLOCKED = "unlocked"
    UNKNOWN = "unknown"  # the form did not say what it started from in a way we can read


@dataclass(frozen=True)
class Change:
    """One thing that changed since the page was opened, for the conflict page to say."""

    kind: ChangeKind
    member_id: int = 0
    sections: tuple[Section, ...] = ()


def _ordered(sections: frozenset[Section]) -> tuple[Section, ...]:
    return tuple(s for s in Section if s in sections)  # in the order the page lists them


def changes(seen: SharingState | None, now: SharingState) -> tuple[Change, ...]:
    """What differs between the page as it was opened (`seen`) and the choices as they are now."""
    if seen is None:
        return (Change(ChangeKind.UNKNOWN),)
    found: list[Change] = []
    # Someone who left is not named: a token is only as honest as its sender, and the ids in it
    # must never be a way to learn a name (the page that made it named them already).
    found += [Change(ChangeKind.LEFT, member_id) for member_id in sorted(set(seen) - set(now))]
    found += [Change(ChangeKind.JOINED, member_id) for member_id in sorted(set(now) - set(seen))]
    for member_id in sorted(set(seen) & set(now)):
        before, after = seen[member_id], now[member_id]
        relocked = before.locked ^ after.locked  # a lock changes what is ticked too: say it once
        for kind, sections in (
            (ChangeKind.LOCKED, after.locked - before.locked),
            (ChangeKind.UNLOCKED, before.locked - after.locked),
            (ChangeKind.SHARED, after.ticked - before.ticked - relocked),
            (ChangeKind.UNSHARED, before.ticked - after.ticked - relocked),
        ):
            if sections:
                found.append(Change(kind, member_id, _ordered(sections)))
    return tuple(found) or (Change(ChangeKind.UNKNOWN),)
