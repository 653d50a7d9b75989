"""audit log, sharing and break glass

Revision ID: 0002
Revises: 0001

The change journal (change_record) becomes the audit log (audit_event), which also records reads
and denials; its rows are copied across. Database triggers make the audit log append-only.
Create Date: 2026-11-23 12:04:06.213426
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_child_id'), ['child_id'], unique=False)

    op.create_table('break_glass_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ended_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_break_glass_grant_child_id_child')),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'], name=op.f('fk_break_glass_grant_practitioner_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_break_glass_grant'))
    )
    with op.batch_alter_table('break_glass_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_break_glass_grant_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_break_glass_grant_practitioner_id'), ['practitioner_id'], unique=False)

    op.create_table('section_share',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('section', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('visible', sa.Boolean(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_section_share_child_id_child')),
    sa.ForeignKeyConstraint(['member_id'], ['family_member.id'], name=op.f('fk_section_share_member_id_family_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_share')),
    sa.UniqueConstraint('child_id', 'member_id', 'section', name='uq_section_share_person_section')
    )
    with op.batch_alter_table('section_share', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_share_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_section_share_member_id'), ['member_id'], unique=False)

    op.execute(
        "INSERT INTO audit_event (at, actor, child_id, kind, action, entity, entity_id, detail) "
        "SELECT at, actor, child_id, 'write', action, entity, entity_id, '' FROM change_record"
    )
    with op.batch_alter_table('change_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_record_at'))
        batch_op.drop_index(batch_op.f('ix_change_record_child_id'))

    op.drop_table('change_record')
    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
            )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


def downgrade() -> None:
    _drop_append_only_triggers()
    op.create_table('change_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_change_record_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_record'))
    )
    with op.batch_alter_table('change_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_record_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_record_at'), ['at'], unique=False)

    # Only writes existed before this revision; reads and denials have nowhere to go.
    op.execute(
        "INSERT INTO change_record (at, actor, child_id, entity, entity_id, action) "
        "SELECT at, actor, child_id, entity, entity_id, substr(action, 1, 20) FROM audit_event WHERE kind = 'write'"
    )

    with op.batch_alter_table('section_share', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_share_member_id'))
        batch_op.drop_index(batch_op.f('ix_section_share_child_id'))

    op.drop_table('section_share')
    with op.batch_alter_table('break_glass_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_break_glass_grant_practitioner_id'))
        batch_op.drop_index(batch_op.f('ix_break_glass_grant_child_id'))

    op.drop_table('break_glass_grant')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_child_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor'))

    op.drop_table('audit_event')
