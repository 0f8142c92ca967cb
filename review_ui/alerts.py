"""Alerts that reach staff: a new urgent question, and any question left unclaimed too long.

`AlertScanner.scan()` looks at the open queue and enqueues what is owed to the council's
on-call address and/or webhook (through the outbox, which sends with retries and survives a
restart). Each alert has a key that says which alert of which item it is (the urgent alert,
then the 1st, 2nd... reminder while nobody claims it), so running the scan often, in several
workers at once, never sends the same alert twice. Alerts hold the reference, the route, the
priority, the urgent categories and a link: never the resident's words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chatbot.records import ReviewItem, utcnow
from outbox import Attempt, enqueue, known_keys
from review_ui import audit
from review_ui.labels import route_label, service_area_label, urgent_categories

ALERT_KIND = "staff_alert"


@dataclass(frozen=True)
class AlertPolicy:
    """Where alerts go and when (plain values from the composition root)."""

    email: str | None = None
    webhook: bool = False
    staff_url: str = "http://127.0.0.1:8000"  # links point at {staff_url}/staff/items/{id}
    unclaimed_minutes: int = 1440  # any open item unclaimed this long is overdue
    repeat_minutes: int = 1440  # ... and reminded again this often while unclaimed
    urgent_repeat_minutes: int = 15  # an urgent item is reminded this often while unclaimed
    claim_ttl_minutes: int = 30  # a lapsed claim counts as unclaimed

    @property
    def active(self) -> bool:
        return bool(self.email or self.webhook)


@dataclass(frozen=True)
class Alert:
    item: ReviewItem
    event: str  # urgent | unclaimed
    number: int  # 0 for the urgent alert itself, 1.. for reminders
    waiting_minutes: int


class AlertScanner:
    def __init__(
        self, engine: Engine, policy: AlertPolicy, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.engine = engine
        self.policy = policy
        self.clock = clock

    def due_alerts(self, now: datetime | None = None) -> list[Alert]:
        """Every alert the open queue deserves by now (including ones already sent)."""
        now = now or self.clock()
        p = self.policy
        lapsed = now - timedelta(minutes=p.claim_ttl_minutes)
        overdue = now - timedelta(minutes=min(p.unclaimed_minutes, p.urgent_repeat_minutes))
        unclaimed = or_(
            ReviewItem.status == "new",
            and_(ReviewItem.status == "claimed", col(ReviewItem.claimed_at) < lapsed),
        )
        query = select(ReviewItem).where(
            unclaimed, or_(ReviewItem.priority == 0, col(ReviewItem.created_at) <= overdue)
        )
        with Session(self.engine) as db:
            items = list(db.exec(query.order_by(col(ReviewItem.id)).limit(500)).all())
        alerts: list[Alert] = []
        for item in items:
            waited = now - _aware(item.created_at)
            minutes = max(int(waited.total_seconds() // 60), 0)
            if item.priority == 0:
                alerts.append(Alert(item, "urgent", 0, minutes))
                first, every = p.urgent_repeat_minutes, p.urgent_repeat_minutes
            else:
                first, every = p.unclaimed_minutes, p.repeat_minutes
            if minutes >= first:
                number = 1 + (minutes - first) // every
                alerts.append(Alert(item, "unclaimed", number, minutes))
        return alerts

    def scan(self) -> int:
        """Enqueue the alerts not sent yet; returns how many messages were added."""
        if not self.policy.active:
            return 0
        now = self.clock()
        wanted: list[tuple[str, str, Alert]] = []
        for alert in self.due_alerts(now):
            if self.policy.email:
                wanted.append((_key(alert, "email"), "email", alert))
            if self.policy.webhook:
                wanted.append((_key(alert, "webhook"), "webhook", alert))
        added = 0
        with Session(self.engine) as db:
            seen = known_keys(db, [key for key, _, _ in wanted])
            for key, channel, alert in wanted:
                if key in seen:
                    continue
                added += enqueue(db, **self._message(alert, channel, key), now=now)
            db.commit()
        return added

    def _message(self, alert: Alert, channel: str, key: str) -> dict[str, Any]:
        item = alert.item
        link = f"{self.policy.staff_url.rstrip('/')}/staff/items/{item.id}"
        categories = urgent_categories(item)
        common = {"kind": ALERT_KIND, "about": item.reference, "dedupe_key": key}
        if channel == "webhook":
            return {
                **common,
                "channel": "webhook",
                "payload": {
                    "event": alert.event,
                    "reference": item.reference,
                    "route": item.route,
                    "priority": item.priority,
                    "urgent_categories": categories,
                    "service_area": item.service_area,
                    "link": link,
                    "received_at": _aware(item.created_at).isoformat(),
                    "waiting_minutes": alert.waiting_minutes,
                    "reminder": alert.number,
                },
            }
        return {
            **common,
            "channel": "email",
            "recipient": self.policy.email,
            "subject": _subject(alert),
            "body": _body(alert, link, categories),
        }


def _key(alert: Alert, channel: str) -> str:
    return f"alert:{alert.item.reference}:{alert.event}:{alert.number}:{channel}"


def _subject(alert: Alert) -> str:
    ref = alert.item.reference
    urgent = "Urgent question" if alert.item.priority == 0 else "Question"
    if alert.event == "urgent":
        return f"Urgent question waiting: {ref}"
    return f"{urgent} still unclaimed after {_duration(alert.waiting_minutes)}: {ref}"


def _body(alert: Alert, link: str, categories: list[str]) -> str:
    item = alert.item
    if alert.event == "urgent":
        opening = "A resident's message was treated as urgent and nobody has claimed it yet."
    else:
        opening = (
            f"This question has waited {_duration(alert.waiting_minutes)} and nobody has "
            "claimed it."
        )
    lines = [
        opening,
        "",
        f"Reference: {item.reference}",
        f"Why it is in the queue: {route_label(item.route)}",
        f"Priority: {'urgent' if item.priority == 0 else 'normal'}",
    ]
    if categories:
        lines.append(f"Urgent categories: {', '.join(categories)}")
    lines += [
        f"Service area: {service_area_label(item.service_area)}",
        f"Received: {_aware(item.created_at).strftime('%-d %b %Y %H:%M UTC')}",
        "",
        f"Open it (sign in first): {link}",
        "",
        "The resident's words are only in the staff app, never in this email.",
    ]
    return "\n".join(lines)


def _duration(minutes: int) -> str:
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hours"
    return f"{hours // 24} days"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def audit_attempts(engine: Engine) -> Callable[[Attempt], None]:
    """The outbox's `on_attempt`: one audit event per delivery attempt (no text, no address,
    no reference code: an erased resident's must not survive in the append-only log)."""

    def record_attempt(attempt: Attempt) -> None:
        alert = attempt.kind == ALERT_KIND
        outcome = "sent" if attempt.ok else "gave_up" if attempt.gave_up else "failed"
        with Session(engine) as db:
            audit.record(
                db,
                actor="system",
                action=f"{'alert' if alert else 'message'}_{outcome}",
                target_type="outbox_message",
                target_id=attempt.message_id,
                detail={
                    "channel": attempt.channel,
                    "kind": attempt.kind,
                    "attempt": attempt.attempt,
                    "error": attempt.error,
                    "retry_at": attempt.retry_at.isoformat() if attempt.retry_at else None,
                },
            )
            db.commit()

    return record_attempt
