"""Which relation holds which permission: the table the policy (policy.py) decides by.

A permission is a name ("plan.read", "meeting.run"); each names the relations to a child that hold
it (PERMISSIONS), or, for account-wide permissions, the practitioner roles that do
(ACCOUNT_PERMISSIONS). A name missing from both is denied: the policy fails closed. Adding a
feature means adding its permissions here, with a comment saying who and why; nothing outside
app/access/ names a role or a relation.
"""

from __future__ import annotations

from enum import StrEnum

from app.people.models import Agency, FamilyRole, PractitionerRole
from app.plans.sections import Section

# Sections a young person can share with the people in their life (everything they see).
SHAREABLE_SECTIONS: tuple[Section, ...] = tuple(Section)

# Before anyone chooses anything: high-privacy defaults (ICO Children's Code). A parent sees their
# own commitments and when the review is; a trusted adult sees nothing until the young person shares.
FAMILY_DEFAULT_SECTIONS: dict[str, frozenset[Section]] = {
    FamilyRole.YOUNG_PERSON: frozenset(Section) - {Section.COWRITE},
    FamilyRole.PARENT_CARER: frozenset({Section.CARER_COMMITMENTS, Section.REVIEW}),
    FamilyRole.TRUSTED_ADULT: frozenset(),
}


class Relation(StrEnum):
    """How the actor reaches the child."""

    SELF = "self"
    PARENT_CARER = "parent_carer"
    TRUSTED_ADULT = "trusted_adult"
    ALLOCATED_WORKER = "allocated_worker"
    CHAIR = "chair"
    TEAM_MEMBER = "team_member"
    AGENCY_PARTNER = "agency_partner"
    MANAGER = "manager"
    BREAK_GLASS = "break_glass"
    # An account-wide permission (managing accounts, searching the audit log): no child involved.
    ACCOUNT = "account"


FAMILY_RELATIONS = frozenset({Relation.SELF, Relation.PARENT_CARER, Relation.TRUSTED_ADULT})
# Practitioners who see the whole plan (agency partners see only their agency's actions).
WHOLE_PLAN_READERS = frozenset(
    {Relation.ALLOCATED_WORKER, Relation.CHAIR, Relation.TEAM_MEMBER, Relation.MANAGER, Relation.BREAK_GLASS}
)
# Practitioners who may change the plan and invite people. Managers, team members and
# break-glass readers are read-only.
PLAN_EDITORS = frozenset({Relation.ALLOCATED_WORKER, Relation.CHAIR})

# Each permission names the relations that hold it. A name missing here is denied (fails closed).
PERMISSIONS: dict[str, frozenset[Relation]] = {
    "plan.read": FAMILY_RELATIONS | WHOLE_PLAN_READERS,
    "plan.read_full": WHOLE_PLAN_READERS,
    "plan.history": WHOLE_PLAN_READERS,
    "plan.edit": PLAN_EDITORS,
    "plan.agree": PLAN_EDITORS,
    # Writing the draft section by section, and deciding family ideas (app.drafting); comparing versions.
    "draft.write": PLAN_EDITORS,
    "draft.decide_ideas": PLAN_EDITORS,
    "plan.compare": WHOLE_PLAN_READERS,
    "agency_actions.read_own": frozenset({Relation.AGENCY_PARTNER}),
    "agency_actions.edit_own": frozenset({Relation.AGENCY_PARTNER}) | PLAN_EDITORS,
    "invitation.create": PLAN_EDITORS,
    "sharing.read": frozenset({Relation.SELF}) | WHOLE_PLAN_READERS,
    "sharing.choose": frozenset({Relation.SELF}),
    # At a meeting's agreement, with the young person there: they choose on their phone, or the
    # plan's editor ticks the boxes as they say (app.meetings.sharing_choice checks the meeting runs).
    # Never a parent or trusted adult: nobody chooses what they themselves will see.
    "sharing.choose_with_young_person": frozenset({Relation.SELF}) | PLAN_EDITORS,
    "sharing.lock": PLAN_EDITORS,
    # Trusted adults hold this only while the young person shares Section.COWRITE with them.
    "statements.cowrite": frozenset({Relation.SELF, Relation.TRUSTED_ADULT}),
    # Words the young person writes themselves are their own words (a trusted adult's never are).
    "statements.own_words": frozenset({Relation.SELF}),
    # The plan is the young person's: they may take any idea not agreed yet out of the draft.
    "statements.take_out_any": frozenset({Relation.SELF}),
    # Removing lost phones: the young person and workers for everyone linked to the child; a
    # trusted adult helps with the young person's phones and their own (see devices.revoke_any).
    "devices.revoke": frozenset({Relation.SELF, Relation.TRUSTED_ADULT}) | PLAN_EDITORS,
    "devices.revoke_any": frozenset({Relation.SELF}) | PLAN_EDITORS,
    # Parents and carers mark their own commitments done or comment on them (not part of the plan).
    "commitments.update_own": frozenset({Relation.PARENT_CARER}),
    "devices.add_own": FAMILY_RELATIONS,
    "history.read": frozenset({Relation.SELF}) | WHOLE_PLAN_READERS,
    # Reading a child's audit trail (who read, changed or was refused their record, and when) in
    # the audit search, with the child's and family's names: managers, for their team's children.
    "audit.read": frozenset({Relation.MANAGER}),
    # Meetings: whole-plan readers read the record; editors schedule and run them (the allocated
    # worker can always take over); a trusted adult runs only a meeting they were nominated to
    # facilitate (app.meetings checks which); the family take part from their phones, and the
    # young person speaks first.
    "meeting.read": WHOLE_PLAN_READERS,
    "meeting.run": PLAN_EDITORS,
    "meeting.facilitate_as_family": frozenset({Relation.TRUSTED_ADULT}),
    "meeting.take_part": FAMILY_RELATIONS,
    "meeting.speak_first": frozenset({Relation.SELF}),
    # The case team (who holds which case role): whole-plan readers see it; editors change it.
    "case.read_team": WHOLE_PLAN_READERS,
    "case.manage_team": PLAN_EDITORS,
    # Concerns about a young person (app.concerns): whole-plan readers read them with their Safer
    # Me Assessments and route decisions; the allocated worker, the chair and the team's manager
    # record, assess and decide the route (a manager decides thresholds with the worker); an
    # agency partner may raise a concern about a child of their case but reads none (they see
    # only their agency's actions). Never anyone in the family.
    "concern.read": WHOLE_PLAN_READERS,
    "concern.record": PLAN_EDITORS | {Relation.MANAGER, Relation.AGENCY_PARTNER},
    "concern.assess": PLAN_EDITORS | {Relation.MANAGER},
    "concern.route": PLAN_EDITORS | {Relation.MANAGER},
    # Incidents (app.incidents, issue 10 item 6): the plan's editors (the allocated worker and the
    # chair) record one, because recording it is when they decide whether to bring the review
    # forward, which changes the plan's review date; whole-plan readers see them on the case page
    # and the work tray. An agency partner tells the worker; the family never sees incidents.
    "incident.read": WHOLE_PLAN_READERS,
    "incident.record": PLAN_EDITORS,
}

# Who may facilitate each kind of meeting (seed 001): practitioner roles, and whether the young
# person's nominated trusted adult may. Safer Me Plus is always an independent chair.
FACILITATING_ROLES: dict[str, frozenset[str]] = {
    "safer_me": frozenset({PractitionerRole.SOCIAL_WORKER, PractitionerRole.LEAD_PROFESSIONAL}),
    "safer_me_plus": frozenset({PractitionerRole.INDEPENDENT_CHAIR}),
}
TRUSTED_ADULT_MAY_FACILITATE = frozenset({"safer_me"})


# Permissions that a family member other than the young person holds only while a section is shared.
SECTION_GATED_PERMISSIONS: dict[str, Section] = {"statements.cowrite": Section.COWRITE}

# Account-wide permissions, asked about no child or context: which practitioner roles hold them.
ACCOUNT_PERMISSIONS: dict[str, frozenset[str]] = {
    # Emergency read-only access to a child one is not linked to: any practitioner but an admin.
    "break_glass.open": frozenset(PractitionerRole) - {PractitionerRole.ADMIN},
    "accounts.manage": frozenset({PractitionerRole.ADMIN}),
    # Personal access tokens for the API: those who hold cases. An admin's token would reach no plan.
    "api_tokens.manage": frozenset(PractitionerRole) - {PractitionerRole.ADMIN},
    # Adding a young person: those who can be allocated a case (they are, as they add them).
    "children.add": frozenset({PractitionerRole.SOCIAL_WORKER, PractitionerRole.LEAD_PROFESSIONAL}),
    # Opening the audit search. What it shows is decided per child: "audit.read" above, or the
    # whole log for those who hold "audit.search_all".
    "audit.search": frozenset({PractitionerRole.MANAGER, PractitionerRole.ADMIN}),
    # The whole log, every child's rows by record number and never a child's or a family member's
    # name: admins investigate accounts and access, but never read plans, and "Lisa opened Jordan's
    # plan" is itself personal data about Jordan. The log holds no plan content.
    "audit.search_all": frozenset({PractitionerRole.ADMIN}),
    # The concerns pages (app.concerns): anyone who works with young people may raise a concern,
    # about a young person of their own cases or about a peer group, a place or people of concern.
    # A concern of the last two kinds is read by the practitioner who recorded it (the Hub's
    # queue arrives later). Admins never read case material.
    "concerns.list": frozenset(PractitionerRole) - {PractitionerRole.ADMIN},
    "concerns.record_context": frozenset(PractitionerRole) - {PractitionerRole.ADMIN},
    # The operational MACE panel (app.mace): managers run it with the Hub's people (below): they
    # convene its dates, list referrals and record outcomes. A referrer reads their own referral.
    "mace.run": frozenset({PractitionerRole.MANAGER}),
    # Strategic themes (app.themes): anonymised counts over a period for the MACS and Youth ASB
    # forums, presented by managers and the Hub's people (AGENCY_PERMISSIONS). Counts only, with
    # small numbers suppressed, yet still about a few hundred children: not for every worker.
    "themes.read": frozenset({PractitionerRole.MANAGER}),
    # The contexts map (app.contexts): peer groups, places and persons of concern linked to the
    # children they touch. Managers oversee their teams' contextual work, and the Hub's people
    # (AGENCY_PERMISSIONS) convene mapping and MACE; each still sees only the children the policy
    # lets them read. Conference chairs may need it when context conferences arrive.
    "contexts.read": frozenset({PractitionerRole.MANAGER}),
    # Context conferences (app.conferences): independent chairs (ISROs) and managers chair them and
    # record the agenda, the plan, the close and a moved review; they and the convenors (below)
    # read them. A conference is about a context and shows no child's plan; admins never read it.
    "conferences.chair": frozenset({PractitionerRole.INDEPENDENT_CHAIR, PractitionerRole.MANAGER}),
    "conferences.read": frozenset({PractitionerRole.INDEPENDENT_CHAIR, PractitionerRole.MANAGER}),
}

# Account-wide permissions held by everyone of an agency (but an admin), whatever their job.
AGENCY_PERMISSIONS: dict[str, frozenset[str]] = {
    # The Adolescent Safety Hub's queue (app.hub): its co-ordinators and workers acknowledge and
    # decide each enquiry within one working day. Every read of a young person there is audited.
    "hub.work": frozenset({Agency.ADOLESCENT_SAFETY_HUB}),
    # The MACE panel (app.mace), run by the Hub's people and managers (ACCOUNT_PERMISSIONS).
    "mace.run": frozenset({Agency.ADOLESCENT_SAFETY_HUB}),
    # Mapping meetings (app.mapping): convened by the Hub co-ordinator within 10 working days.
    "mapping.convene": frozenset({Agency.ADOLESCENT_SAFETY_HUB}),
    # Strategic themes and the contexts map (ACCOUNT_PERMISSIONS): the Hub presents them at MACS
    # and the Youth ASB forum, and keeps the map of the contexts it maps.
    "themes.read": frozenset({Agency.ADOLESCENT_SAFETY_HUB}),
    "contexts.read": frozenset({Agency.ADOLESCENT_SAFETY_HUB}),
    # Context conferences (app.conferences): convened within 15 working days by QAS (peer groups),
    # with the Hub that weighed the context; the convenors set the date and read the record.
    "conferences.convene": frozenset({Agency.QAS, Agency.ADOLESCENT_SAFETY_HUB}),
    "conferences.read": frozenset({Agency.QAS, Agency.ADOLESCENT_SAFETY_HUB}),
}
