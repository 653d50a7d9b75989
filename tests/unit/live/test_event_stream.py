"""The stream's own timing (app.live.views.event_stream): keep-alives on a quiet connection, changes
as they come, and an end within a wake once its process is stopping (a restart or a deploy)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from app.live import views
from app.live.broker import LocalBroker

CHANNEL = "plan:1"


def _versions() -> dict[str, int]:
    return {CHANNEL: 3}


@pytest.fixture
def stopping() -> Iterator[threading.Event]:
    """This process's "am I stopping?", as gunicorn.conf.py wires it, restored afterwards."""
    flag = threading.Event()
    views.end_streams_when(flag.is_set)
    try:
        yield flag
    finally:
        views.end_streams_when(lambda: False)  # as a process that no server told how to tell


def _read_in_thread(chunks: Iterator[str]) -> tuple[list[str], threading.Thread]:
    said: list[str] = []
    reader = threading.Thread(target=lambda: said.extend(chunks), daemon=True)
    reader.start()
    return said, reader


def test_a_stream_ends_within_a_wake_once_its_process_is_stopping(stopping: threading.Event) -> None:
    broker = LocalBroker()
    said, reader = _read_in_thread(views.event_stream(broker, {CHANNEL: 3}, _versions, seconds=300))
    time.sleep(0.3)
    assert reader.is_alive()  # open and waiting: nothing changed, nothing to stop it
    asked = time.monotonic()
    stopping.set()
    reader.join(timeout=10)
    assert not reader.is_alive(), "the stream went on after its process was asked to stop"
    assert time.monotonic() - asked < views.WAKE_SECONDS + 1.0
    assert said == ["retry: 1000\n\n"]  # it ends cleanly: the browser reconnects after `retry`


def test_a_quiet_stream_says_it_is_still_there_every_keepalive_not_every_wake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "WAKE_SECONDS", 0.05)
    monkeypatch.setattr(views, "KEEPALIVE_SECONDS", 0.4)
    said = list(views.event_stream(LocalBroker(), {CHANNEL: 3}, _versions, seconds=1.0))
    keepalives = said.count(": still here\n\n")
    assert said[0] == "retry: 1000\n\n" and len(said) == 1 + keepalives
    assert 1 <= keepalives <= 3  # one per 0.4 s of quiet (2 in 1 s), not one per 0.05 s wake (20)


def test_a_change_is_said_as_it_comes_and_a_missed_one_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "WAKE_SECONDS", 0.05)
    broker = LocalBroker()
    threading.Timer(0.3, broker.publish, args=(CHANNEL, "4")).start()
    said = list(views.event_stream(broker, {CHANNEL: 2}, _versions, seconds=0.8))
    changed = "event: plan-changed\ndata: {}\n\n"
    assert said[:2] == ["retry: 1000\n\n", changed.format(3)]  # rendered at 2, it is at 3 now
    assert changed.format(4) in said[2:]
