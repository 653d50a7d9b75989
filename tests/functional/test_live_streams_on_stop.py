"""A server asked to stop (SIGTERM: a restart, a deploy) ends its open live streams at once.

A stream holds a request open for minutes (app/live/views.py). gunicorn lets requests in flight
finish before a process stops, for up to graceful_timeout (20 s): every open stream held a
restart up that long, and the browsers on it heard nothing new meanwhile. Now the stream ends
within a second of the process being asked to stop, cleanly, so the browser reconnects (after the
stream's `retry`) to a process that is not stopping. The real server, as gunicorn.conf.py serves it.
"""

from __future__ import annotations

import http.client
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session

from app import SaferPlan
from app.auth.models import AccountKind
from app.config import load_settings
from app.db import make_engine
from app.live.views import WAKE_SECONDS
from tests.factories import people, plans
from tests.support.database import migrate, scratch_database
from tests.support.server import HOST, Gunicorn, SignedIn, free_port, server_env, sign_in

# Well below graceful_timeout (20 s), which is what an open stream used to cost a stop.
STOPS_WITHIN_SECONDS = 8.0


@dataclass(frozen=True)
class Served:
    server: Gunicorn
    worker: SignedIn  # Jordan's social worker, signed in at the practitioner door
    child_id: int


@pytest.fixture
def served(application: SaferPlan, tmp_path: Path) -> Iterator[Served]:
    with scratch_database(tmp_path, "streams_on_stop") as url:
        port = free_port()
        env = server_env(url, port, field_keys=application.settings.field_encryption_keys)
        # Streams as long as they are in use (the suite's are 2 s), so only the stop can end this one.
        env["LIVE_STREAM_SECONDS"] = "300"
        migrate(url)
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                case = people.case(session)
                plans.plan(session, case.child, by=case.worker)
                signed_in = sign_in(
                    session=session,
                    door=load_settings(env).practitioner,  # the server's door secret, not the suite's
                    account_kind=AccountKind.PRACTITIONER,
                    account_id=case.worker.id or 0,
                )
                session.commit()
                child_id = case.child_id
        finally:
            engine.dispose()
        server = Gunicorn(workdir=tmp_path, env=env, port=port, workers=None)
        try:
            server.start()
            yield Served(server=server, worker=signed_in, child_id=child_id)
        finally:
            server.stop()


def test_a_stopping_server_ends_its_open_streams_at_once_and_cleanly(served: Served) -> None:
    connection = http.client.HTTPConnection(HOST, served.server.port, timeout=60)
    read: list[bytes | Exception] = []

    def read_to_the_end(response: http.client.HTTPResponse) -> None:
        try:
            read.append(response.read())  # raises IncompleteRead if the stream is cut off, not ended
        except (OSError, http.client.HTTPException) as error:
            read.append(error)

    try:
        path = f"/practitioner/children/{served.child_id}/live?since=0"
        connection.request("GET", path, headers={"Cookie": served.worker.cookie})
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type", "").startswith("text/event-stream")
        assert response.readline() == b"retry: 1000\n"
        reader = threading.Thread(target=read_to_the_end, args=(response,), daemon=True)
        reader.start()
        reader.join(timeout=3 * WAKE_SECONDS)
        assert reader.is_alive() and not read, "the stream ended by itself: it should wait for changes"
        asked = time.monotonic()
        os.kill(served.server.master_pid(), signal.SIGTERM)
        reader.join(timeout=60)
        ended = time.monotonic() - asked
        assert served.server.process is not None
        served.server.process.wait(timeout=30)
        stopped = time.monotonic() - asked
    finally:
        connection.close()
    assert len(read) == 1 and isinstance(read[0], bytes), f"the stream was cut off: {read}"
    assert b"still here" not in read[0]  # it ended long before a keep-alive was due (15 s)
    assert ended < STOPS_WITHIN_SECONDS, f"the stream held the stop up for {ended:.1f} s"
    assert stopped < STOPS_WITHIN_SECONDS, f"the server took {stopped:.1f} s to stop"
