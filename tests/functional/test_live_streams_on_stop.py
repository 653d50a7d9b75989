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

from app import SaferPlan
from app.config import load_settings
from app.live.views import WAKE_SECONDS
from tests.support.database import scratch_database
from tests.support.server import HOST, Gunicorn, SignedInWorker, free_port, migrate_and_sign_in_a_worker, server_env

# Well below graceful_timeout (20 s), which is what an open stream used to cost a stop.
STOPS_WITHIN_SECONDS = 8.0


@dataclass(frozen=True)
class Served:
    server: Gunicorn
    worker: SignedInWorker  # a social worker signed in at the practitioner door, and their case's child


@pytest.fixture
def served(application: SaferPlan, tmp_path: Path) -> Iterator[Served]:
    with scratch_database(tmp_path, "streams_on_stop") as url:
        port = free_port()
        env = server_env(url, port, field_keys=application.settings.field_encryption_keys)
        # Streams as long as they are in use (the suite's are 2 s), so only the stop can end this one.
        env["LIVE_STREAM_SECONDS"] = "300"
        worker = migrate_and_sign_in_a_worker(url, load_settings(env))
        server = Gunicorn(workdir=tmp_path, env=env, port=port, workers=None)
        try:
            server.start()
            yield Served(server=server, worker=worker)
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
        path = f"/practitioner/children/{served.worker.child_id}/live?since=0"
        connection.request("GET", path, headers={"Cookie": served.worker.signed_in.cookie})
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
