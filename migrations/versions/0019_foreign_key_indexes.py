"""indexes on the foreign keys that a family member's or a passkey's removal looks up

Revision ID: 0019
Revises: 0018

Issue 13: deleting one family member spent 200 ms in foreign-key checks at 880k statements, and
"whose idea is this" and a carer's own commitments scanned their tables: the columns that point at
a family member (statements, contacts and places they wrote; a carer's commitments) and a
session's passkey had no index. PostgreSQL does not index a foreign key's referencing side by
itself; SQLite neither.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXED = (
    ("child_statement", "written_by_member_id"),
    ("emergency_contact", "written_by_member_id"),
    ("place", "written_by_member_id"),
    ("carer_commitment", "member_id"),
    ("sign_in_session", "passkey_id"),
)


def upgrade() -> None:
    for table, column in INDEXED:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in INDEXED:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
