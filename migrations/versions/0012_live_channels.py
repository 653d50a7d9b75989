"""live channels: how many changes each live channel has seen

Revision ID: 0012
Revises: 0011

Open pages compare this count after reconnecting to the live stream, so a change made while they
were away is never missed (app/live). It holds no plan content: a channel name and a number.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'live_channel',
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False, server_default='0'),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_live_channel')),
    )


def downgrade() -> None:
    op.drop_table('live_channel')
