"""The audit log: who did what, when, with the text before and after. Append-only.

This module is the only writer, and it only inserts. The ORM refuses to update or delete an
audit row (listeners below), and migration 0002 makes the database refuse it too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlmodel import Session, col, select

from review_ui.records import AuditEvent

MAX_TEXT = 20_000


class AuditLogIsAppendOnly(RuntimeError):
    """Raised if any code tries to change or remove an audit event."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(*_args: Any) -> None:
    raise AuditLogIsAppendOnly("audit events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(*_args: Any) -> None:
    raise AuditLogIsAppendOnly("audit events cannot be deleted")


def record(
    db: Session,
    *,
    actor: str,
    action: str,
    target_type: str | None = None,
    target_id: str | int | None = None,
    before: str | None = None,
    after: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to the caller's transaction (it is written when the caller commits, so
    an action and its audit row are saved together or not at all)."""
    event_row = AuditEvent(
        actor=actor[:320],
        action=action[:40],
        target_type=target_type,
        target_id=None if target_id is None else str(target_id)[:64],
        before=None if before is None else before[:MAX_TEXT],
        after=None if after is None else after[:MAX_TEXT],
        detail=detail or {},
    )
    db.add(event_row)
    return event_row


def recent_events(
    db: Session,
    *,
    action: str | None = None,
    actor: str | None = None,
    target_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEvent]:
    """Newest first, optionally for one action, one person or one target."""
    query = select(AuditEvent).order_by(col(AuditEvent.id).desc())
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if target_id:
        query = query.where(AuditEvent.target_id == target_id)
    return list(db.exec(query.offset(offset).limit(limit)).all())


def actions_seen(db: Session) -> list[str]:
    """The action names present, for the filter on the audit page."""
    return sorted(a for a in db.exec(select(AuditEvent.action).distinct()).all() if a)
