"""Who sees which part of a plan: the young person's choices and practitioners' safety locks (R4, R6).

The young person's choices and the workers' locks are two separate things on one row: a lock hides
a section whatever was chosen, and taking the lock off brings back exactly what was chosen.

Every write to a child's sharing first takes that child's row lock (`_one_writer_at_a_time`), so the
young person's form is checked against, and written over, the state as it is at that moment: the
check and the write are one step on every database (R24). A form that states the page it was made
from (`seen`, a token from app.access.sharing_state) and finds the choices changed since is refused
with what changed, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator
from sqlmodel import Session, col, select

from app.access import policy
from app.access.models import SectionShare
from app.access.sharing_state import Change, PersonState, SharingState, changes, parse_token, token
from app.actors import Actor
from app.audit.operations import record_change
from app.db import flush_or_conflict
from app.errors import Conflict, ValidationFailed
from app.inputs import Id, Input, parse_id
from app.models_base import stamp
from app.people.models import Child, FamilyLink, FamilyMember, FamilyRole
from app.plans.sections import Section

STALE = "the sharing choices changed since the page was opened"


@dataclass(frozen=True)
class PersonSharing:
    """One person in the young person's life and what they can see now."""

    member_id: int
    name: str
    role: str
    relationship: str
    visible: frozenset[Section]
    locked: frozenset[Section]
    # What the young person can choose to share with them (only a trusted adult can co-write).
    shareable: tuple[Section, ...]


def _other_people(session: Session, child_id: int) -> list[tuple[FamilyLink, FamilyMember]]:
    rows = session.exec(
        select(FamilyLink, FamilyMember)
        .join(FamilyMember, col(FamilyMember.id) == col(FamilyLink.member_id))
        .where(
            FamilyLink.child_id == child_id,
            col(FamilyLink.revoked_at).is_(None),
            FamilyLink.role != FamilyRole.YOUNG_PERSON,
        )
        .order_by(col(FamilyLink.id))
    ).all()
    return [(link, member) for link, member in rows]


def _people(session: Session, child_id: int) -> list[PersonSharing]:
    shares = _shares(session, child_id)
    people = []
    for link, member in _other_people(session, child_id):
        people.append(
            PersonSharing(
                member_id=member.id or 0,
                name=member.display_name,
                role=link.role,
                relationship=link.relationship,
                visible=policy.sections_for(session, link),
                shareable=policy.shareable_sections(link.role),
                locked=frozenset(
                    Section(section) for (mid, section), row in shares.items() if mid == member.id and row.locked
                ),
            )
        )
    return people


def sharing_overview(*, session: Session, actor: Actor, child_id: int) -> list[PersonSharing]:
    """For the young person (and workers on the case): each person and the sections they see."""
    policy.require("sharing.read", session=session, actor=actor, child_id=child_id)
    return _people(session, child_id)


def state_of(people: list[PersonSharing]) -> SharingState:
    """What the sharing page shows of `people`: each one's ticked boxes and locked ones."""
    return {
        p.member_id: PersonState(ticked=p.visible & frozenset(p.shareable), locked=p.locked & frozenset(p.shareable))
        for p in people
    }


def page_token(people: list[PersonSharing]) -> str:
    """The token the sharing form carries: the state it was rendered from."""
    return token(state_of(people))


class SharingChanged(Conflict):
    """The choices changed since the young person's page was opened: nothing was written (R24).

    `changes` says what changed; `chose_for` is who the person made choices for (everyone on the
    page they saved from), so the page shown again keeps their choices and, for someone who joined
    since, what that person sees now.
    """

    def __init__(self, found: tuple[Change, ...], chose_for: frozenset[int]) -> None:
        super().__init__(STALE)
        self.changes = found
        self.chose_for = chose_for


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def holds_parental_responsibility(person: PersonSharing, names: list[str]) -> bool:
    """Whether this parent or carer is named on the plan's parental responsibility list (by name:
    the plan records names, not family links). Only a parent or carer can hold it here."""
    if person.role != FamilyRole.PARENT_CARER:
        return False
    return _name_key(person.name) in {_name_key(name) for name in names}


def _one_writer_at_a_time(session: Session, child_id: int) -> None:
    """Hold the child's row until this request ends, so sharing writes for one child take turns.

    PostgreSQL: `FOR NO KEY UPDATE` makes a second writer wait here, then read what the first one
    committed; it does not block rows that merely refer to the child (the audit rows). SQLite has
    no row locks (SQLAlchemy leaves the clause out); there a writing request's transaction begins
    IMMEDIATE (app.db), which makes all writers take turns.
    """
    session.exec(select(Child.id).where(Child.id == child_id).with_for_update(key_share=True)).first()


def _shares(session: Session, child_id: int) -> dict[tuple[int, str], SectionShare]:
    # populate_existing: rows loaded earlier in the request are read again, as they are now.
    rows = session.exec(
        select(SectionShare).where(SectionShare.child_id == child_id).execution_options(populate_existing=True)
    ).all()
    return {(row.member_id, row.section): row for row in rows}


def _share_row(
    session: Session,
    shares: dict[tuple[int, str], SectionShare],
    link: FamilyLink,
    section: Section,
    actor: Actor,
) -> SectionShare:
    """The stored choice for one person and section, made on first use from what they see by default."""
    row = shares.get((link.member_id, section))
    if row is None:
        # A new row starts as the young person's choice stands now (the default for this person's
        # role), so a worker's lock made on a section never chosen does not change the choice.
        default = section in policy.FAMILY_DEFAULT_SECTIONS.get(link.role, frozenset())
        row = SectionShare(child_id=link.child_id, member_id=link.member_id, section=section, visible=default)
        stamp(row, actor.label, new=True)
        session.add(row)
        shares[(link.member_id, section)] = row
    else:
        stamp(row, actor.label, new=False)
    return row


def choose_sharing(
    *,
    session: Session,
    actor: Actor,
    child_id: int,
    chosen: set[tuple[int, str]],
    seen: str | None = None,
    with_young_person: bool = False,
) -> int:
    """The young person's choices: exactly the (person, section) pairs in `chosen` are shared.

    `seen` is the token of the page the choices were made on (`page_token`): if the choices changed
    since, SharingChanged says what changed and nothing is written. A post without one (not from
    the page: a script, or a page from before tokens) states no starting point and is taken as the
    whole choice. Locked sections stay hidden whatever is chosen. Returns how many choices changed.

    `with_young_person`: chosen at a meeting's agreement, with the young person there (only
    app.meetings.sharing_choice says so, once it has checked the meeting is running); the audit
    says so, and the facilitator may be the one ticking the boxes as the young person says.
    """
    permission = "sharing.choose_with_young_person" if with_young_person else "sharing.choose"
    policy.require(permission, session=session, actor=actor, child_id=child_id)
    _one_writer_at_a_time(session, child_id)
    if seen is not None:
        now = state_of(_people(session, child_id))
        if token(now) != seen:
            stated = parse_token(seen)
            raise SharingChanged(changes(stated, now), frozenset(stated if stated is not None else now))
    shares = _shares(session, child_id)
    changed = 0
    for link, member in _other_people(session, child_id):
        member_id = member.id or 0
        defaults = policy.FAMILY_DEFAULT_SECTIONS.get(link.role, frozenset())
        for section in policy.SHAREABLE_SECTIONS:
            want = (member_id, section.value) in chosen
            row = shares.get((member_id, section))
            current = row.visible if row is not None else section in defaults
            if want == current or (row is not None and row.locked):
                continue
            _share_row(session, shares, link, section, actor).visible = want
            changed += 1
    if changed:
        flush_or_conflict(session, STALE)
        record_change(
            session=session,
            actor=actor,
            child_id=child_id,
            entity="section_share",
            entity_id=None,
            action="chosen_with_young_person" if with_young_person else "chosen",
        )
    return changed


def chosen_from_form(form: Mapping[str, str]) -> tuple[set[tuple[int, str]], set[str]]:
    """The (person, section) pairs a sharing form ticked (`share-<member id>-<section>`), and the
    boxes' names as sent, to tick them again if the page comes back. Sections are checked by the
    caller's input model or by choose_sharing (which only ever looks up the ones it knows)."""
    chosen: set[tuple[int, str]] = set()
    ticked: set[str] = set()
    for key in form:
        member, _sep, section = key.removeprefix("share-").partition("-")
        member_id = parse_id(member)
        if key.startswith("share-") and member_id is not None:
            chosen.add((member_id, section))
            ticked.add(key)
    return chosen, ticked


def _zero_or_one(value: object) -> object:
    """The lock form says locked=1 or locked=0; anything else is refused, never taken as "unlock"."""
    if isinstance(value, bool):
        return value
    if value in ("0", "1"):
        return value == "1"
    raise ValueError("lock or unlock")


class SectionLock(Input):
    """A worker locks (or unlocks) one section for one person: which person, which section, which way."""

    member_id: Id
    section: Section
    locked: Annotated[bool, BeforeValidator(_zero_or_one)]

    messages = {
        "member_id": _l("Choose someone who can see this plan."),
        "section": _l("Choose a section of the plan."),
        "locked": _l("Choose whether to lock or unlock the section."),
    }


def set_lock(*, session: Session, actor: Actor, child_id: int, lock: SectionLock) -> None:
    """A practitioner hides (or stops hiding) one section from one person, for safety.

    The young person's choice is left as it is: unlocking shows the section again exactly when
    they had chosen to share it.
    """
    policy.require("sharing.lock", session=session, actor=actor, child_id=child_id)
    _one_writer_at_a_time(session, child_id)
    link = next((link for link, _member in _other_people(session, child_id) if link.member_id == lock.member_id), None)
    if link is None:
        raise ValidationFailed({"member_id": SectionLock.messages["member_id"]})
    row = _share_row(session, _shares(session, child_id), link, lock.section, actor)
    row.locked = lock.locked
    flush_or_conflict(session, STALE)
    record_change(
        session=session,
        actor=actor,
        child_id=child_id,
        entity="section_share",
        entity_id=row.id,
        action="locked" if lock.locked else "unlocked",
    )
