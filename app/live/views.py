"""The live stream (Server-Sent Events), one per door: `.../live?since=N` on a child's plan.

The stream checks access once, like any page (and is audited like one), lets go of the database,
then only says "plan-changed" with the channel's new count: never a word of the plan (R31). A page
that hears it fetches its own parts again through the usual views. `since` is the count the page
was rendered at: if the plan moved on before the stream opened (or while it was reconnecting),
the stream says so at once. Streams close after a few minutes; the browser opens a new one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from flask import Blueprint, Response, current_app, request
from flask_login import current_user

from app.access import policy
from app.db import Database, request_session
from app.inputs import parse_id
from app.live.broker import Broker
from app.live.changes import broker_for, current_version, event_name, plan_channel

# A stream holds a server thread; closing it now and then (Settings.live_stream_seconds, five
# minutes unless told) lets the browser reconnect to any process and bounds what a forgotten tab costs.
STREAM_SECONDS = 300.0
# A comment line this often keeps proxies and phones from dropping a quiet connection.
KEEPALIVE_SECONDS = 15.0
# While it waits, a stream wakes this often to ask whether its process is stopping (a restart, a
# deploy): then it ends, and the browser reconnects (after `retry`) to a process that is not. Left
# open, every stream held the old process up to gunicorn's graceful_timeout (20 s).
WAKE_SECONDS = 1.0


def _not_stopping() -> bool:
    return False


# Says whether this process is stopping: never, unless the server says how to tell (`end_streams_when`).
_stopping: Callable[[], bool] = _not_stopping


def end_streams_when(stopping: Callable[[], bool]) -> None:
    """Open streams end within WAKE_SECONDS once `stopping()` is true (gunicorn.conf.py passes its
    worker's `alive` flag, which gunicorn clears when it is asked to stop gracefully)."""
    global _stopping
    _stopping = stopping


def _event(channel: str, version: int | str) -> str:
    return f"event: {event_name(channel)}\ndata: {version}\n\n"


def event_stream(
    broker: Broker,
    since: dict[str, int | None],
    read_versions: Callable[[], dict[str, int]],
    seconds: float = STREAM_SECONDS,
) -> Iterator[str]:
    """The text of the stream: a reconnect delay, then an event per change, keep-alives between;
    it ends after `seconds`, or sooner if its process is stopping.

    `since` maps each channel to the count the page was rendered at (None: unknown, say it now).
    """
    yield "retry: 1000\n\n"
    with broker.subscribe(list(since)) as subscription:
        # Read the counts only once subscribed, so no change can fall between the two.
        for channel, now in read_versions().items():
            if since.get(channel) != now:
                yield _event(channel, now)
        said_at = time.monotonic()
        deadline = said_at + seconds
        while (left := deadline - time.monotonic()) > 0 and not _stopping():
            message = subscription.next_message(timeout=min(WAKE_SECONDS, left))
            if message is not None:
                yield _event(*message)
                said_at = time.monotonic()
            elif time.monotonic() - said_at >= KEEPALIVE_SECONDS:
                yield ": still here\n\n"
                said_at = time.monotonic()


def _version_reader(database: Database, channels: list[str]) -> Callable[[], dict[str, int]]:
    def read() -> dict[str, int]:
        # A session of its own, closed at once: the stream holds no connection while it waits.
        # It only reads, so it takes no write lock (app.db.ReadsFirst).
        with database.session(reads_first=True) as session:
            return {channel: current_version(session, channel) for channel in channels}

    return read


def stream(since: dict[str, int | None]) -> Response:
    """A stream of the changes on these channels; the caller has checked who may hear them."""
    database: Database = current_app.extensions["safer_plan_db"]
    seconds = float(current_app.config["SAFER_PLAN"].live_stream_seconds)
    events = event_stream(broker_for(database.engine), since, _version_reader(database, list(since)), seconds)
    response = Response(events, mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"  # a proxy must pass each event on at once
    return response


def stream_for_child(child_id: int) -> Response:
    """Check the reader may see this child's plan (audited), then stream its changes."""
    policy.require("plan.read", session=request_session(), actor=current_user.actor, child_id=child_id)
    return stream({plan_channel(child_id): parse_id(request.args.get("since", ""))})


family_blueprint = Blueprint("family_live", __name__)
practitioner_blueprint = Blueprint("practitioner_live", __name__)


@family_blueprint.get("/c/<int:child_id>/live")
def family_stream(child_id: int) -> Response:
    return stream_for_child(child_id)


@practitioner_blueprint.get("/children/<int:child_id>/live")
def practitioner_stream(child_id: int) -> Response:
    return stream_for_child(child_id)
