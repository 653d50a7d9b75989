"""encrypt invitation names

Revision ID: 0005
Revises: 0004

Invitation names were plain text while the same name on family_member is encrypted (R27).
Create Date: 2026-11-23 12:59:45.889136
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _cipher() -> type:
    """The app's field cipher, configured from the environment only if nothing configured it yet
    (the running app, or a test session, may already hold the keys)."""
    from app.config import load_settings
    from app.crypto import FieldCipher

    if FieldCipher._fernet is None:  # noqa: SLF001 - configure once, never replace live keys
        FieldCipher.configure(load_settings().field_encryption_keys)
    return FieldCipher


def _convert(transform_name: str) -> None:
    invitation = sa.table("invitation", sa.column("id", sa.Integer), sa.column("display_name", sa.Text))
    bind = op.get_bind()
    rows = bind.execute(sa.select(invitation.c.id, invitation.c.display_name)).all()
    if not rows:
        return
    transform = getattr(_cipher(), transform_name)
    for row_id, value in rows:
        bind.execute(invitation.update().where(invitation.c.id == row_id).values(display_name=transform(value)))


def upgrade() -> None:
    # Widen the column first (ciphertext is longer than 120 characters), then encrypt what is there.
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.alter_column(
            "display_name", existing_type=sa.VARCHAR(length=120), type_=sa.Text(), existing_nullable=False
        )
    _convert("encrypt")


def downgrade() -> None:
    _convert("decrypt")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.alter_column(
            "display_name", existing_type=sa.Text(), type_=sa.VARCHAR(length=120), existing_nullable=False
        )
