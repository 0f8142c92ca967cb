"""Adding messages to the outbox and taking them out to send, safely with several workers.

`enqueue` adds to the caller's own transaction. A delivery loop `claim_due`s a batch: each row
is taken by one conditional UPDATE whose WHERE clause only matches a row that is due and not
leased, so two workers never send the same row. A worker that dies mid-send leaves a lease that
expires, and the row is sent again (at least once, never lost).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy import update as sql_update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from outbox.records import FAILED, PENDING, SENDING, SENT, OutboxMessage, utcnow

MAX_ERROR = 200


@dataclass(frozen=True)
class Backoff:
    """Wait `base_seconds` after the first failure, doubling each time, never more than
    `max_seconds`."""

    base_seconds: float = 30.0
    factor: float = 2.0
    max_seconds: float = 3600.0

    def delay(self, failures: int) -> timedelta:
        seconds = self.base_seconds * self.factor ** max(failures - 1, 0)
        return timedelta(seconds=min(seconds, self.max_seconds))


def enqueue(
    db: Session,
    *,
    channel: str,
    kind: str,
    recipient: str | None = None,
    subject: str = "",
    body: str = "",
    payload: dict[str, Any] | None = None,
    about: str | None = None,
    dedupe_key: str | None = None,
    forget_recipient: bool = False,
    now: datetime | None = None,
) -> bool:
    """Add a message to the caller's transaction; False when `dedupe_key` is already there.
    The text must hold no personal data but the recipient's own address."""
    if channel not in ("email", "webhook"):
        raise ValueError(f"unknown outbox channel {channel!r}")
    if channel == "email" and not recipient:
        raise ValueError("an email needs a recipient")
    now = now or utcnow()
    values = {
        "channel": channel,
        "kind": kind[:40],
        "about": None if about is None else about[:64],
        "dedupe_key": None if dedupe_key is None else dedupe_key[:200],
        "recipient": recipient,
        "forget_recipient": forget_recipient,
        "subject": subject[:200],
        "body": body,
        "payload": payload or {},
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    dialect = db.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:  # pragma: no cover - Townhall runs on SQLite and PostgreSQL
        db.add(OutboxMessage(**values))
        return True
    statement = insert(OutboxMessage).values(**values)
    if dedupe_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
    # RETURNING says whether a row went in (rowcount is not reliable for ON CONFLICT on every
    # driver); SQLite has it since 3.35.
    return db.execute(statement.returning(OutboxMessage.id)).first() is not None


def known_keys(db: Session, keys: list[str]) -> set[str]:
    """Which of these dedupe keys are already in the outbox (to skip writes that would do
    nothing)."""
    if not keys:
        return set()
    found = db.exec(select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(keys)))
    return {k for k in found.all() if k}


def _due(now: datetime) -> Any:
    return or_(
        and_(OutboxMessage.status == PENDING, col(OutboxMessage.next_attempt_at) <= now),
        and_(OutboxMessage.status == SENDING, col(OutboxMessage.lease_until) < now),
    )


def claim_due(
    engine: Engine, *, now: datetime | None = None, limit: int = 20, lease_seconds: float = 120
) -> tuple[str, list[OutboxMessage]]:
    """Lease up to `limit` due messages to this caller; returns the lease token and the rows."""
    now = now or utcnow()
    token = uuid.uuid4().hex
    lease_until = now + timedelta(seconds=lease_seconds)
    with Session(engine) as db:
        ids = db.exec(
            select(OutboxMessage.id)
            .where(_due(now))
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            .limit(limit)
        ).all()
        won = []
        for message_id in ids:
            result = db.execute(
                _update()
                .where(col(OutboxMessage.id) == message_id, _due(now))
                .values(status=SENDING, lease_token=token, lease_until=lease_until)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                won.append(message_id)
        db.commit()
        if not won:
            return token, []
        rows = db.exec(
            select(OutboxMessage).where(col(OutboxMessage.id).in_(won)).order_by(OutboxMessage.id)
        ).all()
        return token, list(rows)


def mark_sent(engine: Engine, message: OutboxMessage, token: str, now: datetime) -> bool:
    """Record a delivery (and erase a resident's address if asked). False if the lease was
    lost meanwhile (another worker took the row over)."""
    values: dict[str, Any] = {
        "status": SENT,
        "sent_at": now,
        "attempts": OutboxMessage.attempts + 1,
        "lease_token": None,
        "lease_until": None,
        "last_error": None,
    }
    if message.forget_recipient:
        values["recipient"] = None
    return _finish(engine, message, token, values)


def mark_failed(
    engine: Engine,
    message: OutboxMessage,
    token: str,
    now: datetime,
    error: str,
    *,
    give_up: bool,
    retry_at: datetime | None = None,
) -> bool:
    """Record a failed attempt: back to pending until `retry_at`, or failed for good."""
    values: dict[str, Any] = {
        "attempts": OutboxMessage.attempts + 1,
        "lease_token": None,
        "lease_until": None,
        "last_error": error[:MAX_ERROR],
    }
    if give_up:
        values["status"] = FAILED
        if message.forget_recipient:
            values["recipient"] = None
    else:
        values["status"] = PENDING
        values["next_attempt_at"] = retry_at or now
    return _finish(engine, message, token, values)


def _finish(engine: Engine, message: OutboxMessage, token: str, values: dict[str, Any]) -> bool:
    with Session(engine) as db:
        result = db.execute(
            _update()
            .where(
                col(OutboxMessage.id) == message.id,
                OutboxMessage.status == SENDING,
                OutboxMessage.lease_token == token,
            )
            .values(**values)
        )
        db.commit()
        return result.rowcount == 1  # type: ignore[attr-defined]


def counts(engine: Engine) -> dict[str, int]:
    """Messages per status (for the dashboard and the CLI)."""
    out = dict.fromkeys((PENDING, SENDING, SENT, FAILED), 0)
    with Session(engine) as db:
        for status, n in db.exec(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all():
            out[status] = int(n)
    return out


def _update() -> Any:
    return sql_update(OutboxMessage).execution_options(synchronize_session=False)
