"""The resident rate limits: a sliding window per client, in memory and in Redis."""

from __future__ import annotations

import time
import uuid

import pytest

from chatbot.rate_limit import MemoryRateLimiter, RedisRateLimiter, client_key, make_rate_limiter

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_memory_limiter_counts_each_client_separately() -> None:
    limiter = MemoryRateLimiter(limit=3, window_seconds=60)
    assert all(limiter.hit("198.51.100.7").allowed for _ in range(3))
    refused = limiter.hit("198.51.100.7")
    assert not refused.allowed
    assert 1 <= refused.retry_after_seconds <= 60
    assert limiter.hit("198.51.100.8").allowed


def test_memory_limiter_window_slides() -> None:
    limiter = MemoryRateLimiter(limit=2, window_seconds=0.3)
    assert limiter.hit("a").allowed and limiter.hit("a").allowed
    assert not limiter.hit("a").allowed
    time.sleep(0.35)
    assert limiter.hit("a").allowed


def test_client_addresses_are_not_used_raw() -> None:
    assert "203.0.113.5" not in client_key("203.0.113.5")


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {type(exc).__name__}")
    return REDIS_URL


def test_redis_limiter_is_shared_between_workers(redis_url: str) -> None:
    name = f"test-{uuid.uuid4().hex[:8]}"
    worker_a = RedisRateLimiter(redis_url, name, limit=3)
    worker_b = RedisRateLimiter(redis_url, name, limit=3)
    assert worker_a.hit("192.0.2.1").allowed
    assert worker_b.hit("192.0.2.1").allowed
    assert worker_a.hit("192.0.2.1").allowed
    refused = worker_b.hit("192.0.2.1")
    assert not refused.allowed and 1 <= refused.retry_after_seconds <= 60
    assert worker_b.hit("192.0.2.2").allowed


def test_redis_outage_falls_back_to_memory() -> None:
    limiter = make_rate_limiter("outage", 2, "redis://127.0.0.1:1/0")
    assert limiter.hit("x").allowed and limiter.hit("x").allowed
    assert not limiter.hit("x").allowed
