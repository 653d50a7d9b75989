"""R27: rotating the field-encryption keys re-encrypts every sensitive value, so an old key can go."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from app import SaferPlan, create_app
from app.access.models import BreakGlassGrant
from app.agency_actions.models import AgencyActionUpdate
from app.auth.models import Invitation
from app.commitments.models import CommitmentUpdate
from app.concerns.models import Assessment, Concern, RouteDecision
from app.conferences.models import ConferenceAction, ConferenceNote, ContextConference
from app.config import load_settings
from app.crypto import FieldCipher
from app.db import make_engine
from app.hub.models import HubEnquiry
from app.incidents.models import Incident
from app.keys import encrypted_columns, rotate_keys
from app.mace.models import MacePanel, MaceReferral
from app.mapping.models import MappingMeeting, MappingMember
from app.meetings.models import AgendaNote, Meeting, MeetingPerson
from app.people.models import Agency, Child, FamilyMember, Practitioner
from app.plans.inputs import (
    AgencyActionInput,
    ContactInput,
    NetworkPersonInput,
    ParentalResponsibilityInput,
    PlaceInput,
)
from app.plans.models import AgencyAction, AgencyActionKind, CarerCommitment, Plan, PlanVersion, Safety
from app.push.models import PushSubscription
from app.timeutil import utcnow
from tests.factories import commitments, people, plans
from tests.support.database import migrate, scratch_database
from tests.support.figures import Figures

# A (table, primary key, column) address for one stored value.
Address = tuple[str, tuple[Any, ...], str]


@pytest.fixture
def use_keys(application: SaferPlan) -> Iterator[Callable[[str], None]]:
    """Configure the process-wide FieldCipher from a key list; the suite's own keys come back after."""

    def configure(keys: str) -> None:
        settings = load_settings({**os.environ, "SAFER_PLAN_ENV": "test", "FIELD_ENCRYPTION_KEYS": keys})
        FieldCipher.configure(settings.field_encryption_keys)

    try:
        yield configure
    finally:
        FieldCipher.configure(application.settings.field_encryption_keys)


def stored_ciphertexts(connection: Connection) -> dict[Address, str]:
    """Every non-NULL encrypted value as it sits in the database, without decrypting it."""
    stored: dict[Address, str] = {}
    for table, columns in encrypted_columns().items():
        keys = list(table.primary_key.columns)
        query = sa.select(*keys, *[sa.type_coerce(column, sa.Text()) for column in columns])
        for row in connection.execute(query):
            key = tuple(row[: len(keys)])
            for column, value in zip(columns, row[len(keys) :], strict=True):
                if value is not None:
                    stored[(table.name, key, column.name)] = value
    return stored


def _jordans_agreed_plan(session: Session) -> None:
    """Jordan's case (tests/factories) with an agreed plan that fills every encrypted plan column,
    several rows of some kinds (and their copies in the new draft) so rotation takes several batches."""
    case = people.case(session)
    plans.agreed_plan(
        session,
        case.child,
        *[
            ContactInput(name=name, relationship="", phone=phone)
            for name, phone in [
                ("Mum (Lisa)", "07700 900123"),
                ("Aunt Dee", "07700 900456"),
                ("Sam Okafor", "01632 960321"),
                ("Emergency Duty Team", "01632 960999"),
            ]
        ],
        NetworkPersonInput(
            name="Marcus Reid", relationship="Boxing coach", safety=Safety.SAFE, involvement="Twice a week"
        ),
        NetworkPersonInput(
            name="'Dino'", relationship="Older male", safety=Safety.NOT_SAFE, involvement="Gives him cash"
        ),
        ParentalResponsibilityInput(name="Lisa Ellis", relationship="Mum"),
        *[
            PlaceInput(name=name, address=address, safety=safety, notes=notes)
            for name, address, safety, notes in [
                ("Aunt Dee's house", "14 Larch Close, Millbrook", Safety.SAFE, "Agreed place to go"),
                ("Millbrook Boxing Club", "Unit 3, Canal Street", Safety.SAFE, "Tuesdays and Thursdays"),
                ("Station Road underpass", "Station Road", Safety.NOT_SAFE, "Older males gather Fri/Sat"),
                ("Retail park car park", "Brook Retail Park", Safety.NOT_SAFE, "Seen getting into cars here"),
            ]
        ],
        commitments.commitment_input(case.parent, "a weekly plan for evenings with Jordan", by_when="Sundays"),
        AgencyActionInput(
            agency=Agency.POLICE,
            kind=AgencyActionKind.PREVENT_DISRUPT,
            action="patrol the Station Road underpass",
            due_on=utcnow().date(),
        ),
        by=case.worker,
        safe_word="pineapple",
        if_missing_take_to="Aunt Dee's house, 14 Larch Close, Millbrook.",
    )


def seed_every_encrypted_column(session: Session) -> None:
    """Jordan's agreed plan, plus a break-glass grant, an invitation, a carer's comment and a meeting,
    so every encrypted column holds a value (the first test checks that it does)."""
    _jordans_agreed_plan(session)
    practitioner = session.exec(select(Practitioner)).first()
    child = session.exec(select(Child)).first()
    assert practitioner is not None and practitioner.id is not None
    assert child is not None and child.id is not None
    session.add(
        BreakGlassGrant(
            practitioner_id=practitioner.id,
            child_id=child.id,
            reason="Police called out of hours: missing overnight",
            expires_at=utcnow() + timedelta(hours=1),
        )
    )
    session.add(
        Invitation(
            child_id=child.id,
            role="trusted_adult",
            display_name="Coach Marcus",
            token_hash="0" * 64,
            created_by_practitioner_id=practitioner.id,
            expires_at=utcnow() + timedelta(days=3),
        )
    )
    # A carer's comment on a commitment.
    commitment = session.exec(select(CarerCommitment).where(col(CarerCommitment.member_id).is_not(None))).first()
    assert commitment is not None and commitment.id is not None
    session.add(
        CommitmentUpdate(commitment_id=commitment.id, member_id=commitment.member_id, done=True, comment="Done Friday")
    )
    # A meeting with the young person's first words, a guest who sent an update, and notes.
    plan = session.exec(select(Plan).where(Plan.child_id == child.id)).first()
    assert plan is not None and plan.id is not None
    meeting = Meeting(
        child_id=child.id,
        plan_id=plan.id,
        meeting_type="safer_me",
        starts_at=utcnow() + timedelta(days=7),
        place="Millbrook Academy, room 2",
        young_person_words="I want to keep going to boxing",
    )
    session.add(meeting)
    session.flush()
    assert meeting.id is not None
    session.add(MeetingPerson(meeting_id=meeting.id, name="Ms Patel", agency="school", update="Attendance up to 92%"))
    session.add(AgendaNote(meeting_id=meeting.id, item="what_we_know", text="Missing twice in October"))
    # A concern (issue 12) with its assessment, a route decision against the proposal and a decided Hub enquiry.
    concern = Concern(
        subject="peer_group_or_location",
        name="the Eastgate lot",
        description="Older youths recruiting at the park",
        recorded_by_id=practitioner.id,
    )
    session.add(concern)
    session.flush()
    assert concern.id is not None
    assessment = Assessment(
        concern_id=concern.id,
        child_id=child.id,
        areas='{"harm": {"risks": "carrying", "protective": "boxing"}}',
        grade="high",
        nature="exploitation",
        severity="found with cash",
        frequency="weekly",
        impact="not sleeping",
        reasons="county lines signs",
        assessed_by_id=practitioner.id,
    )
    session.add(assessment)
    session.flush()
    decision = RouteDecision(
        concern_id=concern.id,
        assessment_id=assessment.id,
        proposed="safer_me_plus",
        chosen="hub_enquiry",
        reason="no longer open to CSW",
        decided_by_id=practitioner.id,
    )
    session.add(decision)
    session.flush()
    assert decision.id is not None
    session.add(
        HubEnquiry(
            concern_id=concern.id,
            route_decision_id=decision.id,
            child_id=child.id,
            received_on=utcnow().date(),
            due_on=utcnow().date(),
            decided_at=utcnow(),
            decided_by_id=practitioner.id,
            level="safer_me_plus",
            action="strategy discussion today",
        )
    )
    # MACE (issue 12 part 4): a referral with the panel's outcome; a mapping meeting (part 5)
    # weighed, with a described member.
    panel = MacePanel(meets_on=utcnow().date(), convened_by_id=practitioner.id)
    session.add(panel)
    session.flush()
    session.add(
        MaceReferral(
            concern_id=concern.id,
            child_id=child.id,
            referred_by_id=practitioner.id,
            referred_on=utcnow().date(),
            reason="seen at a known trap house",
            panel_id=panel.id,
            outcome="actions_agreed",
            outcome_notes="police to visit the address",
            outcome_by_id=practitioner.id,
            outcome_at=utcnow(),
        )
    )
    mapping = MappingMeeting(
        concern_id=concern.id,
        route_decision_id=decision.id,
        decided_on=utcnow().date(),
        due_on=utcnow().date(),
        weighting="high",
        weighting_reasons="daily recruiting at the park",
        conference_to_follow=True,
    )
    session.add(mapping)
    session.flush()
    assert mapping.id is not None
    session.add(MappingMember(mapping_id=mapping.id, description="older lad called T", added_by_id=practitioner.id))
    # A context conference (part 6): closed with a short plan's reason, its review moved; a note, an action.
    conference = ContextConference(
        mapping_id=mapping.id,
        concern_id=concern.id,
        kind="peer_group",
        opened_on=utcnow().date(),
        due_on=utcnow().date(),
        short_plan_reason="the fire alarm went off",
        review_move_reason="the chair is ill",
    )
    session.add(conference)
    session.flush()
    assert conference.id is not None
    session.add(ConferenceNote(conference_id=conference.id, field="adults_of_concern", text="a man called D"))
    session.add(
        ConferenceAction(
            conference_id=conference.id,
            domain="target_contexts",
            action="patrol the park",
            owner="PC Hughes",
            due_on=utcnow().date(),
            added_by_id=practitioner.id,
        )
    )
    # A partner's update on an agency action (issue 10), and a phone's push keys (issue 10).
    action = session.exec(select(AgencyAction)).first()
    assert action is not None and action.id is not None
    session.add(
        AgencyActionUpdate(
            action_id=action.id, practitioner_id=practitioner.id, written_by="PC Hughes", note="patrolled Friday"
        )
    )
    member = session.exec(select(FamilyMember)).first()
    assert member is not None and member.id is not None
    session.add(
        PushSubscription(member_id=member.id, endpoint="https://push.example/phone", p256dh="BPhoneKey", auth="secret")
    )
    # An incident (issue 10), its review kept with a reason.
    session.add(
        Incident(
            child_id=child.id,
            kind="missing_episode",
            occurred_at=utcnow(),
            what_happened="missing overnight, found in Eastgate",
            recorded_by_id=practitioner.id,
            review_choice="keep",
            review_kept_because="the review is next week anyway",
        )
    )
    session.commit()


def test_r27_rotation_moves_every_value_to_the_new_key_and_keeps_it_readable(
    db: Session, use_keys: Callable[[str], None], figures: Figures
) -> None:
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    use_keys(key_a)
    seed_every_encrypted_column(db)
    before = stored_ciphertexts(db.connection())
    originals = {address: FieldCipher.decrypt(value) for address, value in before.items()}
    # The data covers every encrypted column, so a column the rotation skipped would show up below.
    expected_columns = {
        (table.name, column.name) for table, columns in encrypted_columns().items() for column in columns
    }
    assert {(table, column) for table, _key, column in before} == expected_columns
    assert ("child", "school") in expected_columns  # issue 9: the school typed when a young person is added
    # Agreed versions are frozen to the ORM; rotation must still reach their safe word.
    agreed = db.exec(select(PlanVersion.id).where(col(PlanVersion.agreed_at).is_not(None))).all()
    assert any(("plan_version", (version_id,), "safe_word") in before for version_id in agreed)

    use_keys(f"{key_b},{key_a}")
    # A batch of 3 makes every table with more than 3 rows take several batches.
    results = rotate_keys(connection=db.connection(), batch_size=3)

    use_keys(key_b)  # the old key is gone
    after = stored_ciphertexts(db.connection())
    assert after.keys() == before.keys()
    unchanged = [address for address in before if after[address] == before[address]]
    assert unchanged == []
    wrong = [address for address, value in after.items() if FieldCipher.decrypt(value) != originals[address]]
    assert wrong == []
    old_key = Fernet(key_a.encode())
    still_on_old_key = []
    for address, value in after.items():
        try:
            old_key.decrypt(value.encode())
            still_on_old_key.append(address)
        except InvalidToken:
            pass
    assert still_on_old_key == []
    # Counts per table match what is stored, and the app reads the rotated values through the ORM.
    counts = {result.table: result.values for result in results}
    assert counts == {table: sum(1 for t, _k, _c in before if t == table) for table in counts}
    assert sum(counts.values()) == len(before)
    figures.add("r27.values_rotated", sum(counts.values()))
    db.expire_all()
    child = db.exec(select(Child).order_by(col(Child.id))).first()
    assert child is not None
    assert child.first_name == originals[("child", (child.id,), "first_name")]


def test_r27_a_retired_key_fails_closed_even_for_values_this_process_has_read(
    use_keys: Callable[[str], None],
) -> None:
    # Each process keeps the values it decrypted, by ciphertext (app.crypto): read once, a token is
    # answered from memory. Setting the keys must forget them, or a key retired because it leaked
    # would still open what was read before.
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    use_keys(key_a)
    token = FieldCipher.encrypt("Aunt Dee, 07700 900456")
    assert FieldCipher.decrypt(token) == "Aunt Dee, 07700 900456"
    assert FieldCipher.decrypt(token) == "Aunt Dee, 07700 900456"  # kept: answered again, the same

    use_keys(key_b)
    with pytest.raises(RuntimeError, match="could not be decrypted"):
        FieldCipher.decrypt(token)

    # A token that fails is not kept as failing either: with its key back, it opens.
    use_keys(f"{key_b},{key_a}")
    assert FieldCipher.decrypt(token) == "Aunt Dee, 07700 900456"


def test_r27_a_changed_value_is_read_as_changed_by_the_process_that_read_it_before(db: Session) -> None:
    # The kept values are keyed by their ciphertext, and every write is a new one (Fernet's random
    # IV), so new words are never answered with the old ones: not even the same words written again.
    case = people.case(db)
    child_id = case.child.id
    address = ("child", (child_id,), "preferred_name")

    def read_back() -> str:
        db.expire_all()
        child = db.get(Child, child_id)
        assert child is not None
        return child.preferred_name

    tokens = []
    for name in ("Jay", "JJ", "Jay"):
        child = db.get(Child, child_id)
        assert child is not None
        child.preferred_name = name
        db.commit()
        assert read_back() == name
        assert read_back() == name  # the second read is answered from what the process kept
        tokens.append(stored_ciphertexts(db.connection())[address])
    assert len(set(tokens)) == 3  # the same words twice, two different tokens


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind the suite runs on: the command commits, so not the shared one."""
    with scratch_database(tmp_path, "rotation") as url:
        yield url


def test_r27_rotate_keys_command_commits_and_prints_counts_not_values(
    scratch_url: str,
    use_keys: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    migrate(scratch_url)
    use_keys(key_a)
    engine = make_engine(scratch_url)
    try:
        with Session(engine) as session:
            seed_every_encrypted_column(session)
            preferred_names = list(session.exec(select(Child.preferred_name).order_by(col(Child.id))))
        capsys.readouterr()

        for name, value in {
            "SAFER_PLAN_ENV": "test",
            "DATABASE_URL": scratch_url,
            "FIELD_ENCRYPTION_KEYS": f"{key_b},{key_a}",
        }.items():
            monkeypatch.setenv(name, value)
        host = create_app()
        result = host.test_cli_runner().invoke(args=["rotate-keys", "--batch-size", "2"])
        host.database.engine.dispose()
        assert result.exit_code == 0, result.output
        printed = result.output

        use_keys(key_b)
        with Session(engine) as session:
            assert list(session.exec(select(Child.preferred_name).order_by(col(Child.id)))) == preferred_names
            stored = stored_ciphertexts(session.connection())
    finally:
        engine.dispose()
    for table in encrypted_columns():
        values = sum(1 for t, _k, _c in stored if t == table.name)
        assert f"  {table.name}: {values} values in " in printed
    # Neither plaintext nor ciphertext reaches the terminal.
    assert not [name for name in preferred_names if name in printed]
    assert not [value for value in stored.values() if value in printed]
