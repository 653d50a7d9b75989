"""What a job is, and the one place every job is registered (app/jobs/tasks.py imports into it).

A job is a plain function `fn(context, **kwargs)`: `context` gives it the database (it opens its own
transaction: `with context.database.transaction() as session`) and the settings; its keyword
arguments are plain values (ids, short strings, dates as ISO strings), because on PostgreSQL they
are stored as JSON in procrastinate's jobs table and a job may run on another machine much later.
Never pass a model, a session or plan text: pass the id and let the job read what it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.config import Settings
    from app.db import Database


@dataclass(frozen=True)
class JobContext:
    """What a running job is given: where the database is, and the app's settings."""

    database: Database
    settings: Settings


JobFunction = Callable[..., Any]


@dataclass(frozen=True)
class Task:
    name: str
    run: JobFunction
    # A cron line (UTC) for a periodic job, run once per slot by whichever worker or process gets it.
    cron: str | None = None


TASKS: dict[str, Task] = {}


def task(name: str, *, cron: str | None = None) -> Callable[[JobFunction], JobFunction]:
    """Register `fn` as the job `name` (periodic when `cron` is given)."""

    def register(fn: JobFunction) -> JobFunction:
        if name in TASKS and TASKS[name].run is not fn:
            raise ValueError(f"two jobs are called {name!r}")
        TASKS[name] = Task(name=name, run=fn, cron=cron)
        return fn

    return register


def all_tasks() -> dict[str, Task]:
    """Every registered job (importing app.jobs.tasks registers them)."""
    import app.jobs.tasks  # noqa: F401  (registers the app's jobs)

    return TASKS


def periodic_tasks() -> list[Task]:
    return [t for t in all_tasks().values() if t.cron]


PLAIN = (int, str, bool, float, type(None))


def check_plain(name: str, kwargs: dict[str, Any]) -> None:
    """Refuse an unknown job or an argument that is not a plain value (or a list of them)."""
    if name not in all_tasks():
        raise KeyError(f"no job is called {name!r}")
    for key, value in kwargs.items():
        values = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(v, PLAIN) for v in values):
            raise TypeError(f"job {name!r}: argument {key!r} must be a plain value (an id, not an object)")


def run(context: JobContext, name: str, kwargs: dict[str, Any]) -> Any:
    """Run the job `name` with its arguments (both backends end here)."""
    return all_tasks()[name].run(context, **kwargs)
