"""Every job the app runs, registered here and nowhere else.

To add a feature's job: write the work in the feature as a function taking plain ids and
`session=` (or opening its own transaction), then register a thin wrapper here:

    @task("push_fan_out")
    def push_fan_out(context: JobContext, *, child_id: int, member_ids: list[int]) -> None:
        from app.push.operations import announce
        announce(context, child_id, member_ids)

and ask for it with `app.jobs.queue.defer("push_fan_out", session=db, child_id=..., member_ids=[...])`.
A periodic job takes no arguments and names a cron line (UTC): `@task("name", cron="5 * * * *")`.
Both backends (procrastinate on PostgreSQL, the in-process runner on SQLite) pick it up from here.
Imports stay inside the functions: this module is imported while the app is being built.

The purges: closed plans past RETENTION_DAYS (R28, also `flask purge-closed`) and ended sign-in
records. The family's offline copy has nothing on the server to purge: it lives only on the phone,
and the service worker deletes it after 14 days without signal (app/family/pwa_views.py).
"""

from __future__ import annotations

from datetime import timedelta

from app import timeutil
from app.jobs.registry import JobContext, task


@task("review_reminders", cron="7 * * * *")
def review_reminders(context: JobContext) -> int:
    """Reminders of reviews a week and a day away (hourly: a late start still sends today's)."""
    from app.notices.sweeps import send_review_reminders

    with context.database.transaction() as session:
        return send_review_reminders(session=session, today=timeutil.today())


@task("overdue_notices", cron="17 * * * *")
def overdue_notices(context: JobContext) -> int:
    """Today's notices of overdue reviews and agency actions (at most one per item per day)."""
    from app.notices.sweeps import send_overdue_notices

    with context.database.transaction() as session:
        return send_overdue_notices(session=session, today=timeutil.today())


@task("purge_closed_plans", cron="30 2 * * *")
def purge_closed_plans(context: JobContext) -> int:
    """Delete plans closed longer ago than RETENTION_DAYS (R28), as `flask purge-closed` does."""
    from app.plans.lifecycle import purge_closed_plans as purge

    with context.database.transaction() as session:
        return purge(session=session, retention=timedelta(days=context.settings.retention_days)).plans


@task("purge_sign_in_records", cron="45 2 * * *")
def purge_sign_in_records(context: JobContext) -> int:
    """Delete sign-in sessions and passkey challenges that ended more than a day ago."""
    from app.auth.sessions import purge_ended

    with context.database.transaction() as session:
        return purge_ended(session=session, now=timeutil.utcnow())
