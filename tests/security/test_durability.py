"""R25: acknowledged writes survive a crash.

The real server (gunicorn, two workers) takes a stream of invitation writes from several threads;
part way through, the master and both workers are killed with SIGKILL, with requests in flight.
Every write that was answered 2xx must then be in the database. kill -9 proves the app commits
before it answers and buffers nothing of its own; surviving power loss is the database's fsync
(SQLite WAL with synchronous=FULL, see app.db; PostgreSQL's defaults), which no test here can cut.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlmodel import Session, select

from app import SaferPlan
from app.auth.models import Invitation
from app.config import load_settings
from app.db import make_engine
from app.people.models import FamilyRole
from tests.support.database import scratch_database
from tests.support.figures import Figures
from tests.support.server import (
    REQUEST_TIMEOUT,
    Gunicorn,
    SignedInWorker,
    free_port,
    migrate_and_sign_in_a_worker,
    request,
    server_env,
)

WRITERS = 4
# Each worker allows 300 requests a minute from one address; staying under that means every
# refusal the test sees comes from the crash, never from the rate limiter.
MAX_WRITES = 240
# Kill once this many writes are acknowledged (or this many answered at all, should many fail).
KILL_AFTER_ACKNOWLEDGED = 40
KILL_AFTER_ANSWERS = 160
KILL_AT_THE_LATEST = 8.0  # seconds of load, in case the server is slow


@pytest.fixture(scope="module")
def durability_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own (the server commits): a SQLite file, or `<name>_durability` on PostgreSQL."""
    with scratch_database(tmp_path_factory.mktemp("durability-db"), "durability") as url:
        yield url


@dataclass
class WriteLoad:
    """Writer threads posting invitations, each with a unique name, until told to stop."""

    port: int
    who: SignedInWorker
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    acknowledged: list[str] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)  # non-2xx statuses answered before the crash
    interrupted: int = 0  # requests cut off (no answer) by the crash
    attempted: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enough(self) -> bool:
        with self.lock:
            answered = len(self.acknowledged) + len(self.refused)
            return len(self.acknowledged) >= KILL_AFTER_ACKNOWLEDGED or answered >= KILL_AFTER_ANSWERS

    def next_name(self) -> str | None:
        with self.lock:
            if self.stop.is_set() or self.attempted >= MAX_WRITES:
                return None
            self.attempted += 1
            return f"durability-{self.run_id}-{self.attempted:04d}"

    def write(self) -> None:
        path = f"/practitioner/children/{self.who.child_id}/invitations"
        headers = self.who.signed_in.headers(form=True)
        while (name := self.next_name()) is not None:
            body = urlencode({"role": FamilyRole.YOUNG_PERSON, "display_name": name, "relationship": "Crash test"})
            status, _page = request(self.port, "POST", path, body=body, headers=headers)
            with self.lock:
                # A 303 would be a post-redirect-get after a successful write: also an acknowledgement.
                if 200 <= status < 300 or status == 303:
                    self.acknowledged.append(name)
                elif status == 0:
                    self.interrupted += 1
                    return  # the server is gone
                else:
                    self.refused.append(status)


@dataclass(frozen=True)
class CrashRun:
    """What the writers were told, what the database holds after the crash, and the server's log."""

    attempted: int
    acknowledged: list[str]
    refused: list[int]
    interrupted: int
    stored: set[str]
    log: str

    @property
    def lost(self) -> list[str]:
        return sorted(set(self.acknowledged) - self.stored)


@pytest.fixture(scope="module")
def crash_run(
    application: SaferPlan, durability_url: str, tmp_path_factory: pytest.TempPathFactory, figures: Figures
) -> Iterator[CrashRun]:
    """Run the server, load it with writes, kill -9 everything mid-load, then read the database."""
    port = free_port()
    # Fixed secrets for this run, and the suite's own field key, so both workers and this process agree.
    env = server_env(durability_url, port, field_keys=application.settings.field_encryption_keys)
    settings = load_settings(env)
    server = Gunicorn(workdir=tmp_path_factory.mktemp("durability"), env=env, port=port)
    try:
        sam = migrate_and_sign_in_a_worker(durability_url, settings)
        server.start()
        status, _page = request(port, "GET", "/practitioner/", headers={"Cookie": sam.signed_in.cookie})
        assert status == 200, f"the hand-made session was not accepted ({status}):\n{server.log()}"

        load = WriteLoad(port=port, who=sam)
        writers = [threading.Thread(target=load.write, daemon=True) for _ in range(WRITERS)]
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + KILL_AT_THE_LATEST
        while not load.enough() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert load.attempted < MAX_WRITES, "the writers finished before the kill: nothing was in flight"
        killed = server.kill_everything()
        assert len(killed) == 3, f"expected the master and 2 workers, found {killed}"
        assert server.process is not None
        server.process.wait(timeout=10)
        assert_dead(killed)
        for writer in writers:
            writer.join(timeout=REQUEST_TIMEOUT + 5)
        assert not [writer for writer in writers if writer.is_alive()]
    finally:
        server.stop()

    # Names are encrypted at rest (R27), with the suite's key the server was given.
    engine = make_engine(durability_url)
    try:
        with Session(engine) as session:
            names = session.exec(select(Invitation.display_name)).all()
            stored = {name for name in names if name.startswith(f"durability-{load.run_id}-")}
    finally:
        engine.dispose()
    run = CrashRun(
        attempted=load.attempted,
        acknowledged=list(load.acknowledged),
        refused=list(load.refused),
        interrupted=load.interrupted,
        stored=stored,
        log=server.log(),
    )
    figures.add("r25.writes_attempted", run.attempted)
    figures.add("r25.writes_acknowledged", len(run.acknowledged))
    figures.add("r25.writes_found", len(run.acknowledged) - len(run.lost))
    figures.add("r25.writes_lost", len(run.lost))
    figures.add("r25.server_errors", sum(status >= 500 for status in run.refused))
    print(
        f"\nR25: {run.attempted} writes sent, {len(run.acknowledged)} acknowledged, "
        f"{len(run.acknowledged) - len(run.lost)} found, {len(run.lost)} lost; {run.interrupted} cut off by "
        f"the crash, {len(run.stored - set(run.acknowledged))} committed but unanswered, "
        f"refused: {dict(Counter(run.refused))}"
    )
    yield run


def assert_dead(pids: list[int]) -> None:
    """Every pid has gone, or is a zombie waiting for its (dead) parent's parent to reap it."""
    deadline = time.monotonic() + 5
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = []
        for pid in pids:
            with suppress(FileNotFoundError, ProcessLookupError):
                if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.append(pid)
        time.sleep(0.05)
    assert alive == [], f"still running after SIGKILL: {alive}"


def test_r25_every_acknowledged_write_survives_kill_9(crash_run: CrashRun) -> None:
    assert len(crash_run.acknowledged) > 0, crash_run.log
    # Anything but a server error means these requests were wrong (session, CSRF, form): fix the test.
    assert [status for status in crash_run.refused if status < 500] == [], crash_run.log
    assert crash_run.lost == []


# With a deferred BEGIN, a SQLite transaction that reads and then writes cannot wait for another
# worker's write lock: it fails at once with "database is locked" (SQLITE_BUSY), whatever
# busy_timeout says. app/db.py's _sqlite_begin would need "BEGIN IMMEDIATE". Strict: once fixed,
# this XPASSes and fails, so remove the mark then.
def test_r23_concurrent_writes_from_two_workers_never_fail(crash_run: CrashRun) -> None:
    assert [status for status in crash_run.refused if status >= 500] == [], crash_run.log
