"""Every job the app runs, registered here and nowhere else.

To add a feature's job: write the work in the feature as a function taking plain ids and
`session=` (or opening its own transaction), then register a thin wrapper here (as the push jobs
below), and ask for it with `app.jobs.queue.defer("name", session=db, child_id=...)`.
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


@task("push_fan_out")
def push_fan_out(context: JobContext, *, child_id: int, member_ids: list[int]) -> int:
    """A committed change concerns these family members (app/push/triggers.py): one "push_send" job
    for each of their phones, so a push service that asks to wait holds back that phone alone."""
    from app.jobs.queue import defer
    from app.push.fanout import subscriptions_of

    if not context.settings.web_push:
        return 0
    phones = subscriptions_of(member_ids, context.database)
    for subscription_id in phones:
        defer("push_send", subscription_id=subscription_id, child_id=child_id)
    return len(phones)


@task("push_send")
def push_send(context: JobContext, *, subscription_id: int, child_id: int) -> str:
    """The neutral notice to one phone (R18). A 429 sends the job round again when the push
    service said (Retry-After); a phone the push service has forgotten is forgotten here too."""
    from app.jobs.queue import defer
    from app.push.sending import Result, send_one

    outcome = send_one(subscription_id, child_id, settings=context.settings, database=context.database)
    if outcome.result == Result.RETRY:
        defer("push_send", not_before=outcome.retry_at, subscription_id=subscription_id, child_id=child_id)
    return outcome.result.value
