"""plan_version (plan_id, number): the work tray finds each plan's latest agreed version by index

Revision ID: 0030
Revises: 0029

Issue 13, measured by `make bench-scale` (50,000 children on PostgreSQL): the work tray joins each
case's plan to its latest agreed version on (plan_id, number). With only plan_id indexed,
PostgreSQL hashed every version of every plan (100,000 rows) for each page of the 5,000-case
worker's caseload; with both columns it looks each one up.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0030'
down_revision: str | None = '0029'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_plan_version_plan_id_number", "plan_version", ["plan_id", "number"])


def downgrade() -> None:
    op.drop_index("ix_plan_version_plan_id_number", table_name="plan_version")
