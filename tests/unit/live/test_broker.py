"""Fan-out: what one publisher says, every subscriber to that channel hears, and nobody else."""

from __future__ import annotations

import threading

import pytest

from app.live.broker import Broker, LocalBroker, RedisBroker
from tests.support.redis_server import redis_url_or_skip


@pytest.fixture(params=["in-process", "redis"])
def broker(request: pytest.FixtureRequest) -> Broker:
    if request.param == "redis":
        return RedisBroker(redis_url_or_skip())
    return LocalBroker()


def test_a_subscriber_hears_its_channel_only(broker: Broker) -> None:
    with broker.subscribe(["plan:1"]) as mine, broker.subscribe(["plan:2"]) as other:
        broker.publish("plan:1", "7")
        assert mine.next_message(timeout=2) == ("plan:1", "7")
        assert other.next_message(timeout=0.2) is None


def test_waiting_with_nothing_said_returns_none_on_time(broker: Broker) -> None:
    with broker.subscribe(["plan:3"]) as subscription:
        assert subscription.next_message(timeout=0.1) is None


def test_every_subscriber_hears_it_even_from_another_thread(broker: Broker) -> None:
    with broker.subscribe(["plan:4"]) as first, broker.subscribe(["plan:4"]) as second:
        threading.Timer(0.05, broker.publish, args=("plan:4", "12")).start()
        assert first.next_message(timeout=2) == ("plan:4", "12")
        assert second.next_message(timeout=2) == ("plan:4", "12")


def test_a_subscription_ends_with_its_block() -> None:
    broker = LocalBroker()
    with broker.subscribe(["plan:5"]):
        pass
    broker.publish("plan:5", "1")  # nobody listening: nothing kept, nothing raised
    with broker.subscribe(["plan:5"]) as late:
        assert late.next_message(timeout=0.1) is None
