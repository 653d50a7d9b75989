"""How the app is served (issue 14 §4): R30 rate limits count once whichever thread answers; an
idle socket does not stall the app; gunicorn.conf.py's guard against per-worker counts.

The server is the real one, started from gunicorn.conf.py exactly as `make run` serves it (one
process, threaded), on a scratch database with only the migrations: a wrong password is refused
the same whether the account exists or not, so no demo data is needed.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from app import SaferPlan
from app.config import PROJECT_ROOT
from tests.support.database import migrate, scratch_database
from tests.support.server import GUNICORN_CONF, HOST, Gunicorn, configured, free_port, server_env

ATTEMPTS_ALLOWED = 5  # app.web.limits.SIGN_IN_LIMIT: five a minute per address
# argon2 is slow on purpose and the machine may be busy: a burst of attempts takes a while.
ATTEMPT_TIMEOUT = 60.0


@pytest.fixture(scope="module")
def served(application: SaferPlan, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    """gunicorn as configured (workers=None: gunicorn.conf.py's numbers), on a migrated scratch database."""
    with scratch_database(tmp_path_factory.mktemp("serving-db"), "serving") as url:
        migrate(url)
        port = free_port()
        env = server_env(url, port, field_keys=application.settings.field_encryption_keys)
        server = Gunicorn(workdir=tmp_path_factory.mktemp("serving"), env=env, port=port, workers=None)
        try:
            server.start()
            yield server
        finally:
            server.stop()


@dataclass(frozen=True)
class SignInForm:
    """The anonymous sign-in page's cookie and CSRF token, as a browser would send them back."""

    cookie: str
    csrf_token: str


def _sign_in_form(port: int) -> SignInForm:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", "/practitioner/sign-in")
        response = connection.getresponse()
        page = response.read().decode()
        assert response.status == 200
        cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    finally:
        connection.close()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert cookie and token, "the sign-in page gave no cookie or CSRF token"
    return SignInForm(cookie=cookie, csrf_token=token.group(1))


def _attempt(port: int, form: SignInForm, source: str, barrier: threading.Barrier | None = None) -> int:
    """One wrong password on a fresh connection from `source` (127.0.0.x); the answer's status."""
    connection = http.client.HTTPConnection(HOST, port, timeout=ATTEMPT_TIMEOUT, source_address=(source, 0))
    body = urlencode({"csrf_token": form.csrf_token, "email": "sam.okafor@example.org", "password": "not-it"})
    headers = {"Cookie": form.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    try:
        connection.connect()
        if barrier is not None:
            barrier.wait()
        connection.request("POST", "/practitioner/sign-in", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_r30_the_sixth_password_attempt_is_refused_whichever_thread_answers(served: Gunicorn) -> None:
    """R11/R30 on the real server: attempts 1-5 from one address are refused as wrong (401), the
    6th and later are throttled (429), each on its own connection, so each may go to any thread."""
    form = _sign_in_form(served.port)
    statuses = [_attempt(served.port, form, "127.0.0.21") for _ in range(ATTEMPTS_ALLOWED + 3)]
    assert statuses == [401] * ATTEMPTS_ALLOWED + [429] * 3, f"{statuses}\n{served.log()}"


def test_r30_a_burst_of_attempts_at_once_is_counted_once(served: Gunicorn) -> None:
    """Twelve attempts sent together from one address, answered by as many threads at once: exactly
    five get through to the password check; the count is one, not one per thread or process."""
    form = _sign_in_form(served.port)
    burst = 12
    barrier = threading.Barrier(burst)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt() -> None:
        status = _attempt(served.port, form, "127.0.0.22", barrier)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=attempt) for _ in range(burst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(ATTEMPT_TIMEOUT + 5)
    assert Counter(statuses) == {401: ATTEMPTS_ALLOWED, 429: burst - ATTEMPTS_ALLOWED}, served.log()


def test_two_idle_sockets_do_not_stop_a_third_request_being_answered_within_a_second(served: Gunicorn) -> None:
    """Issue 14 §4: two connections that send nothing stalled both sync workers for 30 seconds.
    With threads, a silent socket waits without holding up anyone: a third request is answered
    at once."""
    idle = [socket.create_connection((HOST, served.port)) for _ in range(2)]
    try:
        time.sleep(0.2)  # the server has accepted them and is waiting for their first bytes
        started = time.monotonic()
        connection = http.client.HTTPConnection(HOST, served.port, timeout=5)
        try:
            connection.request("GET", "/sign-in")
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        assert response.status == 200
        assert elapsed < 1.0, f"answered after {elapsed:.1f} s with two idle sockets open"
    finally:
        for sock in idle:
            sock.close()


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


def test_request_line_and_header_limits_are_gunicorn_confs(served: Gunicorn) -> None:
    """gunicorn.conf.py's limits are the ones served: a request line over 4094 bytes is a 414, a
    header over 8190 bytes or a 65th header a 431. These are gunicorn's own answers, before the app
    runs, so they carry none of its headers: README "Production" says what the proxy must add."""
    path = "/sign-in?" + "q" * 4100
    assert _raw(served.port, f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()).startswith(b"HTTP/1.1 414")
    big = "X-Big: " + "b" * 8200 + "\r\n"
    assert _raw(served.port, f"GET /sign-in HTTP/1.1\r\nHost: localhost\r\n{big}\r\n".encode()).startswith(
        b"HTTP/1.1 431"
    )
    many = "".join(f"X-Header-{n}: {n}\r\n" for n in range(65))
    assert _raw(served.port, f"GET /sign-in HTTP/1.1\r\nHost: localhost\r\n{many}\r\n".encode()).startswith(
        b"HTTP/1.1 431"
    )
    fits = "".join(f"X-Header-{n}: {n}\r\n" for n in range(60))
    answer = _raw(served.port, f"GET /sign-in HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{fits}\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]


def test_a_kept_alive_connection_is_closed_after_gunicorn_confs_number_of_requests(served: Gunicorn) -> None:
    """Each process keeps the connections it accepted: a few long-lived ones could all sit in one
    process while another idles (issue 13). The 20th request on a connection is answered with
    "Connection: close" and the connection closed, so the client's next one may go to any process."""
    kept = int(str(configured("KEPT_ALIVE_REQUESTS")))
    connection = http.client.HTTPConnection(HOST, served.port, timeout=10)
    try:
        connection.connect()
        first_socket = connection.sock
        for number in range(1, kept + 1):
            connection.request("GET", "/favicon.ico")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            last = number == kept
            assert (response.getheader("Connection", "").lower() == "close") is last, number
            assert (connection.sock is None) is last, number  # http.client closes on "Connection: close"
            if not last:
                assert connection.sock is first_socket  # the same connection all along until then
    finally:
        connection.close()


def test_gunicorn_conf_refuses_several_processes_counting_in_memory(tmp_path: Path) -> None:
    """`make run` with `--workers 2` and no shared store would count every limit twice over (R30):
    gunicorn.conf.py stops it before any worker starts."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("RATELIMIT_STORAGE_URI", "DATABASE_URL")},
        "SAFER_PLAN_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    done = subprocess.run(  # noqa: S603 - fixed arguments, our own venv's gunicorn
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            str(GUNICORN_CONF),
            "--no-control-socket",
            "--bind",
            f"{HOST}:{free_port()}",
            "--workers",
            "2",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0, "gunicorn started two processes counting rate limits in memory"
    assert "RATELIMIT_STORAGE_URI" in done.stdout + done.stderr
