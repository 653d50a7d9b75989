"""PostgreSQL: jobs are rows in procrastinate's tables, run by `make worker` on any machine.

Deferred jobs are durable (a worker that dies mid-job leaves it "doing"; retry_stalled_jobs, every
10 minutes, sends it round again once that worker's heartbeat has stopped). Periodic jobs are
deferred by every worker, but procrastinate's unique constraint on (task, periodic id, slot) lets
only one of them in, so every machine may run workers. Its schema is created by the Alembic
revision 0027_job_queue (from procrastinate's own shipped SQL), never by `procrastinate schema`.
Behind PgBouncer in transaction mode, set JOBS_LISTEN_NOTIFY=off (LISTEN needs a session).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import procrastinate
from procrastinate import job_context
from sqlalchemy.engine import make_url

from app.jobs import registry

# One queue for the app's jobs; procrastinate's builtin jobs keep their own ("builtin").
QUEUE = "safer_plan"
# A job that raised is tried again, up to 5 attempts, a minute apart and then longer.
RETRY = procrastinate.RetryStrategy(max_attempts=5, wait=60, exponential_wait=2)
# Finished jobs are kept this long (for looking into a problem), then removed by a builtin job.
KEEP_FINISHED_HOURS = 72


def conninfo(database_url: str) -> str:
    """The SQLAlchemy URL (postgresql+psycopg://...) as a libpq connection string for psycopg."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def build_app(context: registry.JobContext, connector: Any = None) -> procrastinate.App:
    """A procrastinate App holding every registered job, running them with `context` (tests pass
    procrastinate's InMemoryConnector as `connector`)."""
    connector = connector or procrastinate.PsycopgConnector(
        conninfo=conninfo(context.settings.database_url),
        # Few connections: a web process only inserts jobs; a worker runs one job at a time.
        min_size=1,
        max_size=4,
        # PgBouncer in transaction mode cannot keep prepared statements (TOOLCHAIN.md).
        kwargs={"prepare_threshold": None},
    )
    app = procrastinate.App(
        connector=connector,
        worker_defaults={"listen_notify": context.settings.jobs_listen_notify, "queues": [QUEUE, "builtin"]},
    )
    for task in registry.all_tasks().values():
        _register(app, context, task)
    _register_housekeeping(app)
    return app


def _register(app: procrastinate.App, context: registry.JobContext, task: registry.Task) -> None:
    def run(**kwargs: Any) -> None:
        kwargs.pop("timestamp", None)  # periodic jobs are given their slot; the sweeps use the clock
        registry.run(context, task.name, kwargs)

    run.__name__ = task.name
    job = app.task(name=task.name, queue=QUEUE, retry=RETRY)(run)
    if task.cron:
        # The stubs want a `timestamp: int` parameter; `run` takes it among its **kwargs.
        app.periodic(cron=task.cron, periodic_id=task.name)(job)  # type: ignore[arg-type]


def _register_housekeeping(app: procrastinate.App) -> None:
    @app.periodic(cron="*/10 * * * *", periodic_id="retry_stalled_jobs")
    @app.task(name="retry_stalled_jobs", queue="builtin", queueing_lock="retry_stalled_jobs", pass_context=True)
    async def retry_stalled_jobs(context: job_context.JobContext, timestamp: int) -> None:
        """Send round again the jobs of workers whose heartbeat stopped (a crash, a killed machine)."""
        manager = context.app.job_manager
        for job in await manager.get_stalled_jobs():
            await manager.retry_job(job)

    @app.periodic(cron="40 3 * * *", periodic_id="remove_old_jobs")
    @app.task(name="remove_old_jobs", queue="builtin", queueing_lock="remove_old_jobs", pass_context=True)
    async def remove_old_jobs(context: job_context.JobContext, timestamp: int) -> None:
        """Keep procrastinate's table small: finished jobs go after KEEP_FINISHED_HOURS."""
        await context.app.job_manager.delete_old_jobs(nb_hours=KEEP_FINISHED_HOURS, include_failed=False)


class ProcrastinateBackend:
    """A web process's side: it only inserts jobs (its pool opens on the first one)."""

    def __init__(self, context: registry.JobContext) -> None:
        self.context = context
        self.app = build_app(context)
        self._opened = False
        self._lock = threading.Lock()

    def send(self, name: str, kwargs: dict[str, Any], not_before: datetime | None = None) -> None:
        with self._lock:
            if not self._opened:
                self.app.open()
                self._opened = True
        self.app.configure_task(name, queue=QUEUE, schedule_at=_aware(not_before)).defer(**kwargs)

    def close(self) -> None:
        with self._lock:
            if self._opened:
                self.app.close()
                self._opened = False


def _aware(moment: datetime | None) -> datetime | None:
    """procrastinate wants an aware time (the app's are: app.timeutil.utcnow); a naive one is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
