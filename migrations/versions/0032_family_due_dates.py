"""plan_action.due_on / done_on and carer_commitment.due_on: family actions can fall overdue

Revision ID: 0032
Revises: 0031

Issue 10 item 4: the work tray shows overdue actions of the agencies, the parents and the young
person. Only agency actions had a date; a prioritised action and a carer commitment had "by/at"
words alone. Each gets an optional due date (None: ongoing or repeating, never late by date), and
a prioritised action the day it was done. Rows from before this have no date (NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0032'
down_revision: str | None = '0031'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('done_on', sa.Date(), nullable=True))
    with op.batch_alter_table('carer_commitment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('carer_commitment', schema=None) as batch_op:
        batch_op.drop_column('due_on')
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_column('done_on')
        batch_op.drop_column('due_on')
