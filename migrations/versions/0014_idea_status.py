"""idea status: a worker brings a family idea into the plan or leaves it as an idea

Revision ID: 0014
Revises: 0013

Statements, emergency contacts and places a family member added to the draft get `idea_status`:
NULL (not decided, or not a family idea), "in_plan" (brought into the plan) or "idea" (left as an
idea: it is kept out of the next agreed version and carried to the draft after it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("child_statement", "emergency_contact", "place")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("idea_status", sa.String(length=10), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("idea_status")
