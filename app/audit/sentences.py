"""The audit log in the reader's words: "Sam Okafor, social worker, opened Jordan's full plan".

Two dictionaries, every sentence through Babel: reads and refusals by permission name, changes by
what changed (the table) and how (the verb). A row no one has described yet (a permission or
table added later) still reads as a sentence with its code in quotes, rather than failing.

Names appear only where the search says the reader may see them (`AuditLine.named`): otherwise
a family member is "Family account 7" and a child is "the young person", beside the record number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit.models import AuditKind
from app.demo.dev_links import DEV_LINK_USE
from app.people.models import FamilyRole, PractitionerRole

if TYPE_CHECKING:
    from app.audit.names import ChildName, Person
    from app.audit.queries import AuditLine

# A person's role inside a sentence ("Sam Okafor, social worker, ..."): lower case, unlike the
# labels of app.web.labels, which start a line or a heading.
PRACTITIONER_ROLE_WORDS: dict[str, Any] = {
    PractitionerRole.SOCIAL_WORKER: _l("social worker"),
    PractitionerRole.LEAD_PROFESSIONAL: _l("lead professional"),
    PractitionerRole.INDEPENDENT_CHAIR: _l("independent chair"),
    PractitionerRole.MANAGER: _l("manager"),
    PractitionerRole.AGENCY_PARTNER: _l("agency partner"),
    PractitionerRole.ADMIN: _l("administrator"),
}
FAMILY_ROLE_WORDS: dict[str, Any] = {
    FamilyRole.YOUNG_PERSON: _l("young person"),
    FamilyRole.PARENT_CARER: _l("parent or carer"),
    FamilyRole.TRUSTED_ADULT: _l("trusted adult"),
}

# Reads and uses by permission name: (allowed, refused).
PERMISSION_WORDS: dict[str, tuple[Any, Any]] = {
    "plan.read": (
        _l("%(who)s opened %(whose)s plan"),
        _l("%(who)s tried to open %(whose)s plan and was refused"),
    ),
    "notice.dismiss": (
        _l("%(who)s set aside a reminder about %(whose)s plan"),
        _l("%(who)s tried to set aside someone else's reminder about %(whose)s plan and was refused"),
    ),
    "plan.read_full": (
        _l("%(who)s opened %(whose)s full plan"),
        _l("%(who)s tried to open %(whose)s full plan and was refused"),
    ),
    "plan.history": (
        _l("%(who)s looked at the versions of %(whose)s plan"),
        _l("%(who)s tried to look at the versions of %(whose)s plan and was refused"),
    ),
    "plan.edit": (
        _l("%(who)s opened %(whose)s draft plan to change it"),
        _l("%(who)s tried to change %(whose)s plan and was refused"),
    ),
    "plan.agree": (
        _l("%(who)s opened %(whose)s draft plan to agree it"),
        _l("%(who)s tried to agree %(whose)s plan and was refused"),
    ),
    "draft.write": (
        _l("%(who)s opened %(whose)s draft plan to write it"),
        _l("%(who)s tried to write %(whose)s draft plan and was refused"),
    ),
    "draft.decide_ideas": (
        _l("%(who)s opened the family's ideas for %(whose)s plan"),
        _l("%(who)s tried to decide the family's ideas for %(whose)s plan and was refused"),
    ),
    "plan.compare": (
        _l("%(who)s compared versions of %(whose)s plan"),
        _l("%(who)s tried to compare versions of %(whose)s plan and was refused"),
    ),
    "agency_actions.read_own": (
        _l("%(who)s opened their agency's actions in %(whose)s plan"),
        _l("%(who)s tried to open agency actions in %(whose)s plan and was refused"),
    ),
    "agency_actions.edit_own": (
        _l("%(who)s opened agency actions in %(whose)s plan to update them"),
        _l("%(who)s tried to update agency actions in %(whose)s plan and was refused"),
    ),
    "invitation.create": (
        _l("%(who)s opened the invitations to %(whose)s plan"),
        _l("%(who)s tried to invite someone to %(whose)s plan and was refused"),
    ),
    "sharing.read": (
        _l("%(who)s looked at who sees what in %(whose)s plan"),
        _l("%(who)s tried to see who sees what in %(whose)s plan and was refused"),
    ),
    "sharing.choose": (
        _l("%(who)s opened the choices of who sees what in %(whose)s plan"),
        _l("%(who)s tried to choose who sees what in %(whose)s plan and was refused"),
    ),
    "sharing.lock": (
        _l("%(who)s opened the safety locks on %(whose)s plan"),
        _l("%(who)s tried to lock part of %(whose)s plan and was refused"),
    ),
    "statements.cowrite": (
        _l("%(who)s worked on ideas in %(whose)s plan"),
        _l("%(who)s tried to add ideas to %(whose)s plan and was refused"),
    ),
    "devices.revoke": (
        _l("%(who)s opened the phones that can open %(whose)s plan"),
        _l("%(who)s tried to remove a phone from %(whose)s plan and was refused"),
    ),
    "devices.add_own": (
        _l("%(who)s started adding a phone for %(whose)s plan"),
        _l("%(who)s tried to add a phone for %(whose)s plan and was refused"),
    ),
    "commitments.update_own": (
        _l("%(who)s opened their commitments in %(whose)s plan"),
        _l("%(who)s tried to update a commitment in %(whose)s plan and was refused"),
    ),
    "history.read": (
        _l("%(who)s looked at who opened or changed %(whose)s plan"),
        _l("%(who)s tried to see who opened or changed %(whose)s plan and was refused"),
    ),
    "accounts.manage": (
        _l("%(who)s opened the practitioner accounts"),
        _l("%(who)s tried to open the practitioner accounts and was refused"),
    ),
    "audit.search": (
        _l("%(who)s searched the audit log"),
        _l("%(who)s tried to search the audit log and was refused"),
    ),
    "audit.read": (
        _l("%(who)s searched the audit log for %(whose)s record"),
        _l("%(who)s tried to search the audit log for %(whose)s record and was refused"),
    ),
    "audit.search_all": (
        _l("%(who)s searched the audit log for %(whose)s record"),
        _l("%(who)s tried to search the audit log for %(whose)s record and was refused"),
    ),
    DEV_LINK_USE: (
        _l("%(who)s signed in with a development link"),
        _l("%(who)s tried to sign in again with a development link that was used"),
    ),
}

# Changes by (table, verb).
CHANGE_WORDS: dict[tuple[str, str], Any] = {
    ("plan", "created"): _l("%(who)s started a plan for %(child)s"),
    ("plan", "closed"): _l("%(who)s closed %(whose)s plan"),
    ("plan", "purged"): _l("%(who)s deleted %(whose)s closed plan at the end of its retention period"),
    ("plan_version", "updated"): _l("%(who)s changed %(whose)s draft plan"),
    ("plan_version", "agreed"): _l("%(who)s recorded %(whose)s plan as agreed"),
    ("plan_action", "created"): _l("%(who)s added an action to %(whose)s draft plan"),
    ("child_statement", "created"): _l("%(who)s added an idea to %(whose)s plan"),
    ("child_statement", "updated"): _l("%(who)s changed an idea in %(whose)s plan"),
    ("child_statement", "deleted"): _l("%(who)s removed an idea from %(whose)s plan"),
    ("child_statement", "moved"): _l("%(who)s moved an idea in %(whose)s plan"),
    ("emergency_contact", "created"): _l("%(who)s added a person to call to %(whose)s plan"),
    ("emergency_contact", "deleted"): _l("%(who)s removed a person to call from %(whose)s plan"),
    ("place", "created"): _l("%(who)s added a place to %(whose)s plan"),
    ("place", "deleted"): _l("%(who)s removed a place from %(whose)s plan"),
    ("parental_responsibility", "created"): _l("%(who)s added who can make decisions to %(whose)s draft plan"),
    ("carer_commitment", "created"): _l("%(who)s added a parent's or carer's commitment to %(whose)s draft plan"),
    ("agency_action", "created"): _l("%(who)s added an agency action to %(whose)s draft plan"),
    ("agency_action", "updated"): _l("%(who)s updated an agency action in %(whose)s plan"),
    ("agency_action", "done"): _l("%(who)s marked an agency action done in %(whose)s plan"),
    ("agency_action_update", "created"): _l("%(who)s said how an agency action is going in %(whose)s plan"),
    ("notice", "dismissed"): _l("%(who)s set aside a reminder about %(whose)s plan"),
    ("network_person", "created"): _l("%(who)s added someone to the safe network in %(whose)s draft plan"),
    ("commitment_update", "created"): _l("%(who)s updated a commitment in %(whose)s plan"),
    ("passkey", "created"): _l("%(who)s added a phone that can open %(whose)s plan"),
    ("passkey", "revoked"): _l("%(who)s removed a phone from %(whose)s plan"),
    ("invitation", "created"): _l("%(who)s invited someone to %(whose)s plan"),
    ("family_link", "joined"): _l("%(who)s joined %(whose)s plan"),
    ("family_link", "revoked"): _l("%(who)s ended someone's access to %(whose)s plan"),
    ("section_share", "chosen"): _l("%(who)s chose who sees what in %(whose)s plan"),
    ("section_share", "chosen_with_young_person"): _l(
        "%(who)s chose who sees what in %(whose)s plan, with the young person, at the meeting"
    ),
    ("section_share", "locked"): _l("%(who)s locked part of %(whose)s plan for safety"),
    ("section_share", "unlocked"): _l("%(who)s unlocked part of %(whose)s plan"),
    ("break_glass_grant", "break_glass"): _l("%(who)s opened emergency access to %(whose)s plan"),
    ("practitioner", "created"): _l("%(who)s created an account for %(target)s"),
    ("practitioner", "activated"): _l("%(who)s turned on the account of %(target)s"),
    ("practitioner", "deactivated"): _l("%(who)s turned off the account of %(target)s"),
}
# A parent's or carer's update, told apart by what it changed (see queries._commitment_changes).
COMMITMENT_WORDS: dict[str, Any] = {
    "comment": _l("%(who)s commented on a commitment in %(whose)s plan"),
    "done": _l("%(who)s marked a commitment done in %(whose)s plan"),
    "not_done": _l("%(who)s marked a commitment not done yet in %(whose)s plan"),
}

OUTCOME_WORDS: dict[str, Any] = {
    AuditKind.READ: _l("Allowed"),
    AuditKind.WRITE: _l("Changed"),
    AuditKind.DENIED: _l("Refused"),
}


def person_name(person: Person, *, named: bool) -> str:
    """A short name for a list or a column: "Sam Okafor", or "Family account 7" where names are not shown."""
    if person.is_system:
        return _("The system")
    if person.is_practitioner:
        return person.name or _("Practitioner account %(number)s", number=person.account_id)
    if person.is_family:
        return person.name if named and person.name else _("Family account %(number)s", number=person.account_id)
    return _("Account “%(label)s”", label=person.label)


def child_choice(number: int, name: ChildName | None) -> str:
    """A child in the list to choose from: "Jordan Ellis, record 1", or "Record 1" for admins."""
    if name is None:
        return _("Record %(number)s", number=number)
    return _("%(name)s, record %(number)s", name=name.full, number=number)


def who(person: Person, *, named: bool, family_role: str = "") -> str:
    """A name and a role: "Sam Okafor, social worker", "Lisa Ellis, parent or carer"."""
    name = person_name(person, named=named)
    role = _role(person, family_role)
    return _("%(name)s, %(role)s", name=name, role=role) if role else name


def _role(person: Person, family_role: str) -> Any:
    if person.is_practitioner:
        return PRACTITIONER_ROLE_WORDS.get(person.role)
    if person.is_family:
        return FAMILY_ROLE_WORDS.get(family_role)
    return None


def _subject(person: Person, *, named: bool, family_role: str) -> str:
    """Who, at the start of a sentence: "Sam Okafor, social worker," (the role set off by commas)."""
    name = person_name(person, named=named)
    role = _role(person, family_role)
    return _("%(name)s, %(role)s,", name=name, role=role) if role else name


def _whose(line: AuditLine) -> str:
    if line.who.is_family and line.family_role == FamilyRole.YOUNG_PERSON:
        return _("their own")  # the young person about their own plan
    return _("%(name)s's", name=line.child.known_as) if line.child else _("the young person's")


def describe(line: AuditLine) -> str:
    """One row as a sentence in the reader's language."""
    event = line.event
    words = {
        "who": _subject(line.who, named=line.named, family_role=line.family_role),
        "whose": _whose(line),
        "child": line.child.known_as if line.child else _("the young person"),
        "target": person_name(line.target, named=line.named) if line.target else _("a practitioner"),
    }
    sentence = _change(line, words) if event.kind == AuditKind.WRITE else _use(line, words)
    if event.detail.startswith("break-glass:"):
        sentence = _("%(sentence)s, with emergency access", sentence=sentence)
    return sentence


def _use(line: AuditLine, words: dict[str, str]) -> str:
    event = line.event
    pair = PERMISSION_WORDS.get(event.action)
    if pair is not None:
        return str(pair[0] if event.kind == AuditKind.READ else pair[1]) % words
    code = {"code": event.action, **words}
    if event.kind == AuditKind.READ:
        if event.child_id is None:
            return _("%(who)s used “%(code)s”", **code)
        return _("%(who)s used “%(code)s” on %(whose)s record", **code)
    if event.child_id is None:
        return _("%(who)s was refused “%(code)s”", **code)
    return _("%(who)s was refused “%(code)s” on %(whose)s record", **code)


def _change(line: AuditLine, words: dict[str, str]) -> str:
    event = line.event
    template = COMMITMENT_WORDS.get(line.commitment_change) or CHANGE_WORDS.get((event.entity, event.action))
    if template is not None:
        return str(template) % words
    code = {"code": f"{event.entity} {event.action}".strip(), **words}
    if event.child_id is None:
        return _("%(who)s made a change, “%(code)s”", **code)
    return _("%(who)s made a change, “%(code)s”, to %(whose)s record", **code)
