"""child.school: the young person's school, encrypted

Revision ID: 0015
Revises: 0014
Adding a young person (issue 9) records their school. It is encrypted by the app (EncryptedText),
like their names: a school with a name and a date of birth identifies a child. Children added
before this have no school recorded (NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
# The lead re-chains this after another branch's 0014.
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.add_column(sa.Column('school', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.drop_column('school')
