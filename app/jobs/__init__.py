"""Jobs that run themselves (issue 10, item 3): one seam, two ways of running.

    from app.jobs.queue import defer
    defer("task_name", session=db, child_id=3)   # sent when `db` commits; dropped if it rolls back

- registry.py   what a job is (a name, a function, a cron for periodic ones); `@task` registers one
- tasks.py      every job of the app, registered in this one file (a feature adds its own here)
- queue.py      `defer()` and which backend runs jobs in this process (chosen by DATABASE_URL)
- postgres.py   PostgreSQL: procrastinate (durable jobs, `make worker`, periodic jobs de-duplicated)
- inprocess.py  SQLite: a thread in each app process runs jobs, and periodic jobs claimed per slot
- models.py     the in-process scheduler's claims (table job_schedule)
- commands.py   `flask --app app worker` (`make worker`)
"""
