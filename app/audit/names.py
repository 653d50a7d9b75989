"""Who an audit row is about, by name: shared by "who looked at my plan" and the audit search.

The log keeps labels (`practitioner:3`, `family:7`) and record numbers, never names, so a name
changed or removed later is not copied into an append-only table. This module turns labels back
into people for the page being shown; whether the reader may see a name is the caller's question
(the policy's answer), not this module's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.actors import SYSTEM
from app.auth.models import AccountKind
from app.inputs import parse_id
from app.people.models import Child, FamilyLink, FamilyMember, Practitioner


@dataclass(frozen=True)
class Person:
    """The account behind an audit label. `name` is "" for the system or an account that is gone."""

    label: str
    kind: str  # an AccountKind value, or "" for a label that names no kind of account
    account_id: int | None
    name: str = ""
    role: str = ""  # a practitioner's PractitionerRole; a family member's role depends on the child

    @property
    def is_system(self) -> bool:
        return self.label == SYSTEM.label

    @property
    def is_practitioner(self) -> bool:
        return self.kind == AccountKind.PRACTITIONER

    @property
    def is_family(self) -> bool:
        return self.kind == AccountKind.FAMILY


def _parse(label: str) -> Person:
    kind, _, raw_id = label.partition(":")
    account_id = parse_id(raw_id)
    if account_id is None or kind not in {k.value for k in AccountKind}:
        return Person(label=label, kind="", account_id=None)
    return Person(label=label, kind=kind, account_id=account_id)


def people(session: Session, labels: Iterable[str]) -> dict[str, Person]:
    """Each label's person, with names and practitioners' roles read in two queries."""
    parsed = {label: _parse(label) for label in set(labels)}
    ids = {kind: {p.account_id for p in parsed.values() if p.kind == kind} for kind in AccountKind}
    practitioners = {
        p.id: p
        for p in session.exec(select(Practitioner).where(col(Practitioner.id).in_(ids[AccountKind.PRACTITIONER]))).all()
    }
    members = {
        m.id: m
        for m in session.exec(select(FamilyMember).where(col(FamilyMember.id).in_(ids[AccountKind.FAMILY]))).all()
    }
    found: dict[str, Person] = {}
    for label, person in parsed.items():
        if person.is_practitioner and person.account_id in practitioners:
            practitioner = practitioners[person.account_id]
            found[label] = Person(label, person.kind, person.account_id, practitioner.display_name, practitioner.role)
        elif person.is_family and person.account_id in members:
            found[label] = Person(label, person.kind, person.account_id, members[person.account_id].display_name)
        else:
            found[label] = person
    return found


def family_roles(session: Session, member_ids: Iterable[int], child_ids: Iterable[int]) -> dict[tuple[int, int], str]:
    """(member id, child id) -> the member's FamilyRole for that child. Ended links count: a row
    written while Lisa was Jordan's parent or carer still says so after her access ends."""
    members, children = set(member_ids), set(child_ids)
    if not members or not children:
        return {}
    links = session.exec(
        select(FamilyLink).where(col(FamilyLink.member_id).in_(members), col(FamilyLink.child_id).in_(children))
    ).all()
    return {(link.member_id, link.child_id): link.role for link in links}


@dataclass(frozen=True)
class ChildName:
    known_as: str  # the name they like to be called: "Jordan" (in sentences)
    full: str  # "Jordan Ellis" (in a list to choose from)


def child_names(session: Session, child_ids: Iterable[int]) -> dict[int, ChildName]:
    """Each child's name, for readers the policy lets read that child (the caller asks it)."""
    ids = set(child_ids)
    if not ids:
        return {}
    return {
        child.id: ChildName(child.preferred_name, f"{child.preferred_name} {child.last_name}".strip())
        for child in session.exec(select(Child).where(col(Child.id).in_(ids))).all()
        if child.id is not None
    }
