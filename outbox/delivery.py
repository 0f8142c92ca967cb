"""Sending what is due, with back-off, and the loop that keeps doing it.

`Deliverer.deliver_due()` is one pass: lease the due messages, send each through its channel's
sender, record the outcome (sent, retry later, or give up) and report every attempt to
`on_attempt` (the composition root audits them). `OutboxWorker` runs jobs like it every few
seconds in a background thread; with several workers each runs its own, and the leases keep
them from sending a message twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from outbox.records import OutboxMessage, utcnow
from outbox.senders import DeliveryFailed, Sender
from outbox.store import Backoff, claim_due, mark_failed, mark_sent

log = logging.getLogger("townhall.outbox")


@dataclass(frozen=True)
class Attempt:
    """One try at one message, as the audit log records it (no text, no address)."""

    message_id: int
    channel: str
    kind: str
    about: str | None
    attempt: int  # 1 for the first try
    ok: bool
    error: str | None = None
    gave_up: bool = False
    retry_at: datetime | None = None


class Deliverer:
    def __init__(
        self,
        engine: Engine,
        senders: dict[str, Sender],
        *,
        clock: Callable[[], datetime] = utcnow,
        backoff: Backoff | None = None,
        max_attempts: int = 10,
        lease_seconds: float = 120.0,
        batch: int = 20,
        on_attempt: Callable[[Attempt], None] | None = None,
    ) -> None:
        self.engine = engine
        self.senders = senders
        self.clock = clock
        self.backoff = backoff or Backoff()
        self.max_attempts = max_attempts
        self.lease_seconds = lease_seconds
        self.batch = batch
        self.on_attempt = on_attempt

    def deliver_due(self) -> int:
        """One pass over what is due now; returns the number of attempts made."""
        token, messages = claim_due(
            self.engine, now=self.clock(), limit=self.batch, lease_seconds=self.lease_seconds
        )
        for message in messages:
            self._attempt(message, token)
        return len(messages)

    def _attempt(self, message: OutboxMessage, token: str) -> None:
        number = message.attempts + 1
        sender = self.senders.get(message.channel)
        try:
            if sender is None:
                raise DeliveryFailed(f"no {message.channel} sender configured")
            sender.send(message)
        except DeliveryFailed as exc:
            now = self.clock()
            give_up = exc.permanent or number >= self.max_attempts
            retry_at = None if give_up else now + self.backoff.delay(number)
            mark_failed(
                self.engine, message, token, now, exc.code, give_up=give_up, retry_at=retry_at
            )
            log.warning(
                "outbox %s #%s (%s) attempt %d failed: %s%s",
                message.channel,
                message.id,
                message.kind,
                number,
                exc.code,
                " - giving up" if give_up else "",
            )
            self._report(message, number, False, exc.code, give_up, retry_at)
            return
        except Exception as exc:  # noqa: BLE001 - a sender bug must not stop the loop
            now = self.clock()
            give_up = number >= self.max_attempts
            retry_at = None if give_up else now + self.backoff.delay(number)
            code = f"error {type(exc).__name__}"
            mark_failed(self.engine, message, token, now, code, give_up=give_up, retry_at=retry_at)
            log.exception("outbox %s #%s: sender error", message.channel, message.id)
            self._report(message, number, False, code, give_up, retry_at)
            return
        mark_sent(self.engine, message, token, self.clock())
        self._report(message, number, True)

    def _report(
        self,
        message: OutboxMessage,
        number: int,
        ok: bool,
        error: str | None = None,
        gave_up: bool = False,
        retry_at: datetime | None = None,
    ) -> None:
        if self.on_attempt is None:
            return
        attempt = Attempt(
            message_id=int(message.id or 0),
            channel=message.channel,
            kind=message.kind,
            about=message.about,
            attempt=number,
            ok=ok,
            error=error,
            gave_up=gave_up,
            retry_at=retry_at,
        )
        try:
            self.on_attempt(attempt)
        except Exception:  # noqa: BLE001 - the message went (or not) whatever the audit says
            log.exception("outbox: could not record attempt on #%s", message.id)


class OutboxWorker:
    """Runs `jobs` (each a no-argument callable) one after the other every `interval`
    seconds in a daemon thread, until `stop()`. A failing job is logged and tried next time."""

    def __init__(self, jobs: list[Callable[[], Any]], interval: float = 5.0) -> None:
        self.jobs = jobs
        self.interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="townhall-outbox", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Run the jobs now rather than at the next tick."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_once(self) -> None:
        for job in self.jobs:
            if self._stop.is_set():
                return
            try:
                job()
            except Exception:  # noqa: BLE001 - e.g. the database is briefly away
                log.exception("outbox: a background job failed; trying again next time")

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._wake.wait(self.interval)
            self._wake.clear()
