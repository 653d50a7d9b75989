"""agency_action.done_on / done_by: an agency partner marks their action done

Revision ID: 0018
Revises: 0017
Issue 10 item 5: whoever owns an agency action marks it done, with the day and who. The mark is
kept on the draft's row (agreed versions never change) and carried into each new draft with the
rest of the row. Actions from before this are not done (NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018'
# The lead re-chains this after the other branches' revisions.
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('agency_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('done_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('done_by', sa.String(length=120), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('agency_action', schema=None) as batch_op:
        batch_op.drop_column('done_by')
        batch_op.drop_column('done_on')
