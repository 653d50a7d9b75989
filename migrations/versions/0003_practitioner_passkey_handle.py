"""practitioner passkey handle

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:08:38.633588
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Add the column empty, give every existing practitioner a random handle, then require it.
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('webauthn_user_handle', sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    practitioner = sa.table('practitioner', sa.column('id', sa.Integer), sa.column('webauthn_user_handle', sa.LargeBinary))
    for (practitioner_id,) in bind.execute(sa.select(practitioner.c.id)).all():
        bind.execute(
            practitioner.update()
            .where(practitioner.c.id == practitioner_id)
            .values(webauthn_user_handle=secrets.token_bytes(32))
        )
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.alter_column('webauthn_user_handle', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_practitioner_webauthn_user_handle'), ['webauthn_user_handle'])


def downgrade() -> None:
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_practitioner_webauthn_user_handle'), type_='unique')
        batch_op.drop_column('webauthn_user_handle')

