"""Realistic, wholly fictional demo data: Jordan's Safer Plan and the people around him.

Everything is created through the service layer, the same way the app itself writes, so the demo
also shows the real path working. Names, numbers and addresses are invented; phone numbers use
Ofcom's drama ranges (07700 900xxx, 01632 960xxx), which never reach a real person.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app.actors import Actor
from app.auth.inputs import AccountInput
from app.auth.models import AccountKind
from app.auth.passwords import hash_password
from app.auth.practitioner_accounts import create_practitioner
from app.cowriting.inputs import IdeaInput
from app.cowriting.operations import add_statement
from app.demo.due_dates import jordans_dated_items
from app.demo.kays_concern import add_kays_concern
from app.demo.kays_team import complete_kays_team
from app.demo.partner_updates import add_rhys_updates
from app.people.inputs import AssignmentInput, ChildInput, FamilyMemberInput
from app.people.models import Agency, CaseRole, Child, FamilyRole, Practitioner, PractitionerRole
from app.people.operations import add_family_member, assign_practitioner, create_child
from app.plans.edits import DraftUpdate, add_item, update_draft
from app.plans.inputs import (
    ActionInput,
    AgencyActionInput,
    CommitmentInput,
    ContactInput,
    ItemInput,
    NetworkPersonInput,
    ParentalResponsibilityInput,
    PlaceInput,
    StatementInput,
)
from app.plans.models import AgencyActionKind, CommitmentKind, MeetingType, Moment, Safety, StatementKind
from app.plans.versions import Agreement, PlanStart, agree_draft, draft_of, start_plan

# Printed by `make run` in development only; these accounts exist only in demo databases.
DEMO_PASSWORD = "demo-password-not-for-real-use"  # noqa: S105 - fictional demo accounts, development only


@dataclass(frozen=True)
class DemoPeople:
    """Account ids a newcomer can sign in as."""

    jordan_id: int
    kayla_id: int
    young_person_id: int
    parent_id: int
    trusted_adult_id: int
    social_worker_email: str
    chair_email: str
    other_worker_email: str
    agency_partner_email: str
    manager_email: str
    admin_email: str


@functools.cache
def _demo_password_hash() -> str:
    # argon2 is slow on purpose; the demo hashes its one shared password once per process.
    return hash_password(DEMO_PASSWORD)


def is_empty(session: Session) -> bool:
    return session.exec(select(Practitioner)).first() is None


def load_demo(session: Session) -> DemoPeople:
    """Create the demo people and plans. Call only on an empty database."""
    sam = _practitioner(
        session,
        "sam.okafor@example.org",
        "Sam Okafor",
        PractitionerRole.SOCIAL_WORKER,
        Agency.CHILDRENS_SOCIAL_WORK,
        "Adolescent Safety Team (North)",
    )
    priya = _practitioner(
        session,
        "priya.shah@example.org",
        "Priya Shah",
        PractitionerRole.INDEPENDENT_CHAIR,
        Agency.QAS,
        "Independent Reviewing",
    )
    alex = _practitioner(
        session,
        "alex.morgan@example.org",
        "Alex Morgan",
        PractitionerRole.LEAD_PROFESSIONAL,
        Agency.EARLY_HELP,
        "Early Help (West)",
    )

    rhys = _practitioner(
        session,
        "rhys.hughes@example.org",
        "PC Rhys Hughes",
        PractitionerRole.AGENCY_PARTNER,
        Agency.POLICE,
        "Youth Engagement",
    )
    morgan = _practitioner(
        session,
        "morgan.lee@example.org",
        "Morgan Lee",
        PractitionerRole.MANAGER,
        Agency.CHILDRENS_SOCIAL_WORK,
        "Adolescent Safety Team (North)",
    )
    dana = _practitioner(
        session,
        "dana.whitfield@example.org",
        "Dana Whitfield",
        PractitionerRole.ADMIN,
        Agency.CHILDRENS_SOCIAL_WORK,
        "Systems",
    )

    jordan = create_child(
        session=session,
        child=ChildInput(
            first_name="Jordan",
            last_name="Ellis",
            preferred_name="Jordan",
            date_of_birth=date(2012, 5, 9),
            school="Millbrook Academy",
            open_to_csw=True,
        ),
    )
    _assign(session, jordan, sam, CaseRole.ALLOCATED_WORKER)
    _assign(session, jordan, priya, CaseRole.CHAIR)
    _assign(session, jordan, rhys, CaseRole.AGENCY_PARTNER)
    yp = add_family_member(
        session=session,
        child_id=jordan.id or 0,
        member=FamilyMemberInput(display_name="Jordan", role=FamilyRole.YOUNG_PERSON),
    )
    mum = add_family_member(
        session=session,
        child_id=jordan.id or 0,
        member=FamilyMemberInput(display_name="Lisa Ellis", role=FamilyRole.PARENT_CARER, relationship="Mum"),
    )
    dee = add_family_member(
        session=session,
        child_id=jordan.id or 0,
        member=FamilyMemberInput(display_name="Denise Carter", role=FamilyRole.TRUSTED_ADULT, relationship="Aunt Dee"),
    )

    sam_actor = Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)
    _jordans_plan(session, sam_actor, jordan.id or 0, yp_id=yp.id or 0, mum_id=mum.id or 0)
    add_rhys_updates(session, rhys_id=rhys.id or 0, child_id=jordan.id or 0)

    # A second young person on another worker's caseload: Sam must never see her.
    kayla = create_child(
        session=session,
        child=ChildInput(
            first_name="Kayla",
            last_name="Brooks",
            preferred_name="Kay",
            date_of_birth=date(2011, 2, 17),
            school="Westfield High School",
            open_to_csw=False,
        ),
    )
    _assign(session, kayla, alex, CaseRole.ALLOCATED_WORKER)
    # A complete case team, so Kay's meeting can be run from the demo (app.demo.kays_team).
    complete_kays_team(
        session,
        kayla_id=kayla.id or 0,
        chair_id=priya.id or 0,
        password=DEMO_PASSWORD,
        password_hash=_demo_password_hash(),
    )
    alex_actor = Actor(kind=AccountKind.PRACTITIONER, account_id=alex.id or 0)
    kayla_plan = start_plan(session=session, actor=alex_actor, child_id=kayla.id or 0)
    kayla_draft = draft_of(session=session, plan_id=kayla_plan.id or 0)
    add_item(
        session=session,
        actor=alex_actor,
        version_id=kayla_draft.id or 0,
        item=StatementInput(
            moment=Moment.EVERYDAY, kind=StatementKind.NEED, text="to feel listened to at school", own_words=True
        ),
    )

    # One assessed concern (high risk, not open to CSW): the flowchart proposes a Hub enquiry.
    add_kays_concern(session, alex_actor, kayla.id or 0)

    session.commit()
    return DemoPeople(
        jordan_id=jordan.id or 0,
        kayla_id=kayla.id or 0,
        young_person_id=yp.id or 0,
        parent_id=mum.id or 0,
        trusted_adult_id=dee.id or 0,
        social_worker_email=sam.email,
        chair_email=priya.email,
        other_worker_email=alex.email,
        agency_partner_email=rhys.email,
        manager_email=morgan.email,
        admin_email=dana.email,
    )


def _practitioner(session: Session, email: str, name: str, role: str, agency: str, team: str) -> Practitioner:
    account = AccountInput.parse(
        {"email": email, "display_name": name, "role": role, "agency": agency, "team": team, "password": DEMO_PASSWORD}
    )
    return create_practitioner(session=session, account=account, password_hash=_demo_password_hash())


def _assign(session: Session, child: Child, practitioner: Practitioner, case_role: CaseRole) -> None:
    assign_practitioner(
        session=session,
        child_id=child.id or 0,
        assignment=AssignmentInput(practitioner_id=practitioner.id or 0, case_role=case_role),
    )


def _jordans_plan(session: Session, actor: Actor, child_id: int, *, yp_id: int, mum_id: int) -> None:
    plan = start_plan(
        session=session, actor=actor, child_id=child_id, start=PlanStart(meeting_type=MeetingType.SAFER_ME)
    )
    draft = draft_of(session=session, plan_id=plan.id or 0)
    vid = draft.id or 0

    def add(item: ItemInput) -> None:
        add_item(session=session, actor=actor, version_id=vid, item=item)

    for who, action, aim, success in [
        (
            "Jordan",
            "text Mum when he leaves school and when he arrives at training",
            "Mum knows he is safe without having to chase him",
            "no missing episodes for four weeks",
        ),
        (
            "Sam (social worker)",
            "meet Jordan at school every Wednesday lunchtime",
            "Jordan has someone to talk to before things build up",
            "Jordan tells Sam about worries himself",
        ),
        (
            "Lisa (Mum)",
            "agree a weekly plan for evenings with Jordan every Sunday",
            "fewer arguments about going out",
            "Jordan says home feels calmer at the review",
        ),
        (
            "Police Youth Engagement Officer",
            "put a Police Trigger Plan in place",
            "a fast, calm response if Jordan goes missing",
            "Jordan is found quickly and brought somewhere safe",
        ),
    ]:
        add(ActionInput(who=who, action=action, aim=aim, success=success))

    statements = [
        (Moment.EVERYDAY, StatementKind.WILL, "text Mum when I leave school and when I get to football", True),
        (Moment.EVERYDAY, StatementKind.WILL, "be home by 9pm on school nights", False),
        (Moment.EVERYDAY, StatementKind.CAN, "go to boxing on Tuesdays and Thursdays with Coach Marcus", False),
        (Moment.EVERYDAY, StatementKind.CAN, "talk to Aunt Dee if something doesn't feel right", True),
        (
            Moment.EVERYDAY,
            StatementKind.MIGHT,
            "get messages from older lads asking me to do stuff. If I do I'll show Sam or Aunt Dee",
            True,
        ),
        (Moment.EVERYDAY, StatementKind.NEED, "my phone topped up so I can always call home", True),
        (Moment.EVERYDAY, StatementKind.NEED, "help catching up with maths", False),
        (Moment.EMERGENCY, StatementKind.WILL, "call 999 if I'm scared or hurt", False),
        (Moment.EMERGENCY, StatementKind.WILL, "text my safe word to Mum or Aunt Dee", True),
        (Moment.EMERGENCY, StatementKind.CAN, "go into the Co-op on Station Road and ask to use their phone", False),
        (Moment.EMERGENCY, StatementKind.MIGHT, "not be able to talk, so I'll just send the safe word", True),
        (Moment.EMERGENCY, StatementKind.NEED, "someone to come and get me, no questions until I'm home", True),
    ]
    for moment, statement_kind, text, own in statements:
        add(
            StatementInput(
                moment=moment,
                kind=statement_kind,
                text=text,
                own_words=own,
                written_by_member_id=yp_id if own else None,
            )
        )

    for name, rel, phone, notes in [
        ("Mum (Lisa)", "Mum", "07700 900123", ""),
        ("Aunt Dee", "Aunt", "07700 900456", "Any time, day or night"),
        ("Sam Okafor", "Social worker", "01632 960321", "Monday to Friday, 9 to 5"),
        ("Emergency Duty Team", "Out of hours", "01632 960999", "Evenings, weekends and bank holidays"),
    ]:
        add(ContactInput(name=name, relationship=rel, phone=phone, notes=notes))

    add(ParentalResponsibilityInput(name="Lisa Ellis", relationship="Mum"))
    add(
        ParentalResponsibilityInput(
            name="Mark Ellis",
            relationship="Dad",
            can_make_decisions=False,
            notes="Lives in Leeds; contact through Sam",
        )
    )

    for commitment_kind, text, when in [
        (
            CommitmentKind.ENSURE,
            "when Jordan returns home I will welcome him back calmly and we talk the next morning, not that night",
            "every time",
        ),
        (CommitmentKind.MAKE, "a weekly plan for evenings with Jordan", "Sundays"),
        (CommitmentKind.DO, "report Jordan missing to the police if he is not home and not answering", "by 10pm"),
    ]:
        add(CommitmentInput(who="Lisa (Mum)", member_id=mum_id, kind=commitment_kind, commitment=text, by_when=when))
    for item in jordans_dated_items(mum_id=mum_id):  # done once, by a date (issue 10 item 4)
        add(item)

    # Each "by/at" is a date (the day a one-off action is due, or a repeating one starts), with
    # words for how often a repeating one happens.
    for agency, kind, action, due_on, repeats, trigger in [
        (
            Agency.POLICE,
            AgencyActionKind.INCREASE_SAFETY,
            "set up the Police Trigger Plan (recent photo, places Jordan may go, safe word)",
            date(2026, 11, 2),
            "",
            True,
        ),
        (
            Agency.SCHOOL,
            AgencyActionKind.INCREASE_SAFETY,
            "have Ms Patel (DSL) check in with Jordan at morning break",
            date(2026, 10, 27),
            "every school day",
            False,
        ),
        (
            Agency.YOUTH_OFFER,
            AgencyActionKind.INCREASE_SAFETY,
            "offer Jordan a place on the Thursday boxing programme",
            date(2026, 11, 6),
            "",
            False,
        ),
        (
            Agency.POLICE,
            AgencyActionKind.PREVENT_DISRUPT,
            "patrol the Station Road underpass on Friday and Saturday evenings; submit intelligence on the older males "
            "seen there",
            date(2026, 10, 30),
            "every Friday and Saturday evening",
            False,
        ),
        (
            Agency.COMMUNITY_SAFETY,
            AgencyActionKind.PREVENT_DISRUPT,
            "review CCTV coverage at the retail park car park",
            date(2026, 11, 20),
            "",
            False,
        ),
    ]:
        add(
            AgencyActionInput(
                agency=agency, kind=kind, action=action, due_on=due_on, repeats=repeats, is_police_trigger_plan=trigger
            )
        )

    for name, rel, safety, involvement in [
        ("Denise Carter (Aunt Dee)", "Aunt", Safety.SAFE, "Jordan stays with her most weekends"),
        ("Marcus Reid", "Boxing coach", Safety.SAFE, "Sees Jordan twice a week"),
        ("Tyler Ellis", "Cousin, 17", Safety.COULD_BE_SAFE, "Close to Jordan; has links to the underpass group"),
        (
            "'Dino'",
            "Older male, about 19",
            Safety.NOT_SAFE,
            "Gives Jordan cash and trainers; has asked him to 'drop things off'",
        ),
    ]:
        add(NetworkPersonInput(name=name, relationship=rel, safety=safety, involvement=involvement))

    for place_name, address, place_safety, place_notes in [
        ("Aunt Dee's house", "14 Larch Close, Millbrook", Safety.SAFE, "Agreed place to go if things go wrong"),
        ("Millbrook Boxing Club", "Unit 3, Canal Street", Safety.SAFE, None),
        ("Station Road underpass", None, Safety.NOT_SAFE, "Older males gather Fri/Sat evenings"),
        ("Retail park car park", "Brook Retail Park", Safety.NOT_SAFE, "Seen getting into cars here"),
    ]:
        add(PlaceInput(name=place_name, address=address or "", safety=place_safety, notes=place_notes or ""))

    update_draft(
        session=session,
        actor=actor,
        version_id=vid,
        update=DraftUpdate.parse(
            {
                "expected_revision": draft.revision,
                "safe_word": "pineapple",
                "if_missing_take_to": "Aunt Dee's house, 14 Larch Close, Millbrook. Jordan feels safe there and "
                "Dee has agreed.",
                "contingency_steps": "If Jordan goes missing, Lisa reports it to the police after 10pm (sooner if "
                "worried) and tells Sam the next working day; police use the Trigger Plan.",
                "contingency_cover": "If Sam is away, the duty social worker (01632 960300) covers. If Lisa can't "
                "collect Jordan, Aunt Dee will.",
                "onward_hub_context": "Peer group around the Station Road underpass shared with the Adolescent "
                "Safety Hub for a mapping meeting.",
                "onward_complex_abuse": "No indication at present. Review if more children are linked to 'Dino'.",
                "review_trigger": "Or sooner if Jordan goes missing or something serious happens.",
                "review_meanwhile": "Anyone worried calls Sam, or the Emergency Duty Team out of hours. Sam can call "
                "an early review.",
                "summary_of_changes": "First plan, agreed at the Safer Me meeting.",
            },
        ),
    )
    agree_draft(
        session=session,
        actor=actor,
        plan_id=plan.id or 0,
        agreement=Agreement(
            agreed_by="Jordan, Lisa Ellis, Denise Carter, Sam Okafor (social worker), Ms Patel (school DSL), "
            "PC Hughes (Police Youth Engagement Officer)",
            agreed_on=date(2026, 10, 26),
            shared_with="Jordan, Lisa Ellis, Denise Carter, school DSL, Police, Youth Offer",
            review_date=date(2026, 12, 14),
            expected_revision=draft.revision,
        ),
    )

    # Since the meeting, Jordan has added an idea of his own to the new draft.
    add_statement(
        session=session,
        actor=Actor(kind=AccountKind.FAMILY, account_id=yp_id),
        child_id=child_id,
        idea=IdeaInput(
            moment=Moment.EVERYDAY, kind=StatementKind.CAN, text="ask Aunt Dee to pick me up from boxing if it's dark"
        ),
    )
