"""easy-read choice: family_member.easy_read

Revision ID: 0008
Revises: 0007

Whether a family member reads their plan pages in easy-read words (issue 4: reading). Existing
people keep the usual words until they choose otherwise.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('easy_read', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.drop_column('easy_read')
