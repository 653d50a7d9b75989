"""Fixtures per interface and per role, on a real database rolled back after each test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

# Settings are read from the environment when the app is built: say this is a test run first.
os.environ["SAFER_PLAN_ENV"] = "test"
# Live streams close after 2 s in tests (5 minutes in use), so a test that reads a stream's whole
# answer waits no longer; those that read every route close them at once (streams_say_all_at_once).
os.environ.setdefault("LIVE_STREAM_SECONDS", "2")
# Push notices go to a local push service on http://127.0.0.1 in tests (tests/support/push_service.py);
# outside tests an endpoint must be https (app.push.sending.endpoint_allowed).
os.environ.setdefault("PUSH_ALLOW_LOCAL_HTTP", "on")
# Under pytest-xdist (`make test`), each worker process gets a PostgreSQL database of its own
# (test_gw0, test_gw1…), made if missing; every scratch database and test server follows it.
from tests.support.database import worker_database_env

os.environ.update(worker_database_env(os.environ))

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import SaferPlan, create_app
from app.api.door import api_limiter
from app.auth.models import AccountKind
from app.config import load_settings
from app.db import Database, make_engine
from app.demo.seed import DemoPeople, load_demo
from app.people.models import Practitioner
from app.web.limits import family_limiter, practitioner_limiter
from tests.support.clients import CsrfClient, make_client
from tests.support.database import (
    create_database_if_missing,
    migrate,
    reset_database,
    sibling_database_url,
    suite_database_url,
)
from tests.support.signin import sign_in_as

pytest_plugins = ["tests.support.figures", "tests.support.passkey_flows", "tests.factories.fixtures"]

# Under pytest-xdist (`make test`: --dist loadfile) a worker runs a whole file, and is handed the next
# file in the queue once it is nearly done. xdist's own queue puts the files with the most tests first,
# which left the files that run longest (a few slow tests each: the contract fuzzer, the page walks)
# for the end, one worker running them while the other waited. These are the files that run longest
# (measured: `--durations=0`, summed per file), longest first; the rest follow in collection order,
# so the queue ends with short files. `make test` passes --no-loadscope-reorder to keep this order.
LONGEST_FIRST = (
    "tests/security/test_bad_input.py",
    "tests/security/test_controls_match_permissions.py",
    "tests/security/test_api_contract_fuzz.py",
    "tests/security/test_forms_fuzz.py",
    "tests/security/test_access_matrix.py",
    "tests/security/test_races.py",
    "tests/unit/test_migrations.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: place for place, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = suite_database_url(Path(tmp_path_factory.mktemp("db")))
    create_database_if_missing(url)
    reset_database(url)
    migrate(url)
    return url


@pytest.fixture(scope="session")
def application(database_url: str) -> Iterator[SaferPlan]:
    settings = load_settings({**os.environ, "DATABASE_URL": database_url, "SAFER_PLAN_ENV": "test"})
    database = Database(make_engine(database_url))
    yield create_app(settings, database)
    database.engine.dispose()


@dataclass(frozen=True)
class DemoDatabase:
    engine: Engine
    people: DemoPeople


@pytest.fixture(scope="session")
def demo_database(application: SaferPlan, database_url: str) -> Iterator[DemoDatabase]:
    """A second database holding the demo, seeded once per session (per xdist worker).

    Loading the demo takes most of a second; about 370 tests read it. They now run on this copy,
    inside a transaction rolled back after each, exactly as tests without it run on the empty one.
    """
    url = sibling_database_url(database_url, "demo")
    create_database_if_missing(url)
    reset_database(url)
    migrate(url)
    engine = make_engine(url)
    with Session(engine) as session:
        people = load_demo(session)
        session.commit()
    yield DemoDatabase(engine=engine, people=people)
    engine.dispose()


@pytest.fixture
def db(application: SaferPlan, request: pytest.FixtureRequest) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test; the app shares it.

    A test that reads the demo (asks for `demo`, directly or through a role fixture) runs on the
    seeded copy; every other test on the empty database.
    """
    engine = (
        request.getfixturevalue("demo_database").engine
        if "demo" in request.fixturenames
        else application.database.engine
    )
    on_demo = engine is not application.database.engine
    connection = engine.connect()
    transaction = connection.begin()
    application.database.bind_to(connection)
    session = application.database.session()
    session.info["demo"] = on_demo
    try:
        yield session
    finally:
        session.close()
        application.database.unbind()
        if transaction.is_active:
            transaction.rollback()
        connection.close()
        family_limiter.reset()
        practitioner_limiter.reset()
        api_limiter.reset()


@pytest.fixture
def streams_say_all_at_once(application: SaferPlan, monkeypatch: pytest.MonkeyPatch) -> None:
    """Live streams close once they have said what they have to say (the reconnect delay and each
    change since the page's count) rather than wait LIVE_STREAM_SECONDS for more: for tests that
    read the whole answer of every route (the canaries, the controls walk). Nothing changes while
    they read, so the wait added nothing but a keep-alive, and about a minute to every suite run."""
    for door in (application.family, application.practitioner):
        settings = door.config["SAFER_PLAN"]
        monkeypatch.setitem(door.config, "SAFER_PLAN", replace(settings, live_stream_seconds=0))


@pytest.fixture
def demo(db: Session, demo_database: DemoDatabase) -> DemoPeople:
    """The demo's people (Jordan, Kayla, Sam, Alex...), already in the database `db` is bound to."""
    if not db.info.get("demo"):
        # `db` chose its database before anything asked for the demo (request.getfixturevalue
        # inside a test): name `demo` among the test's arguments so `db` binds to the seeded copy.
        pytest.fail("ask for `demo` in the test's arguments: the empty database was already chosen")
    return demo_database.people


@pytest.fixture
def family_client(application: SaferPlan, db: Session) -> CsrfClient:
    return make_client(application.family)


@pytest.fixture
def practitioner_client(application: SaferPlan, db: Session) -> CsrfClient:
    return make_client(application.practitioner)


def _practitioner_id(db: Session, email: str) -> int:
    from sqlmodel import select

    practitioner = db.exec(select(Practitioner).where(Practitioner.email == email)).one()
    return practitioner.id or 0


@pytest.fixture
def young_person(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    client = make_client(application.family)
    sign_in_as(client, session=db, account_kind=AccountKind.FAMILY, account_id=demo.young_person_id)
    return client


@pytest.fixture
def parent(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    client = make_client(application.family)
    sign_in_as(client, session=db, account_kind=AccountKind.FAMILY, account_id=demo.parent_id)
    return client


@pytest.fixture
def trusted_adult(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    client = make_client(application.family)
    sign_in_as(client, session=db, account_kind=AccountKind.FAMILY, account_id=demo.trusted_adult_id)
    return client


@pytest.fixture
def allocated_worker(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    """Sam Okafor, Jordan's allocated social worker."""
    client = make_client(application.practitioner)
    sign_in_as(
        client,
        session=db,
        account_kind=AccountKind.PRACTITIONER,
        account_id=_practitioner_id(db, demo.social_worker_email),
    )
    return client


@pytest.fixture
def unallocated_worker(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    """Alex Morgan, who works with Kayla and has no link to Jordan."""
    client = make_client(application.practitioner)
    sign_in_as(
        client,
        session=db,
        account_kind=AccountKind.PRACTITIONER,
        account_id=_practitioner_id(db, demo.other_worker_email),
    )
    return client


@pytest.fixture
def manager(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    """Morgan Lee, manager of the Adolescent Safety Team (North): reads Jordan's plan (his team's
    case), not Kayla's; searches the audit log about his team's children."""
    client = make_client(application.practitioner)
    account_id = _practitioner_id(db, demo.manager_email)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=account_id)
    return client


@pytest.fixture
def admin(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    """Dana Whitfield: manages accounts and searches the whole audit log, never reads a plan."""
    client = make_client(application.practitioner)
    account_id = _practitioner_id(db, demo.admin_email)
    sign_in_as(client, session=db, account_kind=AccountKind.PRACTITIONER, account_id=account_id)
    return client
