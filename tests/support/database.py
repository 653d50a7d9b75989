"""A real test database: SQLite in a temporary file by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.commands import alembic_config
from app.jobs import queue


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


def worker_database_env(env: Mapping[str, str]) -> dict[str, str]:
    """DATABASE_URL for this pytest-xdist worker: `<name>_<worker>` on PostgreSQL, so workers never
    share rows, locks or a dropped schema. Nothing changes outside xdist or on SQLite (each worker
    already has its own temporary directory)."""
    url, worker = env.get("DATABASE_URL", ""), env.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker or url.startswith("sqlite"):
        return {}
    parsed = make_url(url)
    return {"DATABASE_URL": parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)}


def sibling_database_url(url: str, suffix: str) -> str:
    """Another database beside the suite's: `<name>_<suffix>` on PostgreSQL, `<file>-<suffix>` on SQLite."""
    parsed = make_url(url)
    if url.startswith("sqlite"):
        path = Path(parsed.database or "")
        return parsed.set(database=str(path.with_name(f"{path.stem}-{suffix}{path.suffix}"))).render_as_string()
    return parsed.set(database=f"{parsed.database}_{suffix}").render_as_string(hide_password=False)


def create_database_if_missing(url: str) -> None:
    """Make a PostgreSQL database the suite may use (a worker's own one the first time it runs)."""
    if url.startswith("sqlite"):
        return
    parsed = make_url(url)
    # AUTOCOMMIT: PostgreSQL refuses CREATE DATABASE inside a transaction.
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database})
            if exists.first() is None:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()


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


@contextmanager
def scratch_database(directory: Path, suffix: str) -> Iterator[str]:
    """A database of its own, of the kind the suite runs on, for code that commits or migrates:
    a SQLite file in `directory`, or `<name>_<suffix>` on the suite's PostgreSQL server (dropped
    after, whether the test passed or not: a failing test left it behind on the server)."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield f"sqlite:///{directory / f'{suffix}.sqlite3'}"
        return
    url = make_url(base)
    name = f"{url.database}_{suffix}"
    # AUTOCOMMIT: PostgreSQL refuses CREATE/DROP DATABASE inside a transaction.
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    jobs_before = _jobs_backend()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            _jobs_off(name, jobs_before)
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _jobs_backend() -> queue.Backend | None:
    try:
        return queue.backend()
    except RuntimeError:  # no app built yet in this process
        return None


def _jobs_off(database: str, before: queue.Backend | None) -> None:
    """If an app a test built on `database` made its job backend this process's (app.jobs.queue),
    close it and put back the one before. Left in place, it sent the jobs of every later commit
    in this process (a plan change's push fan-out) to the dropped database, and procrastinate's
    pool waited 30 s for a connection each time before giving up (three tests' setups on a run)."""
    current = _jobs_backend()
    if current is None or current is before:
        return
    if make_url(current.context.settings.database_url).database != database:
        return
    close = getattr(current, "close", None)
    if callable(close):
        close()
    if before is not None:
        queue.reinstate(before)
