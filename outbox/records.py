"""The outbox table: every email or webhook call Townhall owes someone, until it is sent.

A row is written in the same transaction as whatever caused it (an urgent review item, a staff
decision), so a crash or restart can lose nothing: the delivery loop finds it and sends it.
No row holds a resident's words: alert bodies carry a reference code and a link, and the only
personal value allowed is a resident's own email address as `recipient`, which is erased once
the message is sent (or given up on) when `forget_recipient` is set.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

PENDING = "pending"  # waiting for its next attempt (at next_attempt_at)
SENDING = "sending"  # claimed by one delivery loop until lease_until
SENT = "sent"
FAILED = "failed"  # gave up: a permanent refusal, or too many attempts


def utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20, index=True)  # email | webhook
    kind: str = Field(max_length=40)  # what it is for, e.g. staff_alert, reply_ready
    about: str | None = Field(default=None, max_length=64, index=True)  # e.g. a reference code
    # Enqueueing the same key twice adds one row (several workers may notice the same thing).
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True, index=True)
    recipient: str | None = Field(default=None, max_length=320)  # email address; None: webhook
    forget_recipient: bool = False
    subject: str = Field(default="", max_length=200)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    status: str = Field(default=PENDING, max_length=20, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    lease_token: str | None = Field(default=None, max_length=40)
    lease_until: datetime | None = None
    last_error: str | None = Field(default=None, max_length=200)  # a code, never server text
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
