"""What the meeting agreed, and the new ideas since: the draft compared with the latest agreed version.

The young person sees every idea in their sections and whose words each is; anyone else sees
their own words and what is shared with them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from sqlmodel import Session

from app.actors import Actor
from app.errors import NotFound
from app.people.models import Child, FamilyLink, FamilyMember, FamilyRole
from app.plans.compare import contact_key, place_key, statement_key, unmatched
from app.plans.models import ChildStatement, EmergencyContact, Moment, Place, PlanVersion, Safety, StatementKind
from app.plans.read_model import author_name, family_links, items_of, visible_statements
from app.plans.reading import IDEA_LISTS, PlanReading, read_plan
from app.plans.sections import Section

Row = TypeVar("Row", Place, EmergencyContact)


class Whose(StrEnum):
    """Whose words a statement is, from the reader's point of view."""

    MINE = "mine"
    YOUNG_PERSON = "young_person"  # the young person's, read by someone else
    FAMILY = "family"  # a trusted adult's (or other family member's)
    MEETING = "meeting"  # written up by a practitioner, from the meeting


@dataclass(frozen=True)
class Idea:
    """A statement in the draft (or taken out of it), and whose words it is."""

    statement: ChildStatement
    whose: Whose
    author: str = ""  # a name for YOUNG_PERSON and FAMILY ("Jordan", "Aunt Dee")
    can_change: bool = False  # change its words or move it: the writer's own ideas only
    # Take it out of the draft: one's own ideas, and for the young person any idea not agreed yet.
    can_take_out: bool = False


@dataclass(frozen=True)
class FamilyAddition:
    """A safe place or person to call that a family member added to the draft, and whose it is."""

    item: Place | EmergencyContact
    whose: Whose
    author: str = ""
    can_change: bool = False


@dataclass
class NewIdeas:
    """The draft compared with the latest agreed version, as one family member may see it."""

    child: Child
    draft: PlanVersion
    agreed: PlanVersion | None
    viewer_id: int
    can_write: bool
    # True when the reader is the young person themselves (their ideas read as "mine").
    viewer_is_young_person: bool = False
    ideas: list[Idea] = field(default_factory=list)  # in the draft, not in the agreed version
    taken_out: list[Idea] = field(default_factory=list)  # in the agreed version, not in the draft
    authors: dict[int, tuple[Whose, str]] = field(default_factory=dict)
    young_person_name: str = ""
    # Safe places and people to call added by family since the agreed version (never a not-safe place).
    places: list[FamilyAddition] = field(default_factory=list)
    contacts: list[FamilyAddition] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.ideas or self.places or self.contacts)

    def whose(self, statement: ChildStatement) -> tuple[str, str]:
        """(Whose, name) for any statement the page shows, agreed ones included."""
        author_id = statement.written_by_member_id
        if author_id is not None and author_id == self.viewer_id:
            return Whose.MINE, ""
        if author_id is not None and author_id in self.authors:
            return self.authors[author_id]
        if statement.own_words:
            # The young person's words, written down for them at the meeting.
            return (Whose.MINE, "") if self.viewer_is_young_person else (Whose.YOUNG_PERSON, self.young_person_name)
        return Whose.MEETING, ""

    def grouped(self) -> list[tuple[str, str, list[Idea]]]:
        """Ideas by moment (emergency first, as the plan page is) and starter, in plan order."""
        groups: list[tuple[str, str, list[Idea]]] = []
        for moment in (Moment.EMERGENCY, Moment.EVERYDAY):
            for kind in StatementKind:
                items = [i for i in self.ideas if i.statement.moment == moment and i.statement.kind == kind]
                if items:
                    groups.append((moment.value, kind.value, items))
        return groups

    @property
    def idea_ids(self) -> frozenset[int]:
        return frozenset(i.statement.id for i in self.ideas if i.statement.id is not None)

    def find(self, statement_id: int) -> Idea | None:
        return next((i for i in self.ideas if i.statement.id == statement_id), None)


def family_authors(session: Session, child: Child) -> dict[int, tuple[Whose, str]]:
    """Whose words, by family member id, for everyone linked to the child."""
    return _authors(child, family_links(session, child))


def _authors(child: Child, links: list[tuple[FamilyLink, FamilyMember]]) -> dict[int, tuple[Whose, str]]:
    return {
        link.member_id: (
            Whose.YOUNG_PERSON if link.role == FamilyRole.YOUNG_PERSON else Whose.FAMILY,
            author_name(child, link, member),
        )
        for link, member in links
    }


def new_ideas_since_agreed(*, session: Session, actor: Actor, child_id: int) -> NewIdeas:
    """The statements added to the draft since the latest agreed version, and those taken out.

    A draft starts as a copy of the agreed version, so a draft statement whose words (moment,
    starter and text) match an agreed one is that one; anything left over is new, or was changed.
    Someone other than the young person sees only their own words and the sections shared with them.
    """
    reading = read_plan(session=session, actor=actor, child_id=child_id, permission="plan.read")
    agreed_id = reading.agreed.id if reading.agreed else None
    return new_ideas(reading.load([(agreed_id, IDEA_LISTS), (reading.draft.id, IDEA_LISTS)]), actor)


def new_ideas(reading: PlanReading, actor: Actor) -> NewIdeas:
    """`new_ideas_since_agreed` from a plan read in this request (`read_plan` with "plan.read")."""
    access = reading.access
    if not access.is_family:
        raise NotFound()
    sections = access.sections
    child, draft, agreed = reading.child, reading.draft, reading.agreed
    agreed_id = agreed.id if agreed is not None else None
    new_rows, taken_out_rows = unmatched(
        reading.items(ChildStatement, agreed_id), reading.items(ChildStatement, draft.id), statement_key
    )

    def visible(row: ChildStatement) -> bool:
        if row.written_by_member_id is not None and row.written_by_member_id == actor.account_id:
            return True
        return bool(visible_statements([row], sections))

    can_write = access.holds("statements.cowrite")
    take_out_any = can_write and access.holds("statements.take_out_any")
    result = NewIdeas(
        child=child,
        draft=draft,
        agreed=agreed,
        viewer_id=actor.account_id,
        can_write=can_write,
        viewer_is_young_person=access.is_young_person,
        authors=_authors(child, reading.links),
        young_person_name=child.preferred_name,
    )

    def idea(row: ChildStatement, *, changeable: bool) -> Idea:
        whose, author = result.whose(row)
        mine = row.written_by_member_id is not None and row.written_by_member_id == actor.account_id
        return Idea(
            statement=row,
            whose=Whose(whose),
            author=author,
            can_change=changeable and can_write and mine,
            can_take_out=changeable and can_write and (mine or take_out_any),
        )

    result.ideas = [idea(row, changeable=True) for row in new_rows if visible(row)]
    result.taken_out = [idea(row, changeable=False) for row in taken_out_rows if visible(row)]
    places = [
        p
        for p in _family_added(reading.items(Place, agreed_id), reading.items(Place, draft.id), place_key)
        if p.safety != Safety.NOT_SAFE
    ]
    contacts = _family_added(
        reading.items(EmergencyContact, agreed_id), reading.items(EmergencyContact, draft.id), contact_key
    )

    def addition(row: Place | EmergencyContact) -> FamilyAddition:
        author_id = row.written_by_member_id
        mine = author_id is not None and author_id == actor.account_id
        whose, author = (Whose.MINE, "") if mine else result.authors.get(author_id or 0, (Whose.FAMILY, ""))
        return FamilyAddition(item=row, whose=whose, author=author, can_change=mine and can_write)

    def shown(row: Place | EmergencyContact, section: Section) -> bool:
        return row.written_by_member_id == actor.account_id or access.is_young_person or section in sections

    result.places = [addition(p) for p in places if shown(p, Section.SAFE_NETWORK)]
    result.contacts = [addition(c) for c in contacts if shown(c, Section.EMERGENCY)]
    return result


def statements_since_agreed(
    session: Session, *, draft: PlanVersion, agreed: PlanVersion | None
) -> tuple[list[ChildStatement], list[ChildStatement]]:
    """The draft's statements the agreed version does not have (not agreed yet), and the agreed
    version's statements the draft no longer has (taken out since), matched by their words."""
    return unmatched(
        items_of(session, ChildStatement, agreed.id if agreed is not None else None),
        items_of(session, ChildStatement, draft.id),
        statement_key,
    )


def _family_added(agreed: list[Row], draft: list[Row], key: Callable[[Row], Hashable]) -> list[Row]:
    """Rows of the draft a family member added that the agreed version does not have (matched by content)."""
    added, _removed = unmatched(agreed, draft, key)
    return [row for row in added if row.written_by_member_id is not None]
