"""R26: migrations run up and down with data, and match the models exactly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.models_base import metadata
from tests.support.database import downgrade, migrate, reset_database


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind the suite runs on, separate from the shared one."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = make_url(base)
    name = f"{url.database}_migrations"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_r26_upgrade_from_empty_downgrade_and_upgrade_again_keeping_data(scratch_url: str) -> None:
    reset_database(scratch_url)
    migrate(scratch_url)
    engine = create_engine(scratch_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO practitioner (email, display_name, role, agency, team, phone, password_hash, active,"
                " created_at, updated_at, created_by, updated_by, revision) VALUES ('a@example.org', 'A',"
                " 'social_worker', 'childrens_social_work', '', '', 'x', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
                " 'system', 'system', 1)"
            )
        )
    assert "plan_version" in inspect(engine).get_table_names()
    # Down to base and back up: the schema is rebuilt from nothing.
    downgrade(scratch_url, "base")
    assert "plan_version" not in inspect(engine).get_table_names()
    migrate(scratch_url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM practitioner")).scalar_one() == 0
    engine.dispose()


def test_migrations_match_the_models(database_url: str) -> None:
    """A model change without a migration fails here (the shared database is at head)."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == []
