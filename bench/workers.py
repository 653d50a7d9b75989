"""How much a second gunicorn worker adds on the read pages (issue 13's goal: 2 workers >= 1.7x one).

Serves the app with gunicorn (gunicorn.conf.py's limits and timeouts) twice on the same database, one
server with one worker process and one with two, with RATE_LIMITS=off, and loads three read pages
with wrk (4 connections) for a fixed time each, on each server in turn, for a few rounds:

- the young person's plan page (family door, `/c/<child>`),
- the practitioner's plan page (`/practitioner/children/<child>`),
- the caseload (`/practitioner/`).

The workers are sync workers unless `--worker-class gthread` says otherwise (one thread each, and
checked in gunicorn's log: tests/support/server.Gunicorn). Sync is the issue's method (one request
at a time in each worker process), and it is what isolates the question the goal asks: do two
processes really run in parallel (no lock one takes while the other waits, as SQLite's write lock
once was)? The app is served with gthread workers (gunicorn.conf.py: a sync worker is held by each
connection, idle ones too), and one gthread worker already overlaps its own requests, its Python
with the database's work on the other core; on a 2-core machine that also runs the database and wrk,
what a second such worker adds is then mostly whatever CPU is left (about 2a / (a + p + w) for a
request costing a of the app's CPU, p of the database's, w of wrk's), so `make bench-scale` prints
it beside the goal's figure without a goal of its own.

Everyone is signed in as the tests do it (tests/support/server.py): a server-side session record
opened directly, and the door's cookie signed with the secret the server was given. Every page is
fetched once first and must answer 200 (not a redirect to sign-in), and wrk must see no errors, or
the run fails rather than report the speed of an error page.

    .venv/bin/python bench/workers.py [--database-url URL] [--seconds 5] [--rounds 2] [--worker-class sync|gthread]

Without --database-url: a fresh SQLite file with the demo (removed afterwards). With one: that
database as it is (migrated to head first; the demo is loaded only if it is empty), the demo's
Jordan and Sam if they are there, else the first young person whose child has an allocated
worker. Its encrypted names need the key they were written with: set FIELD_ENCRYPTION_KEYS.
The server, wrk and this script share the machine's cores (and so do any other jobs running on
it): read the figures as this machine's, at this moment.

Prints human lines, then ONE final line of JSON: {"database", "worker_class", "one_worker_rps",
"two_workers_rps", "speedup", "goal", "met", "cores_used", "machine_cores_busy", "pages"} (`make
bench-scale` reads it). The requests/s figures are for the three pages together: all requests served
over all the time spent loading them. `machine_cores_busy` counts every process on the machine (the
server, wrk, the database server, other jobs): when it is near the machine's cores, the 2-worker
figure was short of CPU, not held back by the app.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from cryptography.fernet import Fernet  # noqa: E402 - after the path above, like the app's imports
from sqlmodel import Session, col, select  # noqa: E402

import tests.support.server as server_module  # noqa: E402
from app.auth.models import AccountKind  # noqa: E402
from app.config import load_settings  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.people.models import CaseAssignment, CaseRole, FamilyLink, FamilyRole, Practitioner  # noqa: E402
from tests.support.database import migrate  # noqa: E402
from tests.support.server import Gunicorn, SignedIn, free_port, server_env, sign_in  # noqa: E402

GOAL = 1.7
CONNECTIONS = 4
STARTUP_SECONDS = 120.0
DEMO_WORKER_EMAIL = "sam.okafor@example.org"


@dataclass(frozen=True)
class Page:
    """One page to load: its name in the report, its path, and the cookie it is read with."""

    name: str
    path: str
    signed_in: SignedIn


@dataclass(frozen=True)
class Load:
    """What wrk measured on one page."""

    requests: int
    seconds: float
    errors: int
    cpu_seconds: float = 0.0  # what the server's worker processes spent meanwhile
    machine_cpu_seconds: float = 0.0  # what every process on the machine spent meanwhile (wrk, the database, others)

    @property
    def cores(self) -> float:
        """Cores the server kept busy: near 1 per worker if the machine had them to give."""
        return self.cpu_seconds / self.seconds if self.seconds else 0.0

    @property
    def machine_cores(self) -> float:
        """Cores busy on the whole machine: the server's, plus wrk's, the database's and other jobs'."""
        return self.machine_cpu_seconds / self.seconds if self.seconds else 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        sudo = "" if os.geteuid() == 0 else "sudo "
        raise SystemExit(f"wrk is needed: {sudo}apt-get install -y wrk")
    return found


def readers(url: str) -> tuple[int, int, int]:
    """(child id, young person's member id, practitioner id): the demo's Jordan and Sam if present,
    else the first young person whose child has an allocated worker."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            query = (
                select(FamilyLink.child_id, FamilyLink.member_id, CaseAssignment.practitioner_id)
                .join(CaseAssignment, col(CaseAssignment.child_id) == col(FamilyLink.child_id))
                .join(Practitioner, col(Practitioner.id) == col(CaseAssignment.practitioner_id))
                .where(
                    FamilyLink.role == FamilyRole.YOUNG_PERSON,
                    col(FamilyLink.revoked_at).is_(None),
                    CaseAssignment.case_role == CaseRole.ALLOCATED_WORKER,
                    col(CaseAssignment.ended_on).is_(None),
                    col(Practitioner.active).is_(True),
                )
            )
            demo = session.exec(query.where(Practitioner.email == DEMO_WORKER_EMAIL)).first()
            found = demo or session.exec(query.order_by(col(FamilyLink.id))).first()
            if found is None:
                raise SystemExit("no young person with an allocated worker in this database")
            return found[0], found[1], found[2]
    finally:
        engine.dispose()


def prepare(url: str, env: dict[str, str]) -> tuple[int, int, int]:
    """Migrate, load the demo into an empty database, and say who reads."""
    from app import create_app
    from app.demo.seed import is_empty, load_demo

    migrate(url)
    application = create_app(load_settings(env))
    try:
        with application.database.session() as session:
            if is_empty(session):
                load_demo(session)
                session.commit()
    finally:
        application.database.engine.dispose()
    return readers(url)


def pages(url: str, env: dict[str, str], child_id: int, member_id: int, practitioner_id: int) -> list[Page]:
    """The three read pages, each with a fresh signed-in session for its reader."""
    settings = load_settings(env)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            family = sign_in(
                session=session, door=settings.family, account_kind=AccountKind.FAMILY, account_id=member_id
            )
            worker = sign_in(
                session=session,
                door=settings.practitioner,
                account_kind=AccountKind.PRACTITIONER,
                account_id=practitioner_id,
            )
            session.commit()
    finally:
        engine.dispose()
    return [
        Page("young person's plan", f"/c/{child_id}", family),
        Page("practitioner's plan", f"/practitioner/children/{child_id}", worker),
        Page("caseload", "/practitioner/", worker),
    ]


def check(port: int, page: Page) -> None:
    """The page answers 200 to its reader: the load measures the page, not a redirect or an error."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", page.path, headers={"Cookie": page.signed_in.cookie})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    if response.status != 200:
        # A database made earlier keeps names encrypted with the key it was made with.
        hint = " (is FIELD_ENCRYPTION_KEYS the database's key?)" if response.status == 500 else ""
        raise SystemExit(f"{page.name} ({page.path}) answered {response.status}, not 200{hint}")


def wrk(port: int, page: Page, seconds: float) -> Load:
    """wrk with one thread (the machine is small) and CONNECTIONS connections on one page."""
    done = subprocess.run(
        [
            wrk_path(),
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-H",
            f"Cookie: {page.signed_in.cookie}",
            f"http://127.0.0.1:{port}{page.path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    out = done.stdout
    totals = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", out)
    if totals is None:
        raise SystemExit(f"could not read wrk's output:\n{out}")
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0}[totals.group(3)]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Load(requests=int(totals.group(1)), seconds=float(totals.group(2)) * scale, errors=errors)


def serve(workers: int, worker_class: str, env: dict[str, str], workdir: Path) -> Gunicorn:
    """gunicorn with `workers` processes of `worker_class` on a port of its own (started)."""
    port = free_port()
    served = {**env, "PORT": str(port), "PUBLIC_ORIGIN": f"http://localhost:{port}"}
    server = Gunicorn(
        workdir=workdir / f"workers-{workers}",
        env=served,
        port=port,
        workers=workers,
        worker_class=worker_class,  # one thread for "sync", and checked in gunicorn's log (Gunicorn.start)
    )
    server.start()  # stops what it started if it does not serve as asked
    return server


def cpu_seconds(server: Gunicorn) -> float:
    """CPU time (user and system) the server's workers have used so far, from /proc."""
    total = 0
    for pid in server.worker_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of stat
    return total / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU time every core of the machine has spent busy so far (not idle, not waiting for I/O), from /proc/stat."""
    fields = [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    busy = sum(fields[:8]) - fields[3] - fields[4]  # user nice system idle iowait irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


def measure(
    servers: dict[int, Gunicorn], to_load: list[Page], seconds: float, rounds: int
) -> dict[int, dict[str, Load]]:
    """Load each page on each server in turn, `rounds` times: on a shared machine the load of other
    jobs drifts, and taking turns spreads that drift over both worker counts alike."""
    totals = {workers: {page.name: Load(0, 0.0, 0) for page in to_load} for workers in servers}
    for page in to_load:
        for server in servers.values():
            check(server.port, page)
            wrk(server.port, page, 2)  # warm-up: templates compiled, connections pooled, in every process
    for _round in range(rounds):
        for page in to_load:
            for workers, server in servers.items():
                cpu_before, machine_before = cpu_seconds(server), machine_cpu_seconds()
                load = wrk(server.port, page, seconds)
                cpu = cpu_seconds(server) - cpu_before
                machine = machine_cpu_seconds() - machine_before
                if load.errors:
                    raise SystemExit(f"{page.name}: {load.errors} errors under load\n{server.log()}")
                was = totals[workers][page.name]
                totals[workers][page.name] = Load(
                    was.requests + load.requests,
                    was.seconds + load.seconds,
                    0,
                    was.cpu_seconds + cpu,
                    was.machine_cpu_seconds + machine,
                )
    return totals


def total_rps(loads: dict[str, Load]) -> float:
    seconds = sum(load.seconds for load in loads.values())
    return sum(load.requests for load in loads.values()) / seconds if seconds else 0.0


def total_cores(loads: dict[str, Load]) -> float:
    seconds = sum(load.seconds for load in loads.values())
    return sum(load.cpu_seconds for load in loads.values()) / seconds if seconds else 0.0


def machine_cores(loads: dict[str, Load]) -> float:
    seconds = sum(load.seconds for load in loads.values())
    return sum(load.machine_cpu_seconds for load in loads.values()) / seconds if seconds else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="the database to serve (default: a fresh SQLite file with the demo)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of each load of one page on one server")
    parser.add_argument("--rounds", type=int, default=2, help="loads of each page on each server, taking turns")
    parser.add_argument(
        "--worker-class",
        choices=("sync", "gthread"),
        default="sync",
        help="sync: one request at a time a worker (the issue's method, the default); gthread: as the app is served",
    )
    args = parser.parse_args()
    # Workers import the whole app as they boot; on a busy shared machine that took over 20 s.
    server_module.STARTUP_SECONDS = max(server_module.STARTUP_SECONDS, STARTUP_SECONDS)

    with tempfile.TemporaryDirectory(prefix="safer-plan-workers-") as tmp:
        workdir = Path(tmp)
        url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
        keys = os.environ.get("FIELD_ENCRYPTION_KEYS") or Fernet.generate_key().decode()
        env = {**server_env(url, 0, field_keys=tuple(keys.split(","))), "RATE_LIMITS": "off"}
        database = "sqlite" if url.startswith("sqlite") else "postgresql"
        child_id, member_id, practitioner_id = prepare(url, env)
        to_load = pages(url, env, child_id, member_id, practitioner_id)
        print(
            f"Read pages on {database}, {args.worker_class} workers, wrk with {CONNECTIONS} connections, "
            f"{args.rounds} x {args.seconds:g} s a page on each server, taking turns"
        )
        print(f"  load average before: {os.getloadavg()[0]:.2f} (the machine is shared: read figures as of now)")
        servers: dict[int, Gunicorn] = {}
        try:
            for workers in (1, 2):
                servers[workers] = serve(workers, args.worker_class, env, workdir)
            loads = measure(servers, to_load, args.seconds, args.rounds)
        finally:
            for server in servers.values():
                server.stop()
        print(f"  load average after: {os.getloadavg()[0]:.2f}")
        one, two = loads[1], loads[2]

    x, y = total_rps(one), total_rps(two)
    speedup = y / x if x else 0.0
    for page in to_load:
        a, b = one[page.name].rps, two[page.name].rps
        print(f"  {page.name:<22} 1 worker {a:8.1f}/s, 2 workers {b:8.1f}/s: {b / a if a else 0:.2f}x")
    # Two workers can only go faster with two cores to spend: if the machine's other jobs leave
    # them about one between them, no change to the app can show the speed-up here.
    print(
        f"  cores kept busy by the server: 1 worker {total_cores(one):.2f}, 2 workers {total_cores(two):.2f} "
        f"(of {os.cpu_count()}; load average now {os.getloadavg()[0]:.2f})"
    )
    # The rest of the machine's busy cores: wrk, the database server, this script and any other job.
    # With 2 cores, the 2-worker server can only show 1.7x if the rest leaves it about 1.7 of them.
    print(
        f"  cores busy on the whole machine: 1 worker {machine_cores(one):.2f}, 2 workers {machine_cores(two):.2f} "
        f"(the rest: {machine_cores(one) - total_cores(one):.2f} and {machine_cores(two) - total_cores(two):.2f})"
    )
    met = speedup >= GOAL
    print(
        f"  all three pages: 1 worker {x:.1f}/s, 2 workers {y:.1f}/s: {speedup:.2f}x (goal >= {GOAL}x): "
        f"{'met' if met else 'NOT MET'}"
    )
    result = {
        "database": database,
        "worker_class": args.worker_class,
        "one_worker_rps": round(x, 1),
        "two_workers_rps": round(y, 1),
        "speedup": round(speedup, 2),
        "goal": GOAL,
        "met": met,
        "cores_used": {"one_worker": round(total_cores(one), 2), "two_workers": round(total_cores(two), 2)},
        "machine_cores_busy": {"one_worker": round(machine_cores(one), 2), "two_workers": round(machine_cores(two), 2)},
        "pages": {
            page.name: {"one_worker_rps": round(one[page.name].rps, 1), "two_workers_rps": round(two[page.name].rps, 1)}
            for page in to_load
        },
    }
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
