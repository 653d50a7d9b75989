"""A real Redis for the tests that prove fan-out across processes.

CI starts one (.ci/run); on a laptop without Redis these tests are skipped with the reason, never
passed silently. REDIS_TEST_URL picks another server.
"""

from __future__ import annotations

import os

import pytest

DEFAULT_URL = "redis://127.0.0.1:6379/15"  # database 15: nothing else on a shared Redis uses it


def redis_url_or_skip() -> str:
    """The test Redis URL if a server answers; in CI a missing server is a failure, not a skip."""
    import redis

    url = os.environ.get("REDIS_TEST_URL", DEFAULT_URL)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"CI needs a Redis server at {url}: .ci/run starts one") from exc
        pytest.skip(f"no Redis server at {url} (start one to run this test)")
    return url
