"""api tokens: practitioners' personal access tokens for the JSON API, and the token on audit rows

Revision ID: 0017
Revises: 0015

`api_token` keeps a hash of each token (never the token), its scope, expiry and revocation.
`audit_event.api_token_id` says which token made an API call (NULL for the web doors). It is added
and dropped in place, not by a batch copy, so SQLite's append-only triggers on the audit log stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioner.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_api_token_practitioner_id"), "api_token", ["practitioner_id"], unique=False)
    op.create_index(op.f("ix_api_token_token_hash"), "api_token", ["token_hash"], unique=True)
    op.add_column("audit_event", sa.Column("api_token_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_event", "api_token_id")
    op.drop_index(op.f("ix_api_token_token_hash"), table_name="api_token")
    op.drop_index(op.f("ix_api_token_practitioner_id"), table_name="api_token")
    op.drop_table("api_token")
