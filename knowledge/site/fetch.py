"""Fetching a council's website politely: robots.txt, a concurrency limit, retries with
back-off, a clear user agent, and conditional requests so an unchanged page costs one 304.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

__all__ = ["USER_AGENT", "FetchPolicy", "Fetched", "PoliteFetcher"]

log = logging.getLogger(__name__)

USER_AGENT = "TownhallSiteSync/0.1 (+council front desk; reads public pages to answer residents)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_PAGE_BYTES = 5_000_000


@dataclass(frozen=True)
class FetchPolicy:
    """How hard to knock: at most `concurrency` requests at once, `retries` more tries for a
    temporary failure, waiting `backoff_seconds` x 2^try (plus jitter, or the server's
    Retry-After when it gives one, capped at `max_wait_seconds`)."""

    concurrency: int = 4
    retries: int = 3
    backoff_seconds: float = 0.5
    max_wait_seconds: float = 30.0
    timeout_seconds: float = 20.0
    user_agent: str = USER_AGENT


@dataclass
class Fetched:
    """One URL's outcome. status 0 means no HTTP answer (network error, robots, too big)."""

    url: str
    status: int
    text: str = ""
    final_url: str = ""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    error: str | None = None
    attempts: int = 0
    blocked: bool = False  # robots.txt forbids it

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class PoliteFetcher:
    """An httpx client that obeys robots.txt for its user agent and never overloads a site."""

    def __init__(
        self, policy: FetchPolicy | None = None, transport: httpx.AsyncBaseTransport | None = None
    ):
        self.policy = policy or FetchPolicy()
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.policy.user_agent},
            timeout=self.policy.timeout_seconds,
            follow_redirects=True,
            transport=transport,
        )
        self._slots = asyncio.Semaphore(self.policy.concurrency)
        self._robots: dict[str, RobotFileParser | None] = {}
        self.requests = 0  # every HTTP request sent, retries included

    async def close(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> PoliteFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our user agent read url (no robots.txt: allowed)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            result = await self.get(urljoin(origin, "/robots.txt"), check_robots=False)
            parser: RobotFileParser | None = None
            if result.status == 200:
                parser = RobotFileParser()
                parser.parse(result.text.splitlines())
            elif result.status in (401, 403):  # the site forbids robots altogether
                parser = RobotFileParser()
                parser.parse(["User-agent: *", "Disallow: /"])
            self._robots[origin] = parser
        parser = self._robots[origin]
        return parser is None or parser.can_fetch(self.policy.user_agent, url)

    def sitemaps_from_robots(self, origin: str) -> list[str]:
        parser = self._robots.get(origin)
        return list(parser.site_maps() or []) if parser else []

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = True,
    ) -> Fetched:
        """GET url (conditionally when validators are given), retrying temporary failures."""
        if check_robots and not await self.allowed(url):
            return Fetched(url, 0, error="disallowed by robots.txt", blocked=True)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        policy = self.policy
        attempt = 0
        while True:
            attempt += 1
            wait: float | None = None
            try:
                async with self._slots:
                    self.requests += 1
                    response = await self._client.get(url, headers=headers)
                    body = response.text if response.status_code == 200 else ""
            except httpx.HTTPError as exc:
                result = Fetched(url, 0, error=_describe(exc), attempts=attempt)
            else:
                result = Fetched(
                    url,
                    response.status_code,
                    text=body,
                    final_url=str(response.url),
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                    content_type=response.headers.get("Content-Type", ""),
                    attempts=attempt,
                )
                if len(body) > MAX_PAGE_BYTES:
                    return Fetched(url, 0, error="page larger than 5 MB", attempts=attempt)
                if response.status_code in RETRY_STATUSES:
                    result.error = f"HTTP {response.status_code}"
                    wait = _retry_after(response.headers.get("Retry-After"))
                elif response.status_code not in (200, 304):
                    result.error = f"HTTP {response.status_code}"
                    return result
                else:
                    return result
            if attempt > policy.retries:
                return result
            if wait is None:
                wait = policy.backoff_seconds * 2 ** (attempt - 1) * (1 + random.random() / 4)
            wait = min(wait, policy.max_wait_seconds)
            log.info("retrying %s in %.1fs (%s)", url, wait, result.error)
            await asyncio.sleep(wait)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date); None when absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from datetime import UTC, datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    return type(exc).__name__
