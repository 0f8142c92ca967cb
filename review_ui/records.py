"""Tables the staff app owns: staff accounts, their sessions and the append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from chatbot.records import utcnow


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True, max_length=320)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)  # reviewer | admin
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class StaffSession(SQLModel, table=True):
    """Server-side session: the cookie carries only a random token; we store its hash."""

    __tablename__ = "staff_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class AuditEvent(SQLModel, table=True):
    """Append-only: nothing in the app updates or deletes these rows."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=320)  # staff email, or "system"
    # sign_in | sign_in_failed | sign_out | claim | release | approve | edit | reject | expire |
    # user_add | user_change | answer_edit | answer_retire | answer_expiry | threshold_change
    action: str = Field(max_length=40, index=True)
    target_type: str | None = Field(default=None, max_length=40)
    target_id: str | None = Field(default=None, max_length=64)
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class UsageStatistic(SQLModel, table=True):
    """Counts kept after the records behind them are purged (no text, no ids): questions per
    day by status and route, review decisions per day by status, route and service area, and
    answer feedback per day by verdict (status), reason (route) and service area."""

    __tablename__ = "usage_statistic"

    id: int | None = Field(default=None, primary_key=True)
    day: str = Field(max_length=10, index=True)  # YYYY-MM-DD (UTC)
    kind: str = Field(max_length=20)  # question | review_item | feedback
    status: str = Field(default="", max_length=20)
    route: str = Field(default="", max_length=30)
    service_area: str | None = Field(default=None, max_length=60)
    count: int = 0


class PasswordReset(SQLModel, table=True):
    """A one-time reset link an admin issued: only its SHA-256 is kept, it expires, and the
    conditional UPDATE that uses it (used_at IS NULL) lets it work once."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    created_by: str = Field(max_length=320)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
