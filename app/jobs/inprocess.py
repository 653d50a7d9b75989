"""SQLite (the embedded default): jobs run in a thread of each app process, so `make run` is one command.

Deferred jobs go on an in-memory queue that one daemon thread per process works through, in order.
Periodic jobs: the same thread wakes every TICK_SECONDS and, for each periodic job, works out its
latest cron slot; it runs the job only if it claims that slot first, with one conditional UPDATE
of the job's `job_schedule` row (`WHERE last_slot < :slot`), so two gunicorn processes on one
SQLite file never both run a slot. A process that starts after a slot passed runs it at once
(the sweeps are written to catch up).

Limits, said plainly: a deferred job lives in memory until it runs, so a process that stops or dies
loses the jobs it had not yet run; a job that fails is logged and not retried; a claimed slot whose
job fails is not run again until the next slot. PostgreSQL (procrastinate) has none of these limits.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from contextlib import suppress
from datetime import datetime
from typing import Any

from croniter import croniter
from sqlalchemy import or_, update
from sqlmodel import col

from app import timeutil
from app.db import insert_or_conflict
from app.errors import Conflict
from app.jobs import registry
from app.jobs.models import JobSchedule

log = logging.getLogger(__name__)

TICK_SECONDS = 30.0


def latest_slot(cron: str, now: datetime) -> datetime:
    """The most recent time `cron` (UTC) fired, at or before `now`."""
    slot: datetime = croniter(cron, now).get_prev(datetime)
    if croniter.match(cron, now.replace(second=0, microsecond=0)):
        slot = now.replace(second=0, microsecond=0)
    return slot


class InProcessRunner:
    """This process's jobs: a queue and one thread; periodic jobs claimed per slot."""

    def __init__(self, context: registry.JobContext) -> None:
        self.context = context
        self._jobs: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._schedule = False
        self._stop = threading.Event()

    def send(self, name: str, kwargs: dict[str, Any], not_before: datetime | None = None) -> None:
        wait = (not_before - timeutil.utcnow()).total_seconds() if not_before is not None else 0.0
        if wait <= 0:
            self._jobs.put((name, kwargs))
            return
        # Held in memory until then, like every job here (a process that stops loses it).
        timer = threading.Timer(wait, self._jobs.put, args=((name, kwargs),))
        timer.daemon = True
        timer.start()

    def start(self, *, schedule: bool) -> None:
        """Start this process's thread once (gunicorn's post_worker_init); `schedule`: periodic jobs too."""
        with self._lock:
            if self._thread is not None:
                return
            self._schedule = schedule
            self._thread = threading.Thread(target=self._loop, name="safer-plan-jobs", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_pending(self) -> int:
        """Run every job waiting in this process, here and now (tests; and the thread's own work)."""
        done = 0
        while True:
            try:
                name, kwargs = self._jobs.get_nowait()
            except queue.Empty:
                return done
            self._run_one(name, kwargs)
            done += 1

    def run_due_periodic(self, now: datetime | None = None) -> list[str]:
        """Run each periodic job whose latest slot this process claims first; the names run."""
        now = now or timeutil.utcnow()
        ran = []
        for task in registry.periodic_tasks():
            if task.cron and self.claim(task.name, latest_slot(task.cron, now)):
                self._run_one(task.name, {})
                ran.append(task.name)
        return ran

    def claim(self, task_name: str, slot: datetime) -> bool:
        """Take `slot` of a periodic job for this process: True for exactly one claimant."""
        with self.context.database.transaction() as session:
            if session.get(JobSchedule, task_name) is None:
                # Another process may make the row first: then the UPDATE below decides all the same.
                with suppress(Conflict):
                    insert_or_conflict(session, JobSchedule(task_name=task_name), "scheduled already")
            claimed = session.execute(
                update(JobSchedule)
                .where(
                    col(JobSchedule.task_name) == task_name,
                    or_(col(JobSchedule.last_slot).is_(None), col(JobSchedule.last_slot) < slot),
                )
                .values(last_slot=slot)
            )
            return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]

    def _run_one(self, name: str, kwargs: dict[str, Any]) -> None:
        try:
            registry.run(self.context, name, kwargs)
        except Exception as exc:
            # The job's name and the error's type only: a message or traceback could quote plan text (R21).
            log.error("job %s failed: %s", name, type(exc).__name__)

    def _loop(self) -> None:
        next_tick = 0.0
        while not self._stop.is_set():
            if self._schedule and time.monotonic() >= next_tick:
                next_tick = time.monotonic() + TICK_SECONDS
                try:
                    self.run_due_periodic()
                except Exception as exc:
                    log.error("periodic jobs could not be scheduled: %s", type(exc).__name__)
            try:
                name, kwargs = self._jobs.get(timeout=1.0)
            except queue.Empty:
                continue
            self._run_one(name, kwargs)
