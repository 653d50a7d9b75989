"""A real test database: SQLite in a temporary file by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.cli import alembic_config


def suite_database_url(tmp_dir: Path) -> str:
    """The URL tests use: DATABASE_URL if set (it must name a throwaway database), else SQLite."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}"
    name = make_url(url).database or ""
    # Tests wipe the database: refuse anything that does not look like a test database.
    if not (name == "test" or name.startswith("test_") or name.endswith("_test")):
        raise RuntimeError(f"refusing to run tests against database {name!r}: name it test or *_test")
    return url


def reset_database(url: str) -> None:
    """Empty the database (PostgreSQL: drop the public schema) so migrations start from nothing."""
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and Path(path).exists():
            Path(path).unlink()
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)
