"""practitioner_notice.dismissed_at: a practitioner sets a notice aside (issue 10)

Revision ID: 0031
Revises: 0030

A notice set aside leaves its reader's tray. The row stays (its unique key is the record that the
reminder was sent, so setting it aside must not let a sweep send it again).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0031'
down_revision: str | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("practitioner_notice") as batch:
        batch.add_column(sa.Column("dismissed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("practitioner_notice") as batch:
        batch.drop_column("dismissed_at")
