"""Rate limits on the `limits` library: a moving window per client, in memory or in Redis.

In memory suits one worker; with several workers (or several machines) give a Redis URL so every
worker counts against the same window. Callers pass a pseudonym (`client_identity.client_id`),
never a raw address. If Redis cannot be reached the request is counted in memory instead, with
a warning, so an outage of the limiter's store neither blocks residents nor removes the limit.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)

KEY_PREFIX = "townhall:ratelimit"


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after_seconds: int = 0


class RateLimiter(Protocol):
    def hit(self, client: str) -> RateDecision:
        """Count one request from `client`; say whether it may go ahead."""
        ...


class WindowLimiter:
    """`rate` (like "30/minute" or "100/hour") per client id, on a `limits` storage."""

    def __init__(
        self,
        name: str,
        rate: str,
        storage: Storage | None = None,
        *,
        fallback: WindowLimiter | None = None,
    ) -> None:
        self.name = name
        self.item: RateLimitItem = parse(rate)
        self.storage = storage or MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self.storage)
        self._fallback = fallback
        self._warned = False

    def hit(self, client: str) -> RateDecision:
        try:
            if self._limiter.hit(self.item, self.name, client):
                return RateDecision(True)
            stats = self._limiter.get_window_stats(self.item, self.name, client)
        except Exception as exc:  # noqa: BLE001 - the store is down: count in memory instead
            if self._fallback is None:
                raise
            if not self._warned:
                log.warning(
                    "rate limiter %s: store unavailable (%s); counting in memory",
                    self.name,
                    type(exc).__name__,
                )
                self._warned = True
            return self._fallback.hit(client)
        wait = math.ceil(stats.reset_time - time.time())
        return RateDecision(False, max(1, min(wait, self.item.get_expiry())))

    def clear(self, client: str) -> None:
        """Forget a client's count (tests, and an admin lifting a limit)."""
        self._limiter.clear(self.item, self.name, client)


def make_limiter(name: str, rate: str, redis_url: str | None = None) -> WindowLimiter:
    """A limiter shared by every worker when `redis_url` is given, else in this process."""
    if not redis_url:
        return WindowLimiter(name, rate)
    storage = storage_from_string(
        redis_url, key_prefix=KEY_PREFIX, socket_timeout=0.5, socket_connect_timeout=0.5
    )
    return WindowLimiter(name, rate, storage, fallback=WindowLimiter(name, rate))


def make_rate_limiter(name: str, per_minute: int, redis_url: str | None = None) -> WindowLimiter:
    """A limiter of `per_minute` requests per client: in Redis when a URL is given."""
    return make_limiter(name, f"{per_minute}/minute", redis_url)
