"""audit_event.txid: the writing transaction's id, so the API's changes feed never skips a late commit

Revision ID: 0029
Revises: 0028
Issue 11 (the changes feed). On PostgreSQL the column defaults to pg_current_xact_id() (PostgreSQL
13+), set for new rows only: adding a nullable column and then a default rewrites no existing row
(the append-only triggers stay as they are). Rows written before stay NULL and are never in the
feed, which starts from "now". SQLite has one writer at a time, so it keeps NULL: ids are in commit
order there. The index serves the feed's (txid, id) order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_event", sa.Column("txid", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_event ALTER COLUMN txid SET DEFAULT (pg_current_xact_id()::text::bigint)")
    op.create_index("ix_audit_event_txid_id", "audit_event", ["txid", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_event_txid_id", table_name="audit_event")
    # Not batch mode: on SQLite (3.35+ drops a column in place) a copied table would lose its append-only triggers.
    op.drop_column("audit_event", "txid")
