"""plan.review_on: the review date as it stands, kept on the plan for the work tray to sort by

Revision ID: 0034
Revises: 0033

Issue 13, measured by `make bench-scale` (50,000 children on PostgreSQL). The work tray lists a
worker's cases soonest review first. The review date as it stands is the latest agreed version's,
or sooner if an incident brought it forward; worked out per case, that was two look-ups into the
versions and one into the incidents for every case before the sort: for the 5,000-case worker,
24 ms of PostgreSQL's time on each page, the most of any statement. It is now kept on the plan by
the two writes that change it (agreeing a version, app.plans.versions.agree_draft; an incident
bringing the review forward, app.incidents.operations), so the tray sorts a column it reads from
the open-plan index.

The existing plans get it worked out here the same way the tray did.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The review date as it stands, per plan (what app.incidents.queries.review_on works out for the
# latest agreed version): the earliest date an incident brought it forward to, else the agreed date.
_BACKFILL = """
UPDATE plan SET review_on = (
    SELECT coalesce(
        (SELECT min(incident.review_moved_to) FROM incident
          WHERE incident.review_version_id = latest.id AND incident.review_choice = 'bring_forward'),
        latest.review_date)
    FROM plan_version AS latest
    WHERE latest.plan_id = plan.id AND latest.agreed_at IS NOT NULL
    ORDER BY latest.number DESC
    LIMIT 1
)
"""


def _open_plan_index(include: list[str]) -> None:
    op.create_index(
        "ix_plan_open_by_child",
        "plan",
        ["child_id"],
        postgresql_include=include,
        postgresql_where=sa.text("status = 'open'"),
        sqlite_where=sa.text("status = 'open'"),
    )


def upgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_on", sa.Date(), nullable=True))
    op.execute(_BACKFILL)
    # The tray reads an open plan's id, meeting type and now its review date from the index alone.
    op.drop_index("ix_plan_open_by_child", table_name="plan")
    _open_plan_index(["id", "meeting_type", "review_on"])


def downgrade() -> None:
    op.drop_index("ix_plan_open_by_child", table_name="plan")
    _open_plan_index(["id", "meeting_type"])
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("review_on")
