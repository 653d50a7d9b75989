"""Instructions per request of both plan pages, the caseload and a plan page answered 304 (callgrind).

Counted by valgrind's callgrind: `make bench-instructions`.

CPU time on a shared 2-core machine moves by a third from one run to the next with whatever else
runs (`make bench-cpu` takes the least of three batches and still wanders). The number of
instructions a request executes does not: counted by callgrind, the same code on the same demo
data gives the same count to about 0.5%, whatever the other core is doing. So this is the figure
to compare a change against, before and after; `make bench-cpu` and `make bench-scale` say what it
comes to in milliseconds.

Each page is measured in a process of its own under `valgrind --tool=callgrind`, collecting
nothing until the page has been fetched 10 times (imports, compiled templates, first-use caches),
then counting exactly `--requests` GETs (`callgrind_control -i on/off`), as in `make bench-cpu`:
the demo data on a scratch SQLite database, the reader signed in, the Flask test client,
`Accept-Encoding: br, gzip`. Valgrind runs Python about 50 times slower: 20 requests take about
25 s a page. `--postgres` counts the same on PostgreSQL (what `make bench-scale` serves): a
database of its own on 127.0.0.1:5432, made empty for each page and dropped afterwards. Only the
app's own process is counted, as `make bench-scale`'s CPU per request counts only the app's.

    .venv/bin/python -m bench.instructions [--requests 20] [--page PAGE] [--postgres]

PAGE is family, practitioner, caseload or family_unchanged: the young person's plan asked again with
the tag of the copy they hold, a 304, what every view costs before its lists, rendering and
compression (the floor under the plan pages' figures). Without --page, all four.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PAGES = ("family", "practitioner", "caseload", "family_unchanged")
# The server every machine of this kind runs (TOOLCHAIN.md); the database is this script's alone.
POSTGRES_SERVER = "postgresql+psycopg://postgres:postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "bench_instructions"
NAMES = {
    "family": "young person's plan",
    "practitioner": "practitioner's plan",
    "caseload": "caseload",
    "family_unchanged": "young person's plan, 304",
}
WARM_UP = 10


def count_in_this_process(page_name: str, requests: int, database_url: str | None) -> None:
    """Run under callgrind: warm up, then count `requests` GETs of the page (toggling collection)."""
    from bench.plan_cpu import demo_app

    with (
        tempfile.TemporaryDirectory(prefix="instructions-") as workdir,
        demo_app(Path(workdir), database_url) as pages,
    ):
        page = getattr(pages, page_name)
        for _ in range(WARM_UP):
            answer = page.get()
            if answer.status_code != page.status:
                raise SystemExit(f"{page.name} answered {answer.status_code}, not {page.status}")
        pid = str(os.getpid())
        subprocess.run(["callgrind_control", "--instr=on", pid], check=True, capture_output=True)
        for _ in range(requests):
            page.get()
        subprocess.run(["callgrind_control", "--instr=off", pid], check=True, capture_output=True)


def _postgres(create: bool) -> None:
    """Drop this script's database, and create it empty again if `create`."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)"))
            if create:
                connection.execute(text(f"CREATE DATABASE {POSTGRES_DATABASE}"))
    finally:
        engine.dispose()


def measure(page_name: str, requests: int, postgres: bool) -> float:
    """Millions of instructions per request of one page (a valgrind run of this module)."""
    if postgres:
        _postgres(create=True)
    with tempfile.TemporaryDirectory(prefix="callgrind-") as workdir:
        out = Path(workdir) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            "-m",
            "bench.instructions",
            "--inner",
            page_name,
            "--requests",
            str(requests),
            *(["--postgres"] if postgres else []),
        ]
        # A fixed hash seed: set and dict orders, and so the work they do, are the same each run.
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        try:
            run = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        finally:
            if postgres:
                _postgres(create=False)
        if run.returncode != 0:
            raise SystemExit(f"valgrind failed on the {NAMES[page_name]}:\n{run.stderr[-2000:]}")
        totals = [line for line in out.read_text().splitlines() if line.startswith("totals:")]
        if not totals:
            raise SystemExit(f"callgrind wrote no totals for the {NAMES[page_name]}")
        return int(totals[0].split()[1]) / requests / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--page", choices=PAGES)
    parser.add_argument("--postgres", action="store_true", help="count on PostgreSQL (127.0.0.1:5432)")
    parser.add_argument("--inner", choices=PAGES, help=argparse.SUPPRESS)  # the run under valgrind
    args = parser.parse_args()
    if args.inner:
        database_url = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}" if args.postgres else None
        count_in_this_process(args.inner, args.requests, database_url)
        return 0
    for tool in ("valgrind", "callgrind_control"):
        if shutil.which(tool) is None:
            sudo = "" if os.geteuid() == 0 else "sudo "
            raise SystemExit(f"{tool} is needed: {sudo}apt-get install -y valgrind")
    where = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Instructions per request (callgrind, {args.requests} requests after {WARM_UP} to warm up, demo, {where})")
    for page_name in [args.page] if args.page else PAGES:
        print(f"{NAMES[page_name]:<26} {measure(page_name, args.requests, args.postgres):>8.2f} M", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
