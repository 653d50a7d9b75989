"""agency_action_update: partners say how their agency's action is going

Revision ID: 0026
Revises: 0025
Issue 10 item 5: whoever owns an action marks it done or adds an update, and the plan shows its
status and history. An append-only table: updates are never changed or overwritten.
agency_action_update.note is encrypted by the app (EncryptedText).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'agency_action_update',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('practitioner_id', sa.Integer(), nullable=True),
        sa.Column('written_by', sa.String(length=120), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['agency_action.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('agency_action_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_action_update_action_id'), ['action_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('agency_action_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_action_update_action_id'))
    op.drop_table('agency_action_update')
