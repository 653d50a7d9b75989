"""incidents: something significant happened on a young person's case, and the review decision

Revision ID: 0024
Revises: 0023
Issue 10 (item 6): incident (what happened, when, encrypted words; the worker's decision about
the review: brought forward to a date, kept with a reason, or no review to move). The agreed
version whose review an incident moved is named (review_version_id): agreed versions never change,
so the review people see is the earliest of the version's own date and the dates it was moved to.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('incident',
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('occurred_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('what_happened', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('review_choice', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('review_version_id', sa.Integer(), nullable=True),
    sa.Column('review_was', sa.Date(), nullable=True),
    sa.Column('review_moved_to', sa.Date(), nullable=True),
    sa.Column('review_kept_because', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_incident_child_id_child')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['practitioner.id'], name=op.f('fk_incident_recorded_by_id_practitioner')),
    sa.ForeignKeyConstraint(['review_version_id'], ['plan_version.id'], name=op.f('fk_incident_review_version_id_plan_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_review_version_id'), ['review_version_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_review_version_id'))
        batch_op.drop_index(batch_op.f('ix_incident_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_incident_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_incident_child_id'))

    op.drop_table('incident')
