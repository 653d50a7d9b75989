"""A world built once per test module on the demo database, each test in a savepoint rolled back after it.

tests/conftest.py's `db` rolls back a whole transaction after each test, so a fixture that builds
rows for a test (ids to fill paths with, people signed in) builds them again for every test. A
module whose tests all start from the same rows can build them once instead: `module_transaction`
holds a transaction open on the demo database for the module, the world is built inside it, and
`savepoint_session` gives each test a session in a savepoint of that transaction, rolled back after
the test, so every test starts from the demo plus the world, exactly as when it was built per test.
The module is kept on one pytest-xdist worker (--dist loadfile), so the transaction is opened once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from app import SaferPlan
from app.api.door import api_limiter
from app.demo.seed import DemoPeople
from app.web.limits import family_limiter, practitioner_limiter


class SeededDatabase(Protocol):
    """conftest.py's session-scoped `demo_database`: the seeded copy's engine and the demo's people."""

    @property
    def engine(self) -> Engine: ...

    @property
    def people(self) -> DemoPeople: ...


def _reset_limits() -> None:
    family_limiter.reset()
    practitioner_limiter.reset()
    api_limiter.reset()


@contextmanager
def module_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection with a transaction open for the module's tests, rolled back at the end."""
    connection = engine.connect()
    transaction = connection.begin()
    try:
        yield connection
    finally:
        if transaction.is_active:
            transaction.rollback()
        connection.close()


@contextmanager
def bound_session(application: SaferPlan, connection: Connection) -> Iterator[Session]:
    """The app's sessions (and this one) join `connection`'s transaction while the block runs; what
    they commit stays in that transaction. The session reads the demo (conftest.py's `demo` checks)."""
    application.database.bind_to(connection)
    session = application.database.session()
    session.info["demo"] = True
    try:
        yield session
    finally:
        session.close()
        application.database.unbind()
        _reset_limits()


@contextmanager
def savepoint_session(application: SaferPlan, connection: Connection) -> Iterator[Session]:
    """One test's session, in a savepoint of the module's transaction rolled back after the test."""
    savepoint = connection.begin_nested()
    try:
        with bound_session(application, connection) as session:
            yield session
    finally:
        if savepoint.is_active:
            savepoint.rollback()
