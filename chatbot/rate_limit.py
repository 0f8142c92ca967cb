"""Per-client rate limits for the resident API: a sliding window, in memory or in Redis.

In memory suits one worker; with several workers (or several machines) give a Redis URL so every
worker counts against the same window. Client addresses are hashed before they are used as keys.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after_seconds: int = 0


class RateLimiter(Protocol):
    def hit(self, client: str) -> RateDecision:
        """Count one request from `client`; say whether it may go ahead."""
        ...


def client_key(client: str) -> str:
    """A stable pseudonym for a client address, so raw IP addresses are never used as keys."""
    return hashlib.sha256(client.encode("utf-8")).hexdigest()[:24]


class MemoryRateLimiter:
    """A sliding-window log per client, for a single worker process (thread-safe)."""

    def __init__(self, limit: int, window_seconds: float = 60.0, max_clients: int = 50_000) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_clients = max_clients
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> RateDecision:
        now = time.monotonic()
        key = client_key(client)
        with self._lock:
            if len(self._hits) >= self.max_clients:
                self._forget_idle(now)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                wait = hits[0] + self.window - now
                return RateDecision(False, max(1, math.ceil(wait)))
            hits.append(now)
            return RateDecision(True)

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]
        for k in idle:
            del self._hits[k]


_SLIDING_WINDOW_LUA = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, math.ceil(window * 1000))
  return {1, '0'}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, tostring(tonumber(oldest[2]) + window - now)}
"""


class RedisRateLimiter:
    """The same sliding window, kept in Redis (atomic Lua script) and shared by every worker.

    If Redis cannot be reached the request is counted in memory instead, with a warning, so an
    outage of the limiter's store neither blocks residents nor removes the limit.
    """

    def __init__(self, redis_url: str, name: str, limit: int, window_seconds: float = 60.0) -> None:
        import redis

        self.limit = limit
        self.window = window_seconds
        self.prefix = f"townhall:ratelimit:{name}:"
        self._client = redis.Redis.from_url(
            redis_url, socket_timeout=0.5, socket_connect_timeout=0.5
        )
        self._script = self._client.register_script(_SLIDING_WINDOW_LUA)
        self._fallback = MemoryRateLimiter(limit, window_seconds)
        self._warned = False

    def hit(self, client: str) -> RateDecision:
        import redis

        key = self.prefix + client_key(client)
        try:
            allowed, wait = self._script(
                keys=[key], args=[time.time(), self.window, self.limit, uuid.uuid4().hex]
            )
        except redis.RedisError as exc:
            if not self._warned:
                log.warning("rate limiter: Redis unavailable (%s); counting in memory", type(exc))
                self._warned = True
            return self._fallback.hit(client)
        if int(allowed):
            return RateDecision(True)
        return RateDecision(False, max(1, math.ceil(float(wait))))


def make_rate_limiter(
    name: str, per_minute: int, redis_url: str | None = None
) -> MemoryRateLimiter | RedisRateLimiter:
    """A limiter of `per_minute` requests per client: in Redis when a URL is given."""
    if redis_url:
        return RedisRateLimiter(redis_url, name, per_minute)
    return MemoryRateLimiter(per_minute)
