"""commitment update number: commitment_update.number, unique per commitment

Revision ID: 0009
Revises: 0008

Each update of a carer's commitment takes the place after the latest one its writer saw, and a
unique constraint on (commitment_id, number) lets only one writer take a place, so two phones
writing at once cannot both be added (SECURITY.md R24). Existing updates are numbered in the order
they were written (by id). Downgrading drops the number; every update and its words stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('commitment_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
    # A correlated count works the same on SQLite and PostgreSQL: the nth update of its commitment.
    op.execute(
        "UPDATE commitment_update SET number = (SELECT COUNT(*) FROM commitment_update AS earlier"
        " WHERE earlier.commitment_id = commitment_update.commitment_id AND earlier.id <= commitment_update.id)"
    )
    with op.batch_alter_table('commitment_update', schema=None) as batch_op:
        batch_op.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint('uq_commitment_update_number', ['commitment_id', 'number'])


def downgrade() -> None:
    with op.batch_alter_table('commitment_update', schema=None) as batch_op:
        batch_op.drop_constraint('uq_commitment_update_number', type_='unique')
        batch_op.drop_column('number')
