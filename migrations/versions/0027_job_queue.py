"""job queue: procrastinate's schema (PostgreSQL), notices for practitioners, the in-process schedule

Revision ID: 0027
Revises: 0026
Issue 10 (item 3): jobs that run themselves (app/jobs).
- PostgreSQL only: procrastinate's tables, types, functions and triggers, from the SQL the installed
  procrastinate ships (procrastinate.schema.SchemaManager.get_schema(): requirements pin 3.10.0). A
  later procrastinate release may change its schema: its own migration files
  (SchemaManager.get_migrations_path()) then go in a new Alembic revision, in order.
- Every database: practitioner_notice (review reminders, overdue notices; its unique key is the
  "sent once" record) and job_schedule (the in-process scheduler's claims on SQLite).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Everything procrastinate's schema creates is named procrastinate_* (indexes go with their tables,
# triggers with procrastinate_jobs); downgrade drops them by that prefix.
_DROP_PROCRASTINATE = """
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate\\_%' LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.tablename);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%' LOOP
    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', r.signature);
  END LOOP;
  FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\\_%' AND t.typtype IN ('e', 'c') LOOP
    EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', r.typname);
  END LOOP;
END $$;
"""


def _run_raw(sql: str) -> None:
    # The SQL as it is, through psycopg with no parameters: neither SQLAlchemy's ":name" binds nor
    # psycopg's "%" placeholders may touch it. Same connection, same transaction as the migration.
    op.get_bind().connection.driver_connection.execute(sql)  # type: ignore[union-attr]


def upgrade() -> None:
    op.create_table(
        "practitioner_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("key_day", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"], name=op.f("fk_practitioner_notice_child_id_child")),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["practitioner.id"], name=op.f("fk_practitioner_notice_practitioner_id_practitioner")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practitioner_notice")),
        sa.UniqueConstraint("kind", "subject_id", "key_day", name="uq_practitioner_notice_once"),
    )
    with op.batch_alter_table("practitioner_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practitioner_notice_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_practitioner_notice_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_practitioner_notice_practitioner_id"), ["practitioner_id"], unique=False)

    op.create_table(
        "job_schedule",
        sa.Column("task_name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("last_slot", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("task_name", name=op.f("pk_job_schedule")),
    )

    if op.get_bind().dialect.name == "postgresql":
        from procrastinate.schema import SchemaManager

        _run_raw(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _run_raw(_DROP_PROCRASTINATE)
    op.drop_table("job_schedule")
    with op.batch_alter_table("practitioner_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practitioner_notice_practitioner_id"))
        batch_op.drop_index(batch_op.f("ix_practitioner_notice_created_at"))
        batch_op.drop_index(batch_op.f("ix_practitioner_notice_child_id"))
    op.drop_table("practitioner_notice")
