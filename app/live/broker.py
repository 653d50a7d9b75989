"""Fan-out of "channel changed" messages: Redis pub/sub across processes, or within one process.

Redis is used when configured (every gunicorn process and every machine then hears every change);
without it (the embedded default, one `make run` process), subscribers in the same process hear
it. Messages are channel version numbers only, never content (R31). Redis pub/sub does not replay:
the version in the database lets a page that reconnects tell it missed something.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

# Keep our channels apart from anything else on a shared Redis.
PREFIX = "saferplan:"
# How long to wait for Redis to confirm a subscription.
SUBSCRIBE_SECONDS = 5.0


class Subscription(Protocol):
    def next_message(self, timeout: float) -> tuple[str, str] | None:
        """The next (channel, message), or None if `timeout` seconds passed without one."""


class Broker(Protocol):
    def publish(self, channel: str, message: str) -> None: ...

    def subscribe(self, channels: list[str]) -> AbstractContextManager[Subscription]:
        """A subscription that ends when the `with` block does."""


class LocalBroker:
    """Subscribers in this process only: one queue each, fed by publish()."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, set[queue.Queue[tuple[str, str]]]] = {}

    def publish(self, channel: str, message: str) -> None:
        with self._lock:
            listeners = list(self._queues.get(channel, ()))
        for listener in listeners:
            listener.put((channel, message))

    @contextmanager
    def subscribe(self, channels: list[str]) -> Iterator[Subscription]:
        inbox: queue.Queue[tuple[str, str]] = queue.Queue()
        with self._lock:
            for channel in channels:
                self._queues.setdefault(channel, set()).add(inbox)
        try:
            yield _QueueSubscription(inbox)
        finally:
            with self._lock:
                for channel in channels:
                    self._queues.get(channel, set()).discard(inbox)
                    if not self._queues.get(channel):
                        self._queues.pop(channel, None)


class _QueueSubscription:
    def __init__(self, inbox: queue.Queue[tuple[str, str]]) -> None:
        self._inbox = inbox

    def next_message(self, timeout: float) -> tuple[str, str] | None:
        try:
            return self._inbox.get(timeout=timeout)
        except queue.Empty:
            return None


class RedisBroker:
    """Every process and machine that shares the Redis server hears every change."""

    def __init__(self, url: str) -> None:
        import redis

        # A short socket timeout: publishing after a commit must never hold a request up for long.
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def publish(self, channel: str, message: str) -> None:
        self._redis.publish(PREFIX + channel, message)

    @contextmanager
    def subscribe(self, channels: list[str]) -> Iterator[Subscription]:
        pubsub = self._redis.pubsub()
        pubsub.subscribe(*(PREFIX + channel for channel in channels))
        # Wait until Redis confirms every channel: only then is nothing published from now on missed
        # (the stream reads the channel's count after this, so the two cannot miss a change between them).
        confirmed = 0
        deadline = time.monotonic() + SUBSCRIBE_SECONDS
        while confirmed < len(channels) and time.monotonic() < deadline:
            message = pubsub.get_message(timeout=deadline - time.monotonic())
            if message and message.get("type") == "subscribe":
                confirmed += 1
        try:
            yield _RedisSubscription(pubsub)
        finally:
            pubsub.close()


class _RedisSubscription:
    def __init__(self, pubsub: object) -> None:
        self._pubsub = pubsub

    def next_message(self, timeout: float) -> tuple[str, str] | None:
        # get_message returns None early for the confirmations it skips: wait out the full timeout.
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            message = self._pubsub.get_message(timeout=left)  # type: ignore[attr-defined]
            if message and message.get("type") == "message":
                channel = message["channel"]
                data = message["data"]
                channel = channel.decode() if isinstance(channel, bytes) else str(channel)
                data = data.decode() if isinstance(data, bytes) else str(data)
                return channel.removeprefix(PREFIX), data
        return None


def make_broker(url: str) -> Broker:
    """Redis when a URL is given (redis://...), else this process only."""
    return RedisBroker(url) if url else LocalBroker()
