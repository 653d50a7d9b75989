"""carer_commitment.done_at: dropped, never written

Revision ID: 0035
Revises: 0034

A carer marks a commitment done in the family's version by an update of its own (app.commitments,
commitment_update: append-only, the latest says done or not); the agreed commitment itself never
changes. The column from the first schema was never written by anything, and every plan page read
it. Downgrading adds it back, empty, as it always was.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("carer_commitment", schema=None) as batch_op:
        batch_op.drop_column("done_at")


def downgrade() -> None:
    with op.batch_alter_table("carer_commitment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
