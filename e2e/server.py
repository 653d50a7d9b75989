"""The real server for browser tests: gunicorn as gunicorn.conf.py says (what `make run` serves),
on a free port, on its own database."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Its own database next to the unit tests' one, so both suites can run at the same time.
E2E_DATABASE = "test_e2e"
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def e2e_database_url(tmp_dir: Path, name: str = E2E_DATABASE) -> str:
    """A fresh, empty database: `name` on DATABASE_URL's PostgreSQL server, else a SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / f'{name}.sqlite3'}"
    # Each pytest-xdist worker (`make test`) runs its own server on a database of its own.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        name = f"{name}_{worker}"
    server = make_url(url)
    # AUTOCOMMIT: PostgreSQL refuses CREATE/DROP DATABASE inside a transaction.
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
    finally:
        engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def drop_e2e_database(url: str) -> None:
    if url.startswith("sqlite"):
        return
    name = make_url(url).database
    engine = create_engine(make_url(os.environ["DATABASE_URL"]), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        engine.dispose()


def server_environment(*, port: int, database_url: str) -> dict[str, str]:
    """Secrets fixed for this run: in test mode each worker would otherwise make its own."""
    return {
        **os.environ,
        "SAFER_PLAN_ENV": "test",
        "PORT": str(port),
        "PUBLIC_ORIGIN": f"http://localhost:{port}",
        "DATABASE_URL": database_url,
        "FAMILY_SECRET_KEY": secrets.token_urlsafe(48),
        "PRACTITIONER_SECRET_KEY": secrets.token_urlsafe(48),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }


@dataclass
class LiveServer:
    """gunicorn serving app.wsgi on localhost (WebAuthn refuses IP addresses as origins)."""

    workdir: Path
    database_url: str
    port: int = field(default_factory=free_port)
    # Added to the environment, e.g. REDIS_URL for servers that fan out to each other.
    extra_env: dict[str, str] = field(default_factory=dict)
    demo: dict[str, object] = field(default_factory=dict)
    _process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None
    _env: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.workdir / "gunicorn.pid"

    @property
    def log_file(self) -> Path:
        return self.workdir / "server.log"

    def log_text(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    @property
    def environment(self) -> dict[str, str]:
        """What the server runs with (its database, keys and secrets): for scripts that sign cookies."""
        return dict(self._env)

    def start(self) -> None:
        env = {**server_environment(port=self.port, database_url=self.database_url), **self.extra_env}
        self.demo = self._prepare_database(env)
        self._serve(env)

    def twin(self, workdir: Path) -> LiveServer:
        """A second server process (started) on this one's database, keys, secrets and Redis, on its
        own port: two processes as production runs them, so a change made through one must reach
        pages open on the other through Redis. Cookies are per host, not per port, so one browser
        signed in on one is signed in on both."""
        other = LiveServer(workdir=workdir, database_url=self.database_url, extra_env=self.extra_env)
        other.demo = self.demo
        other._serve({**self._env, "PORT": str(other.port), "PUBLIC_ORIGIN": other.origin})
        return other

    def _serve(self, env: dict[str, str]) -> None:
        self._env = env
        bin_dir = Path(sys.executable).parent
        self._log = self.log_file.open("wb")
        self._process = subprocess.Popen(
            [
                str(bin_dir / "gunicorn"),
                "--config",
                str(PROJECT_ROOT / "gunicorn.conf.py"),
                "--no-control-socket",
                "--pid",
                str(self.pid_file),
                "--bind",
                f"127.0.0.1:{self.port}",
                "app.wsgi:application",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_ready()

    def _prepare_database(self, env: dict[str, str]) -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-m", "e2e.prepare_database"],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"preparing the e2e database failed:\n{done.stdout}\n{done.stderr}")
        demo: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        return demo

    def run_module(self, module: str) -> dict[str, object]:
        """Run `python -m module` against the server's database and keys (as prepare_database does);
        for what no page can do yet, such as agreeing a new version of a plan. Returns its JSON line."""
        done = subprocess.run(
            [sys.executable, "-m", module],
            cwd=PROJECT_ROOT,
            env=self._env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{module} failed:\n{done.stdout}\n{done.stderr}")
        result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    def _wait_until_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.origin}/sign-in", timeout=2) as response:  # noqa: S310
                    if response.status == 200 and self.pid_file.exists():
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        print(f"\n--- gunicorn output ---\n{self.log_text()}", file=sys.stderr)
        raise RuntimeError(f"the server did not answer on {self.origin}/sign-in within {STARTUP_SECONDS}s")

    def stop(self) -> None:
        if self._process is None:
            return
        stop_gunicorn(self._process, self.pid_file)
        if self._log is not None:
            self._log.close()
        self._process = None


def stop_gunicorn(process: subprocess.Popen[bytes], pid_file: Path, *, grace: float = 15) -> None:
    """Stop gunicorn by the PID it wrote itself (the master), then wait for it."""
    if process.poll() is not None:
        return
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        pid = process.pid
    os.kill(pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
