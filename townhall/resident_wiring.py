"""The resident pages' optional parts (feedback, reply notifications, suggested questions and
the published notices), built from the services on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chatbot.notifications import EmailMessage, ReplyNotifications
    from chatbot.resident_pages import ResidentParts
    from townhall.services import Services


class _Lazy:
    """A part built on first attribute use (so building the app loads nothing)."""

    def __init__(self, build: Any) -> None:
        self._build = build
        self._built: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._built is None:
            self._built = self._build()
        return getattr(self._built, name)


def resident_parts(services: Services) -> ResidentParts:
    from chatbot.feedback import FeedbackDesk
    from chatbot.feedback_pages import feedback_router
    from chatbot.notices import notices_router
    from chatbot.notify_pages import notify_router
    from chatbot.resident_pages import ResidentParts

    def feedback() -> FeedbackDesk:
        return FeedbackDesk(
            services.engine, services.redactor, lambda: services.knowledge.catalogue()
        )

    from chatbot.suggestions import SuggestedQuestions

    return ResidentParts(
        feedback=_Lazy(feedback),  # type: ignore[arg-type]
        suggestions=_Lazy(  # type: ignore[arg-type]
            lambda: SuggestedQuestions(services.engine, services.council)
        ),
        # Offered only when there is a mail server to send the email through.
        notifications=_Lazy(lambda: reply_notifications(services))  # type: ignore[arg-type]
        if services.settings.smtp_url
        else None,
        retention_days=getattr(services.settings, "retention_days", None),
        extra_routers=[feedback_router, notify_router, notices_router],
    )


def reply_notifications(services: Services) -> ReplyNotifications:
    """Residents' reply-ready emails; sent through the outbox when one is configured."""
    from chatbot.notifications import ReplyNotifications

    return ReplyNotifications(
        services.engine,
        base_url=services.settings.public_url,
        council_name=services.council.name,
        enqueue=enqueue_reply_email,
    )


def enqueue_reply_email(db: Any, message: EmailMessage) -> None:
    """Into the outbox, in the caller's transaction; the address is forgotten once sent."""
    from outbox import enqueue

    enqueue(
        db,
        channel="email",
        kind="reply_ready",
        recipient=message.to,
        subject=message.subject,
        body=message.body,
        about=message.reference,
        dedupe_key=f"reply-ready:{message.reference}",
        forget_recipient=True,
    )
