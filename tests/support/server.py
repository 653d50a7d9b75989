"""The real server for tests that drive it over HTTP, and hand-made sign-ins for it.

`Gunicorn` runs `app.wsgi:application` as gunicorn.conf.py says (threaded workers, its timeouts
and request limits: what `make run` serves) on a free port of 127.0.0.1, on a database the test
made (tests.support.database.scratch_database); `server_env` gives it fixed secrets, so the test
signs cookies the workers accept (`sign_in`) without a passkey ceremony.
`request` sends one request on a fresh connection, optionally from another loopback address (each
address has its own rate-limit counts, as separate phones would) and held until a barrier opens.
"""

from __future__ import annotations

import http.client
import os
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from sqlmodel import Session

from app.auth.models import AccountKind
from app.auth.sessions import SessionLimits, start_session
from app.config import PROJECT_ROOT, DoorSettings, Settings
from app.db import make_engine
from tests.factories import people, plans
from tests.support.database import migrate

HOST = "127.0.0.1"
# A loaded 2-core machine (the suite beside other work) has been seen to take over 20 s to boot gunicorn.
STARTUP_SECONDS = 60.0
REQUEST_TIMEOUT = 5.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(database_url: str, port: int, *, field_keys: tuple[str, ...]) -> dict[str, str]:
    """The server's environment: fixed door secrets, so every worker (and the test) agrees on them.

    `field_keys` are the suite's own field-encryption keys (`application.settings`): the test
    process can then seed and read encrypted fields (R27) without swapping FieldCipher's keys.
    """
    return {
        **os.environ,
        "SAFER_PLAN_ENV": "test",
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "PUBLIC_ORIGIN": f"http://localhost:{port}",
        "FAMILY_SECRET_KEY": secrets.token_urlsafe(48),
        "PRACTITIONER_SECRET_KEY": secrets.token_urlsafe(48),
        "FIELD_ENCRYPTION_KEYS": ",".join(field_keys),
    }


@dataclass(frozen=True)
class SignedIn:
    """What a browser signed in at one door would send: the door's session cookie and a CSRF header."""

    cookie: str
    csrf_header: str

    def headers(self, *, form: bool = False, htmx: bool = False) -> dict[str, str]:
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.csrf_header}
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
        return headers


def sign_in(*, session: Session, door: DoorSettings, account_kind: AccountKind, account_id: int) -> SignedIn:
    """Open a full server-side session (no passkey ceremony) and sign the door's cookie for it.

    The caller commits `session`. Each door keeps Flask's signed-cookie session, holding the
    session token and the raw CSRF secret; the header is that secret signed as Flask-WTF does.
    """
    raw_token, _record = start_session(
        session=session,
        account_kind=account_kind,
        account_id=account_id,
        limits=SessionLimits(idle=timedelta(minutes=30), absolute=timedelta(hours=1)),
        second_factor_done=True,
    )
    app = Flask(f"test-{door.name}")
    app.secret_key = door.secret_key
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    csrf_raw = secrets.token_hex(20)
    cookie = serializer.dumps({"_user_id": raw_token, "_fresh": True, "csrf_token": csrf_raw})
    csrf = URLSafeTimedSerializer(door.secret_key, salt="wtf-csrf-token").dumps(csrf_raw)
    return SignedIn(cookie=f"{door.cookie_name}={cookie}", csrf_header=str(csrf))


@dataclass(frozen=True)
class SignedInWorker:
    """A social worker signed in at a server's practitioner door, and the child on their case."""

    signed_in: SignedIn
    child_id: int


def migrate_and_sign_in_a_worker(url: str, settings: Settings) -> SignedInWorker:
    """Migrate `url`, build a case with a started plan (tests/factories), and open a full server-side
    session for its worker without a passkey ceremony, signed with the server's door secret
    (`settings`, from the server's environment: not the suite's)."""
    migrate(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            case = people.case(session)
            plans.plan(session, case.child, by=case.worker)
            signed_in = sign_in(
                session=session,
                door=settings.practitioner,
                account_kind=AccountKind.PRACTITIONER,
                account_id=case.worker.id or 0,
            )
            session.commit()
            child_id = case.child_id
    finally:
        engine.dispose()
    return SignedInWorker(signed_in=signed_in, child_id=child_id)


# The project's serving configuration, the one `make run` and the browser tests use.
GUNICORN_CONF = PROJECT_ROOT / "gunicorn.conf.py"


def configured(setting: str) -> object:
    """A value gunicorn.conf.py sets (e.g. "workers"), read the way gunicorn reads it: by running it."""
    return runpy.run_path(str(GUNICORN_CONF))[setting]


@dataclass
class Gunicorn:
    """The real server: gunicorn on 127.0.0.1 with gunicorn.conf.py's worker class, timeouts and limits.

    Two processes by default, because the crash and race tests want more than one; `workers=None`
    serves exactly as gunicorn.conf.py says (one process: what `make run` serves). `threads`
    overrides the configured threads per process, `worker_class` the configured worker class
    (bench/workers.py measures with "sync", the issue's method, and as served; `make bench-scale`
    serves with "sync", its bare Flask route too: `app_path`). A "sync" worker gets one thread:
    left with gunicorn.conf.py's 32, gunicorn quietly serves gthread instead, so `start` also
    checks gunicorn's log names the class asked for.
    """

    workdir: Path
    env: dict[str, str]
    port: int
    workers: int | None = 2
    threads: int = 0  # 0: as gunicorn.conf.py says
    worker_class: str = ""  # "": as gunicorn.conf.py says
    app_path: str = "app.wsgi:application"  # `make bench-scale` also serves its bare Flask route
    ready_path: str = "/practitioner/sign-in"  # answers 200 once the app serves
    process: subprocess.Popen[bytes] | None = None

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def expected_workers(self) -> int:
        return self.workers if self.workers is not None else int(str(configured("workers")))

    @property
    def pid_file(self) -> Path:
        return self.workdir / "gunicorn.pid"

    @property
    def log_file(self) -> Path:
        return self.workdir / "gunicorn.log"

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")[-3000:] if self.log_file.exists() else ""

    def start(self) -> None:
        """Start gunicorn and wait until it serves as asked; if it does not, stop it and fail."""
        self.workdir.mkdir(parents=True, exist_ok=True)  # its pid file and log go there
        overrides = ["--workers", str(self.workers)] if self.workers is not None else []
        threads = self.threads or (1 if self.worker_class == "sync" else 0)
        overrides += ["--threads", str(threads)] if threads else []
        overrides += ["--worker-class", self.worker_class] if self.worker_class else []
        with self.log_file.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own venv's gunicorn
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "--config",
                    str(GUNICORN_CONF),
                    "--no-control-socket",
                    "--pid",
                    str(self.pid_file),
                    "--bind",
                    f"{HOST}:{self.port}",
                    *overrides,
                    self.app_path,
                ],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_until_served()
        except BaseException:
            self.stop()  # a server that did not come up (or not as asked) must not be left running
            raise

    def _wait_until_served(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            # Ready when the master has written its pid file and every worker answers.
            ready = self.pid_file.exists() and len(self.worker_pids()) == self.expected_workers
            if ready and request(self.port, "GET", self.ready_path)[0] == 200:
                served = f"Using worker: {self.worker_class}"
                if self.worker_class and served not in self.log_file.read_text(errors="replace"):
                    raise AssertionError(f"gunicorn did not serve {self.worker_class} workers:\n{self.log()}")
                return
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start:\n{self.log()}")

    def master_pid(self) -> int:
        return int(self.pid_file.read_text().strip())

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (no pgrep needed)."""
        master = self.master_pid()
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError, ValueError, IndexError):
                # The command name (field 2) may hold spaces; the parent pid follows its closing ")".
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                    children.append(int(stat.parent.name))
        return children

    def kill_everything(self) -> list[int]:
        """SIGKILL the master and every worker at once, as a crash or the OOM killer would."""
        pids = [self.master_pid(), *self.worker_pids()]
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return pids

    def stop(self) -> None:
        """Make sure nothing is left running (also when a test failed half way)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with suppress(OSError, ValueError):
                self.kill_everything()
            self.process.kill()
        self.process.wait(timeout=10)


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: str = "",
    headers: dict[str, str] | None = None,
    source: str | None = None,
    barrier: threading.Barrier | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> tuple[int, bytes]:
    """One request on a fresh connection, closed after the answer.

    `source` is the loopback address to send from (127.0.0.x). With `barrier`, the connection is
    made first and the request sent once every party has reached the barrier, so racing requests
    leave together. The status is 0 when no answer came. A status that came with a body cut off
    (a crash) still counts: the server said so.
    """
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout, source_address=(source, 0) if source else None)
    try:
        connection.connect()
    except OSError:
        if barrier is not None:
            barrier.abort()  # the others must not wait for a request that will never leave
        connection.close()
        return 0, b""
    try:
        if barrier is not None:
            barrier.wait()
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
    except (OSError, http.client.HTTPException, threading.BrokenBarrierError):
        connection.close()
        return 0, b""
    try:
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        return response.status, b""
    finally:
        connection.close()
