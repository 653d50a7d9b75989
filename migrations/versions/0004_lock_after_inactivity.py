"""lock after inactivity: sign_in_session.locked_at

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:27:24.687687
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: existing sessions are simply unlocked.
    with op.batch_alter_table('sign_in_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sign_in_session', schema=None) as batch_op:
        batch_op.drop_column('locked_at')
