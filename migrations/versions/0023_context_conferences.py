"""context conferences: the conference a mapping meeting's weighting opens, its agenda notes and plan

Revision ID: 0023
Revises: 0022
Issue 12 (part 6): context_conference (peer group, school or neighbourhood; due within 15 working
days of the weighting; the time kept for the plan, the close and the review date, a moved review
with the chair's consent), conference_note (what was recorded under each heading of seed 000's
agenda) and conference_action (the plan's actions in the four domains, with owner and date).
Every free-text column is encrypted by the app (EncryptedText).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('context_conference',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mapping_id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('meets_on', sa.Date(), nullable=True),
    sa.Column('plan_started', sa.Time(), nullable=True),
    sa.Column('plan_ended', sa.Time(), nullable=True),
    sa.Column('short_plan_reason', sa.Text(), nullable=True),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('review_moved_from', sa.Date(), nullable=True),
    sa.Column('review_move_reason', sa.Text(), nullable=True),
    sa.Column('review_moved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['practitioner.id'], name=op.f('fk_context_conference_closed_by_id_practitioner')),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_context_conference_concern_id_concern')),
    sa.ForeignKeyConstraint(['mapping_id'], ['mapping_meeting.id'], name=op.f('fk_context_conference_mapping_id_mapping_meeting')),
    sa.ForeignKeyConstraint(['review_moved_by_id'], ['practitioner.id'], name=op.f('fk_context_conference_review_moved_by_id_practitioner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_context_conference'))
    )
    with op.batch_alter_table('context_conference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_context_conference_closed_by_id'), ['closed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_context_conference_concern_id'), ['concern_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_context_conference_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_context_conference_mapping_id'), ['mapping_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_context_conference_review_moved_by_id'), ['review_moved_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_context_conference_review_on'), ['review_on'], unique=False)

    op.create_table('conference_action',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('domain', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['practitioner.id'], name=op.f('fk_conference_action_added_by_id_practitioner')),
    sa.ForeignKeyConstraint(['conference_id'], ['context_conference.id'], name=op.f('fk_conference_action_conference_id_context_conference')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conference_action'))
    )
    with op.batch_alter_table('conference_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_action_added_by_id'), ['added_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conference_action_conference_id'), ['conference_id'], unique=False)

    op.create_table('conference_note',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['context_conference.id'], name=op.f('fk_conference_note_conference_id_context_conference')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conference_note')),
    sa.UniqueConstraint('conference_id', 'field', name='uq_conference_note_field')
    )
    with op.batch_alter_table('conference_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_note_conference_id'), ['conference_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('conference_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_note_conference_id'))

    op.drop_table('conference_note')
    with op.batch_alter_table('conference_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_action_conference_id'))
        batch_op.drop_index(batch_op.f('ix_conference_action_added_by_id'))

    op.drop_table('conference_action')
    with op.batch_alter_table('context_conference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_context_conference_review_on'))
        batch_op.drop_index(batch_op.f('ix_context_conference_review_moved_by_id'))
        batch_op.drop_index(batch_op.f('ix_context_conference_mapping_id'))
        batch_op.drop_index(batch_op.f('ix_context_conference_due_on'))
        batch_op.drop_index(batch_op.f('ix_context_conference_concern_id'))
        batch_op.drop_index(batch_op.f('ix_context_conference_closed_by_id'))

    op.drop_table('context_conference')
