"""`flask --app app worker` (`make worker`): run jobs on PostgreSQL; on SQLite, say where they run."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from app.jobs import queue

if TYPE_CHECKING:
    from app import SaferPlan


def run_worker(host: SaferPlan, *, wait: bool = True) -> None:
    """Run a procrastinate worker with the app's jobs until stopped (Ctrl+C / SIGTERM)."""
    if not queue.uses_procrastinate(host.settings.database_url):
        click.echo("• SQLite: jobs run inside the app's own processes (`make run`); no separate worker is needed.")
        return
    from app.jobs.postgres import build_app

    worker_app = build_app(queue.backend().context)
    click.echo("• Job worker started (PostgreSQL, procrastinate); Ctrl+C to stop")
    worker_app.run_worker(wait=wait)


def register(host: SaferPlan) -> None:
    @host.cli.command("worker")
    @click.option("--once", is_flag=True, help="run the jobs waiting now, then stop")
    def worker_command(once: bool) -> None:
        """Run the job worker (PostgreSQL); on SQLite jobs run in the app's processes."""
        run_worker(host, wait=not once)
