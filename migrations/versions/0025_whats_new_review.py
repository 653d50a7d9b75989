"""plan_seen.review_on and review_moved_from: "what's new" tells of a review brought forward

Revision ID: 0025
Revises: 0024
Issue 10: an incident can bring the review forward without a new agreed version, so comparing
versions never noticed it. The bookmark now keeps the review date as it was last shown
(`review_on`) and, until "Got it", the date it was before it moved (`review_moved_from`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('plan_seen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('review_moved_from', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('plan_seen', schema=None) as batch_op:
        batch_op.drop_column('review_moved_from')
        batch_op.drop_column('review_on')
