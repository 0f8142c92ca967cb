"""Background work the composition root starts with the app: the outbox delivery loop and the
staff alert scan. Safe with several workers: alerts are keyed (one per item and occasion) and
each outbox row is leased to one worker at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from outbox import Backoff, Deliverer, OutboxWorker, Sender, SmtpSender, SmtpServer, WebhookSender

if TYPE_CHECKING:
    from townhall.services import Services
    from townhall.settings import Settings


def senders_from(settings: Settings) -> dict[str, Sender]:
    """The channels configured: email when an SMTP address is set, webhook when an alert
    webhook is set. A malformed address stops start-up with a plain message."""
    senders: dict[str, Sender] = {}
    if settings.smtp_url:
        senders["email"] = SmtpSender(SmtpServer.from_url(settings.smtp_url), settings.mail_from)
    if settings.alert_webhook_url:
        senders["webhook"] = WebhookSender(settings.alert_webhook_url)
    return senders


def outbox_jobs(
    services: Services, clock: Callable[[], datetime] | None = None
) -> list[Callable[[], Any]]:
    """What the loop runs each tick: find alerts owed, then send what is due. Tests call these
    directly with their own clock instead of waiting."""
    from chatbot.records import utcnow
    from review_ui.alerts import AlertPolicy, AlertScanner, audit_attempts

    settings = services.settings
    clock = clock or utcnow
    engine = services.engine
    senders = senders_from(settings)
    policy = AlertPolicy(
        email=settings.alert_email if "email" in senders else None,
        webhook="webhook" in senders,
        staff_url=settings.public_url,
        unclaimed_minutes=settings.alert_unclaimed_minutes,
        repeat_minutes=settings.alert_repeat_minutes,
        urgent_repeat_minutes=settings.alert_urgent_repeat_minutes,
        claim_ttl_minutes=settings.claim_ttl_minutes,
    )
    deliverer = Deliverer(
        engine,
        senders,
        clock=clock,
        backoff=Backoff(base_seconds=settings.outbox_retry_seconds),
        max_attempts=settings.outbox_max_attempts,
        on_attempt=audit_attempts(engine),
    )
    from townhall.resident_wiring import reply_notifications

    replies = reply_notifications(services)  # residents' "your reply is ready" emails
    return [AlertScanner(engine, policy, clock).scan, replies.send_due, deliverer.deliver_due]


def start_outbox(services: Services) -> OutboxWorker | None:
    """Start the loop when there is a channel to send through; None when there is none."""
    if not senders_from(services.settings):
        return None
    worker = OutboxWorker(outbox_jobs(services), interval=services.settings.outbox_poll_seconds)
    worker.start()
    return worker
