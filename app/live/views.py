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
from app.live.changes import broker_for, current_version, plan_channel

# A stream holds a server thread; closing it now and then (Settings.live_stream_seconds, five
# minutes unless told) lets the browser reconnect to any process and bounds what a forgotten tab costs.
STREAM_SECONDS = 300.0
# A comment line this often keeps proxies and phones from dropping a quiet connection.
KEEPALIVE_SECONDS = 15.0
EVENT = "plan-changed"


def event_stream(
    broker: Broker, channel: str, since: int | None, read_version: Callable[[], int], seconds: float = STREAM_SECONDS
) -> Iterator[str]:
    """The text of the stream: a reconnect delay, then an event per change, keep-alives between."""
    yield "retry: 1000\n\n"
    with broker.subscribe([channel]) as subscription:
        # Read the count only once subscribed, so no change can fall between the two.
        now = read_version()
        if since is None or since != now:
            yield f"event: {EVENT}\ndata: {now}\n\n"
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            message = subscription.next_message(timeout=min(KEEPALIVE_SECONDS, left))
            if message is None:
                yield ": still here\n\n"
            else:
                yield f"event: {EVENT}\ndata: {message[1]}\n\n"


def _version_reader(database: Database, channel: str) -> Callable[[], int]:
    def read() -> int:
        # A session of its own, closed at once: the stream holds no connection while it waits.
        with database.session() as session:
            return current_version(session, channel)

    return read


def stream_for_child(child_id: int) -> Response:
    """Check the reader may see this child's plan (audited), then stream its changes."""
    policy.require("plan.read", session=request_session(), actor=current_user.actor, child_id=child_id)
    database: Database = current_app.extensions["safer_plan_db"]
    channel = plan_channel(child_id)
    since = parse_id(request.args.get("since", ""))
    seconds = float(current_app.config["SAFER_PLAN"].live_stream_seconds)
    events = event_stream(broker_for(database.engine), channel, since, _version_reader(database, channel), seconds)
    response = Response(events, mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"  # a proxy must pass each event on at once
    return response


family_blueprint = Blueprint("family_live", __name__)
practitioner_blueprint = Blueprint("practitioner_live", __name__)


@family_blueprint.get("/c/<int:child_id>/live")
def family_stream(child_id: int) -> Response:
    return stream_for_child(child_id)


@practitioner_blueprint.get("/children/<int:child_id>/live")
def practitioner_stream(child_id: int) -> Response:
    return stream_for_child(child_id)
