"""Serving and loading: gunicorn as the issue measured it, wrk, and the workers' CPU from /proc.

gunicorn runs with gunicorn.conf.py's limits and timeouts but 2 sync workers (the issue's method:
one process a core, each serving one request at a time; with one thread, or gunicorn quietly
serves gthread, as it did here until December 2026); wrk holds 4 connections. CPU per request
is the workers' user + system time over the run (from /proc/<pid>/stat), divided by the requests
wrk completed. Every server started here is stopped in `finally` (tests/support/server.Gunicorn,
the same class the tests and `bench/workers.py` serve with).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

from tests.support.server import Gunicorn, free_port

TICKS = os.sysconf("SC_CLK_TCK")
# What a browser sends: the app compresses its answers for it (app/web/door.py).
BROWSER_HEADERS = {"Accept-Encoding": "br, gzip", "Accept": "text/html"}


def sync_server(app_path: str, env: dict[str, str], workdir: Path, ready_path: str) -> Gunicorn:
    """gunicorn serving `app_path` with 2 sync workers (one thread each, checked in gunicorn's log:
    tests/support/server.Gunicorn) on a free port of 127.0.0.1, started; `ready_path` answers 200
    once it serves."""
    port = free_port()
    server = Gunicorn(
        workdir=workdir,
        env={**env, "PORT": str(port)},
        port=port,
        workers=2,
        worker_class="sync",
        app_path=app_path,
        ready_path=ready_path,
    )
    server.start()
    return server


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / TICKS


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    cpu_ms_per_request: float
    requests: int
    errors: int
    bytes_per_answer: int
    # Every round's CPU ms per request, in the order run, when this is the best of several (`best_of_rounds`).
    rounds_cpu_ms: tuple[float, ...] = ()


def ensure_wrk() -> str:
    """wrk's path, installing Debian's package if it is missing (as `make browser` does Chromium)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("• wrk not found: installing Debian's wrk package…", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed")
    return found


def check(origin: str, path: str, cookie: str | None, held: str | None = None) -> int:
    """One request, no redirects followed: the page must answer 200 before it is measured (304 when
    asked with the tag of a copy `held`: what is measured is then the revalidation, not the page)."""
    expected = 304 if held else 200
    status, body, _elapsed = _get(
        http.client.HTTPConnection("127.0.0.1", int(origin.rsplit(":", 1)[1]), timeout=60), path, cookie, held
    )
    if status != expected:
        raise RuntimeError(f"{path} answered {status}, not {expected}: {body[:300]!r}")
    return len(body)


def tag_of(server: Gunicorn, path: str, cookie: str | None) -> str:
    """The ETag of the page as its reader sees it after a look of theirs (a first look moves the
    "what's new" bookmark, which the tag names): the second look's."""
    for _look in range(2):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.request("GET", path, headers=_headers(cookie))
        answer = connection.getresponse()
        answer.read()
    tag = answer.getheader("ETag")
    if answer.status != 200 or not tag:
        raise RuntimeError(f"{path} answered {answer.status} with no ETag to revalidate against")
    return tag


def wrk(server: Gunicorn, path: str, cookie: str | None, seconds: int, held: str | None = None) -> Load:
    """wrk with 4 connections for `seconds`; the workers' CPU over the same time. With `held` (an
    ETag), every request asks again for a copy the reader holds (If-None-Match), as the service
    worker revalidates: checked to answer 304 before and after."""
    size = check(server.origin, path, cookie, held)
    headers = [arg for name, value in BROWSER_HEADERS.items() for arg in ("-H", f"{name}: {value}")]
    if cookie:
        headers += ["-H", f"Cookie: {cookie}"]
    if held:
        headers += ["-H", f"If-None-Match: {held}"]
    pids = server.worker_pids()
    before = cpu_seconds(pids)
    done = subprocess.run(
        [
            ensure_wrk(),
            "-t",
            "2",
            "-c",
            "4",
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            *headers,
            f"{server.origin}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    used = cpu_seconds(pids) - before
    if sorted(server.worker_pids()) != sorted(pids):
        raise RuntimeError(f"a gunicorn worker restarted while {path} was measured")
    check(server.origin, path, cookie, held)  # still the answer measured (a 304 not turned into a 200)
    requests = int(re.search(r"(\d+) requests in", done.stdout).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    socket_errors = re.search(r"Socket errors: .*timeout (\d+)", done.stdout)
    errors = (int(bad.group(1)) if bad else 0) + (int(socket_errors.group(1)) if socket_errors else 0)
    return Load(rate, used * 1000 / max(requests, 1), requests, errors, size)


def best_of_rounds(
    server: Gunicorn, path: str, cookie: str | None, seconds: int, rounds: int, held: str | None = None
) -> Load:
    """`wrk` `rounds` times; the round that used the least CPU per request, with every round's figure.

    Other work on a shared machine (another tenant, a test run) only ever adds to a round's CPU, by
    taking the caches and the cores' turbo from it, and here it moved a page's figure by a fifth from
    one run to the next. The least of a few rounds is the page's own cost, as `make bench-cpu` takes
    the least of three batches; the failed answers of every round are counted, not only the best's."""
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, not {rounds}")
    measured = [wrk(server, path, cookie, seconds, held) for _ in range(rounds)]
    best = min(measured, key=lambda load: load.cpu_ms_per_request)
    return replace(
        best,
        errors=sum(load.errors for load in measured),
        rounds_cpu_ms=tuple(load.cpu_ms_per_request for load in measured),
    )


def _get(
    conn: http.client.HTTPConnection, path: str, cookie: str | None, held: str | None = None
) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    conn.request("GET", path, headers=_headers(cookie, held))
    answer = conn.getresponse()
    body = answer.read()
    return answer.status, body, time.perf_counter() - started


def _headers(cookie: str | None, held: str | None = None) -> dict[str, str]:
    """What a browser sends, signed in with `cookie`, holding a copy tagged `held` if given."""
    headers = dict(BROWSER_HEADERS)
    if cookie:
        headers["Cookie"] = cookie
    if held:
        headers["If-None-Match"] = held
    return headers


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float
    bytes: int


def latencies(server: Gunicorn, path: str, cookie: str, count: int) -> Latency:
    """`count` requests one after another (after two to warm the worker's caches): p50 and p95."""
    port = server.port
    times = []
    size = 0
    for number in range(count + 2):
        # Sync workers close every connection after its answer: a new one each time, as wrk does.
        status, body, elapsed = _get(http.client.HTTPConnection("127.0.0.1", port, timeout=60), path, cookie)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        size = len(body)
        if number >= 2:
            times.append(elapsed * 1000)
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return Latency(statistics.median(times), cuts[94], size)
