"""Web Push to family phones: a neutral "something new for you" when their plan changes.

A family member opts in per phone (views.py, static/js/push.js); the subscription is kept with the
member and the phone's passkey (models.py), its keys encrypted at rest (R27), and removed with the
phone, on sign-out and quick exit, or when the push service says it is gone. The payload is the
neutral app name, a fixed sentence in the member's language and the plan's address: never plan
content, names or child data (R18). What triggers a notice is noticed where live updates notice
changes (app/live/changes.py -> triggers.py); after the commit, jobs find the phones (fanout.py)
and send to each (app/jobs/tasks.py).
"""
