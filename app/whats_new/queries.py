"""What's new: one agreed version compared with a later one, in the reader's sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from app.plans.compare import statement_key, unmatched
from app.plans.models import ChildStatement, EmergencyContact, Moment, PlanVersion, StatementKind
from app.plans.read_model import items_of, visible_statements
from app.plans.sections import Section


@dataclass(frozen=True)
class ListChange:
    """How one list of statements ("Every day: I can…") changed: how many added and taken out."""

    moment: str
    kind: str
    added: int
    removed: int


@dataclass
class WhatsNew:
    """What changed between the agreed version someone last saw and the latest one.

    Only sections the reader may see are compared, so the summary cannot hint at anything else.
    The safe word is a yes/no ("it changed"): neither word is ever put in the summary.
    """

    since: PlanVersion
    now: PlanVersion
    lists: list[ListChange] = field(default_factory=list)
    # Statements of `now` that are new, so the page can mark them where they stand in the plan.
    new_statement_ids: frozenset[int] = frozenset()
    contacts_added: int = 0
    contacts_removed: int = 0
    contacts_new_number: int = 0
    review_date_moved: bool = False
    # The review date as it stands now (an incident may have brought it forward): what the card says.
    review_on: date | None = None
    safe_word_changed: bool = False
    take_to_changed: bool = False

    @property
    def agreed_again(self) -> bool:
        """A newer version was agreed (not only the review date brought forward)."""
        return self.since.id != self.now.id

    @property
    def is_empty(self) -> bool:
        return not (
            self.lists
            or self.contacts_added
            or self.contacts_removed
            or self.contacts_new_number
            or self.review_date_moved
            or self.safe_word_changed
            or self.take_to_changed
        )


def changes_between(
    *, session: Session, since: PlanVersion, now: PlanVersion, sections: frozenset[Section]
) -> WhatsNew:
    """Compare two agreed versions of one plan, section by section, as `sections` allows.

    Statements are matched by their words (moment, starter and text), as in `new_ideas_since_agreed`:
    a changed sentence counts as one taken out and one added. Contacts are matched by name, so a
    new number for the same person reads as "a new number", not as someone new.
    Callers check access first; this only reads the two versions it is given.
    """
    result = WhatsNew(since=since, now=now)
    old_rows = visible_statements(items_of(session, ChildStatement, since.id), sections)
    new_rows = visible_statements(items_of(session, ChildStatement, now.id), sections)
    added, removed = unmatched(old_rows, new_rows, statement_key)
    result.new_statement_ids = frozenset(s.id for s in added if s.id is not None)
    for moment in (Moment.EMERGENCY, Moment.EVERYDAY):
        for kind in StatementKind:
            n_added = sum(1 for s in added if s.moment == moment and s.kind == kind)
            n_removed = sum(1 for s in removed if s.moment == moment and s.kind == kind)
            if n_added or n_removed:
                result.lists.append(ListChange(moment=moment.value, kind=kind.value, added=n_added, removed=n_removed))
    if Section.EMERGENCY in sections:
        old_contacts = {c.name.strip().casefold(): c.phone for c in items_of(session, EmergencyContact, since.id)}
        new_contacts = {c.name.strip().casefold(): c.phone for c in items_of(session, EmergencyContact, now.id)}
        result.contacts_added = len(new_contacts.keys() - old_contacts.keys())
        result.contacts_removed = len(old_contacts.keys() - new_contacts.keys())
        result.contacts_new_number = sum(
            1 for name in new_contacts.keys() & old_contacts.keys() if new_contacts[name] != old_contacts[name]
        )
        result.take_to_changed = (since.if_missing_take_to or "") != (now.if_missing_take_to or "")
    if Section.SAFE_WORD in sections:
        result.safe_word_changed = (since.safe_word or "") != (now.safe_word or "")
    if Section.REVIEW in sections:
        result.review_date_moved = since.review_date != now.review_date and now.review_date is not None
    result.review_on = now.review_date
    return result
