"""How gunicorn serves Safer Plan: `make run`, the browser tests and the test server all read this.

Production notes (more workers, Redis, the proxy in front) are in README.md, "Production".
Command-line options override what is set here (`gunicorn -c gunicorn.conf.py --workers 4 ...`).
"""

from __future__ import annotations

import os
from typing import Any

wsgi_app = "app.wsgi:application"
bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"

# Threads, not processes. A sync worker gives a whole process to each connection, so two idle
# sockets stalled two sync workers for 30 seconds (issue 14). gthread waits for a silent
# connection for at most a few seconds in a thread (gunicorn's worker data timeout, 5 s) and then
# in its poller, which costs no thread; kept-alive connections wait in the poller too.
worker_class = "gthread"
# One process: the in-memory rate-limit store is then one counter for every request (R30). More
# processes need RATELIMIT_STORAGE_URI (Redis), which production requires (app/config.py).
workers = 1
# Requests served at once. The database pool (SQLAlchemy's default: 5, and 10 more on demand)
# bounds how many of them use the database at the same moment; the rest wait their turn there.
threads = 32

# The master restarts a worker whose main loop has not reported for this long. With gthread the
# loop reports every second whatever the threads are doing, so this catches a stuck process, not a
# slow request; gunicorn's default is kept.
timeout = 30
# On a restart or stop, requests in flight get this long to finish. Below the 30 s most process
# managers wait before SIGKILL (Kubernetes' default grace period, for one), so gunicorn finishes
# its own shutdown first; far above any request this app makes.
graceful_timeout = 20
# An idle kept-alive connection is closed after this many seconds. It waits in the poller, not in
# a thread, so this bounds open sockets rather than threads. Behind a proxy that keeps upstream
# connections open, make the proxy's idle timeout shorter than this (README "Production").
keepalive = 5

# A kept-alive connection is closed after this many requests (the client opens another; gunicorn
# says "Connection: close" on the last answer). Each gunicorn process keeps the connections it
# accepted, so a few long-lived ones (a proxy's upstream pool, a load test's 4) could all sit in one
# process while the other idled: measured, wrk's 4 connections were split 3/1 or 4/0 between two
# processes about two runs in three (issue 13). Closing now and then lets the next connection go
# to whichever process accepts first, which is the less busy one; a new local connection costs
# well under a millisecond, every 20 requests.
KEPT_ALIVE_REQUESTS = 20

# Request size limits, refused by gunicorn before the app runs (414 and 431). Every URL the app
# makes is under 1 KB (a sign-in link, an audit search page) and every header it needs (its
# cookie) under 2 KB; gunicorn's defaults leave room for a proxy's headers. gunicorn's own
# answers carry none of the app's headers (CSP, nosniff): the proxy adds them (README).
limit_request_line = 4094
limit_request_fields = 64
limit_request_field_size = 8190


def on_starting(server: Any) -> None:
    """Refuse to start several processes counting rate limits in memory: each would keep its own
    count, and the 6th password attempt would be refused only sometimes (R30). The tests start
    two processes on purpose (a crash test), so there it is a warning."""
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if server.cfg.workers <= 1 or not storage.startswith("memory://"):
        return
    message = "rate limits would count per worker: use one worker, or set RATELIMIT_STORAGE_URI (R30)"
    if os.environ.get("SAFER_PLAN_ENV", "development") == "test":
        server.log.warning(message)
        return
    raise RuntimeError(message)


def pre_request(worker: Any, req: Any) -> None:
    """gunicorn's own debug line, and the close of a kept-alive connection's 20th request (above)."""
    worker.log.debug("%s %s", req.method, req.path)
    if req.req_number % KEPT_ALIVE_REQUESTS == 0:
        req.must_close = True


def post_worker_init(worker: Any) -> None:
    """Live streams end as soon as this process is asked to stop (gunicorn clears `worker.alive`
    on SIGTERM), so a restart does not wait on them (app/live/views.py).

    SQLite: start this process's job thread (app/jobs/inprocess.py), and with JOBS_SCHEDULE on
    its periodic jobs, which every process may run because each slot is claimed by one of them.
    PostgreSQL: nothing to start here; `make worker` runs the jobs."""
    from app.jobs.inprocess import InProcessRunner
    from app.jobs.queue import backend
    from app.live.views import end_streams_when

    end_streams_when(lambda: not worker.alive)

    try:
        runner = backend()
    except RuntimeError:
        # Not Safer Plan: the bare Flask route `make bench-scale` measures as its yardstick
        # (bench/bare_app.py) creates no app, so there are no jobs to run.
        return
    if isinstance(runner, InProcessRunner):
        runner.start(schedule=runner.context.settings.jobs_schedule)
