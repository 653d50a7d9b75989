"""family_member.language: the language a family member chose for their pages

Revision ID: 0021
Revises: 0020
Issue 15: a family member's language is kept with the person, like easy read, so it follows them
to a new phone. NULL (everyone until they choose) follows the browser's Accept-Language.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0021'
# After the framework branch's 0020 (concerns and assessments).
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('family_member', schema=None) as batch_op:
        batch_op.drop_column('language')
