"""caseload indexes: live case assignments, open plans, agreed versions (partial, covering on PostgreSQL)

Revision ID: 0033
Revises: 0032

Issue 13, measured by `make bench-scale` (50,000 children on PostgreSQL). To order the 5,000-case
worker's caseload by review date, the work tray reads, for each case, the child's open plan and
that plan's latest agreed version; a manager's tray also lists the live allocations of the 40
workers in their team. With only single-column indexes, each of these read the table beside the
index (55,000 buffers a page for the 5,000 cases) and the team's allocations scanned every
assignment. These partial indexes hold only the rows the tray asks for (live assignments, open
plans, agreed versions), and on PostgreSQL carry the columns it reads, so it reads the index alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _where(condition: str) -> dict[str, sa.TextClause]:
    return {"postgresql_where": sa.text(condition), "sqlite_where": sa.text(condition)}


def upgrade() -> None:
    op.create_index(
        "ix_case_assignment_live_by_practitioner",
        "case_assignment",
        ["practitioner_id", "case_role", "child_id"],
        **_where("ended_on IS NULL"),
    )
    op.create_index(
        "ix_case_assignment_live_by_child",
        "case_assignment",
        ["child_id", "id"],
        postgresql_include=["practitioner_id", "case_role"],
        **_where("ended_on IS NULL"),
    )
    op.create_index(
        "ix_plan_open_by_child",
        "plan",
        ["child_id"],
        postgresql_include=["id", "meeting_type"],
        **_where("status = 'open'"),
    )
    op.create_index(
        "ix_plan_version_agreed",
        "plan_version",
        ["plan_id", "number"],
        postgresql_include=["id", "review_date"],
        **_where("agreed_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_plan_version_agreed", table_name="plan_version")
    op.drop_index("ix_plan_open_by_child", table_name="plan")
    op.drop_index("ix_case_assignment_live_by_child", table_name="case_assignment")
    op.drop_index("ix_case_assignment_live_by_practitioner", table_name="case_assignment")
