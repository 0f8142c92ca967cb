"""The resident rate limits, on the `limits` library: in memory and in Redis."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from chatbot.rate_limit import KEY_PREFIX, WindowLimiter, make_limiter, make_rate_limiter

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_memory_limiter_counts_each_client_separately() -> None:
    limiter = make_rate_limiter("chat", 3)
    assert all(limiter.hit("client-a").allowed for _ in range(3))
    refused = limiter.hit("client-a")
    assert not refused.allowed
    assert 1 <= refused.retry_after_seconds <= 60
    assert limiter.hit("client-b").allowed


def test_memory_limiter_window_moves() -> None:
    limiter = WindowLimiter("short", "2/second")
    assert limiter.hit("a").allowed and limiter.hit("a").allowed
    assert not limiter.hit("a").allowed
    time.sleep(1.1)
    assert limiter.hit("a").allowed


@pytest.fixture
def redis_name() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {type(exc).__name__}")
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    for key in client.scan_iter(f"{KEY_PREFIX}*{name}*"):
        client.delete(key)


def test_redis_limiter_is_shared_between_workers(redis_name: str) -> None:
    worker_a = make_rate_limiter(redis_name, 3, REDIS_URL)
    worker_b = make_rate_limiter(redis_name, 3, REDIS_URL)
    assert worker_a.hit("client-1").allowed
    assert worker_b.hit("client-1").allowed
    assert worker_a.hit("client-1").allowed
    refused = worker_b.hit("client-1")
    assert not refused.allowed and 1 <= refused.retry_after_seconds <= 60
    assert worker_b.hit("client-2").allowed


def test_redis_outage_falls_back_to_memory() -> None:
    limiter = make_limiter("outage", "2/minute", "redis://127.0.0.1:1/0")
    assert limiter.hit("x").allowed and limiter.hit("x").allowed
    assert not limiter.hit("x").allowed
