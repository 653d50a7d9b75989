"""Build (or reuse) the council-scale PostgreSQL database `bench_scale`.

Alembic makes the schema, exactly as `flask migrate` does; the rows then go in by COPY in batches
of a few thousand children, never through the ORM row by row. What was built (the schema revision,
how many children, the field-encryption key and door secrets the servers need to read it) is kept
in instance/bench_scale.json: a database whose revision or size differs from the asked one, or
whose key file is missing, is built again. `REBUILD=1` rebuilds; `--drop` drops it.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from alembic import command
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url

from app.auth.passwords import hash_password
from app.commands import alembic_config
from app.crypto import FieldCipher
from bench.scale import people, plans

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STATE_FILE = PROJECT_ROOT / "instance" / "bench_scale.json"
SERVER = "postgresql+psycopg://postgres:postgres@127.0.0.1:5432"
DATABASE = "bench_scale"
# Bump when the data the builder writes changes, so an older database is rebuilt.
FORMAT = 2
BATCH_CHILDREN = 2000
AUDIT_ROWS_PER_CHILD = 30  # 1.5 M rows for 50,000 children: a year of reads and writes
PASSWORD = "bench-password-not-for-real-use"  # noqa: S105 - fictional accounts in a bench database


@dataclass(frozen=True)
class Built:
    """The built database and what serving it needs."""

    url: str
    children: int
    keys: str
    family_secret: str
    practitioner_secret: str
    typical_child: int
    ten_items_child: int
    two_hundred_items_child: int

    def environment(self) -> dict[str, str]:
        return {
            "DATABASE_URL": self.url,
            "FIELD_ENCRYPTION_KEYS": self.keys,
            "FAMILY_SECRET_KEY": self.family_secret,
            "PRACTITIONER_SECRET_KEY": self.practitioner_secret,
        }


def database_url(name: str = DATABASE) -> str:
    return f"{SERVER}/{name}"


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _admin(sql: str) -> None:
    with psycopg.connect(_libpq(database_url("postgres")), autocommit=True) as conn:
        conn.execute(sql)


def drop() -> None:
    """Drop the database and forget its keys."""
    _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    STATE_FILE.unlink(missing_ok=True)


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config(database_url())).get_current_head()
    assert head is not None
    return head


def _current_revision() -> str | None:
    try:
        with psycopg.connect(_libpq(database_url()), connect_timeout=5) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except psycopg.Error:
        return None
    return None if row is None else str(row[0])


def reusable(children: int) -> Built | None:
    """The database already built at this size and schema revision, if there is one."""
    if not STATE_FILE.exists():
        return None
    state = json.loads(STATE_FILE.read_text())
    if state.get("format") != FORMAT or state.get("children") != children or state.get("revision") != _head():
        return None
    if _current_revision() != state["revision"]:
        return None
    return Built(**state["built"])


def build(children: int, progress: Any) -> Built:
    """Drop, migrate and fill the database; returns what serving it needs."""
    started = time.monotonic()
    drop()
    _admin(f"CREATE DATABASE {DATABASE}")
    url = database_url()
    progress(f"migrating {DATABASE} with Alembic")
    command.upgrade(alembic_config(url), "head")
    keys = Fernet.generate_key().decode()
    FieldCipher.configure((keys,))
    caseloads = people.caseloads(children)
    typical = caseloads.cases_of(people.TYPICAL_WORKER)
    built = Built(
        url=url,
        children=children,
        keys=keys,
        family_secret=secrets.token_urlsafe(48),
        practitioner_secret=secrets.token_urlsafe(48),
        typical_child=typical[2],
        ten_items_child=typical[0],
        two_hundred_items_child=typical[1],
    )
    items = {built.ten_items_child: 10, built.two_hundred_items_child: 200}
    now = datetime.now(UTC)
    with psycopg.connect(_libpq(url)) as conn:
        _copy(conn, "practitioner", _practitioner_columns(), _practitioner_rows(caseloads, now))
        ids = plans.Ids()
        open_cases = set(caseloads.allocated)
        for first in range(1, children + 1, BATCH_CHILDREN):
            batch = plans.Batch()
            for child in range(first, min(first + BATCH_CHILDREN, children + 1)):
                plans.add_case(batch, ids, child, open_case=child in open_cases, items=items.get(child), now=now)
            for table, rows in batch.rows.items():
                _copy(conn, table, plans.table_columns(table), rows)
            conn.commit()
            done = min(first + BATCH_CHILDREN - 1, children)
            progress(f"children {done:,}/{children:,} ({time.monotonic() - started:.0f} s)")
        _copy(conn, "case_assignment", _assignment_columns(), _assignment_rows(caseloads, now))
        progress(f"audit log: {children * AUDIT_ROWS_PER_CHILD:,} rows")
        _copy_audit(conn, children, now)
        _set_sequences(conn)
        conn.commit()
    progress("VACUUM ANALYZE (as autovacuum would have by now)")
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    STATE_FILE.parent.mkdir(exist_ok=True)
    state = {"format": FORMAT, "children": children, "revision": _head(), "built": built.__dict__}
    STATE_FILE.write_text(json.dumps(state, indent=2))
    STATE_FILE.chmod(0o600)
    progress(f"built in {time.monotonic() - started:.0f} s")
    return built


def _copy(conn: psycopg.Connection[Any], table: str, columns: tuple[str, ...], rows: Any) -> None:
    quoted = ", ".join(f'"{column}"' for column in columns)
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _practitioner_columns() -> tuple[str, ...]:
    return (
        *plans.STAMP,
        "id",
        "email",
        "display_name",
        "role",
        "agency",
        "team",
        "phone",
        "password_hash",
        "active",
        "webauthn_user_handle",
    )


def _practitioner_rows(caseloads: people.Caseloads, now: datetime) -> Iterator[tuple[Any, ...]]:
    password = hash_password(PASSWORD)  # argon2 is slow on purpose: one hash for every bench account
    for person in caseloads.practitioners:
        yield (
            now,
            now,
            "system",
            "system",
            1,
            person.id,
            person.email,
            person.display_name,
            person.role,
            person.agency,
            person.team,
            "",
            password,
            True,
            secrets.token_bytes(32),
        )


def _assignment_columns() -> tuple[str, ...]:
    return (*plans.STAMP, "id", "child_id", "practitioner_id", "case_role", "started_on", "ended_on")


def _assignment_rows(caseloads: people.Caseloads, now: datetime) -> Iterator[tuple[Any, ...]]:
    for number, (child, practitioner, role, ended) in enumerate(people.case_role_rows(caseloads), start=1):
        started = (now - timedelta(days=400 + child % 300)).date()
        yield (
            now,
            now,
            "system",
            "system",
            1,
            number,
            child,
            practitioner,
            role,
            started,
            (now - timedelta(days=child % 300)).date() if ended else None,
        )


# (share of rows, kind, action, actor kind): what a year of a council's use writes to the log.
AUDIT_MIX = (
    (50, "read", "plan.read_full", "practitioner"),
    (30, "read", "plan.read", "family"),
    (12, "write", "updated", "practitioner"),
    (5, "write", "created", "family"),
    (3, "denied", "plan.read_full", "practitioner"),
)


def _copy_audit(conn: psycopg.Connection[Any], children: int, now: datetime) -> None:
    """A year of audit rows in COPY's text format, written in chunks (no row objects at all)."""
    rng = random.Random(7)  # noqa: S311 - fictional data, the same every build
    mix = [entry for entry in AUDIT_MIX for _ in range(entry[0])]
    year = 365 * 24 * 3600
    total = children * AUDIT_ROWS_PER_CHILD
    columns = '"at", "actor", "child_id", "kind", "action", "entity", "detail"'
    with conn.cursor() as cursor, cursor.copy(f"COPY audit_event ({columns}) FROM STDIN") as copy:
        for first in range(0, total, 100_000):
            lines = []
            for _ in range(min(100_000, total - first)):
                _share, kind, action, actor_kind = rng.choice(mix)
                child = rng.randint(1, children)
                actor = rng.randint(1, people.PRACTITIONERS) if actor_kind == "practitioner" else child * 3 - 2
                at = (now - timedelta(seconds=rng.randrange(year))).isoformat()
                entity = "plan" if kind == "read" else "child_statement"
                lines.append(f"{at}\t{actor_kind}:{actor}\t{child}\t{kind}\t{action}\t{entity}\t\n")
            copy.write("".join(lines))


def _set_sequences(conn: psycopg.Connection[Any]) -> None:
    """Rows went in with their ids: move each id sequence past the largest, so the app's inserts work."""
    found = conn.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' "
        "AND column_default LIKE 'nextval%'"
    ).fetchall()
    for (table,) in found:
        # The table names come from the catalogue just read, not from any input.
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        largest = f'COALESCE((SELECT max(id) FROM "{table}"), 0) + 1'  # noqa: S608
        conn.execute(f"SELECT setval({sequence}, {largest}, false)")
