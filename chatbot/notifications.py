"""Opt-in email to say a reply is ready: after an escalation the resident may leave an email
address for their reference. It is kept apart from the transcript (its own table), used once to
send a short email with a link to `/answers/{reference}` when staff have decided, then deleted.

The sweep that turns decided items into emails runs in the background (started by the
composition root): it only *enqueues* into the outbox and deletes the address in the same
transaction, so a request never waits for a mail server and a crash loses nothing.

Owns the `reply_notification` table (`chatbot.records.ReplyNotification`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from chatbot.i18n import gettext_for
from chatbot.records import ReplyNotification, ReviewItem, utcnow

__all__ = [
    "DECIDED",
    "EmailMessage",
    "NotificationRefused",
    "ReplyNotifications",
    "email_problem",
]

log = logging.getLogger(__name__)
DECIDED = ("approved", "edited", "rejected")
EMAIL_SHAPE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_EMAIL = 254


class NotificationRefused(ValueError):
    """str(exc) is a plain message for the resident ("not_found" for an unknown reference)."""


@dataclass
class EmailMessage:
    """One email to enqueue (no question, no answer text: only that a reply is ready)."""

    to: str
    subject: str
    body: str
    reference: str = ""


def email_problem(
    email: str, _: Callable[..., str] = lambda t, **v: t % v if v else t
) -> str | None:
    """GOV.UK wording for an email address that cannot be used, or None."""
    email = email.strip()
    if not email:
        return _("Enter your email address")
    if len(email) > MAX_EMAIL or not EMAIL_SHAPE.match(email):
        return _("Enter an email address in the correct format, like name@example.com")
    return None


class ReplyNotifications:
    """Takes email addresses for references and turns decided items into one email each."""

    def __init__(
        self,
        engine: Engine,
        *,
        base_url: str,
        council_name: str,
        enqueue: Callable[[Session, EmailMessage], Any] | None = None,
        max_age_days: int = 90,
    ) -> None:
        self.engine = engine
        self.base_url = base_url.rstrip("/")
        self.council_name = council_name
        self.enqueue = enqueue
        self.max_age_days = max_age_days

    def pending_reference(self, reference: str) -> bool:
        """Whether the reference exists and staff have not decided it yet."""
        with Session(self.engine) as db:
            item = db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).first()
            return item is not None and item.status not in DECIDED

    def request(self, reference: str, email: str, language: str = "en") -> None:
        """Keep `email` for `reference` (replacing an earlier one). The address is never logged."""
        problem = email_problem(email)
        if problem:
            raise NotificationRefused(problem)
        with Session(self.engine) as db:
            item = db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).first()
            if item is None:
                raise NotificationRefused("not_found")
            if item.status in DECIDED:
                raise NotificationRefused("already_answered")
            row = db.exec(
                select(ReplyNotification).where(ReplyNotification.reference == reference)
            ).first()
            if row is None:
                row = ReplyNotification(reference=reference, email=email.strip())
            row.email = email.strip()
            row.language = language if language in ("en", "cy") else "en"
            row.created_at = utcnow()
            db.add(row)
            db.commit()

    def send_due(self) -> int:
        """Enqueue one email per decided reference and delete its address, in one transaction
        each; drop addresses older than `max_age_days`. Returns how many were enqueued."""
        if self.enqueue is None:
            return 0
        sent = 0
        with Session(self.engine) as db:
            rows = db.exec(
                select(ReplyNotification, ReviewItem.status)
                .join(ReviewItem, col(ReviewItem.reference) == col(ReplyNotification.reference))
                .where(col(ReviewItem.status).in_(DECIDED))
                .limit(200)
            ).all()
            for row, _status in rows:
                self.enqueue(db, self.message_for(row))
                db.delete(row)
                db.commit()
                sent += 1
            cutoff = utcnow() - timedelta(days=self.max_age_days)
            db.exec(delete(ReplyNotification).where(col(ReplyNotification.created_at) < cutoff))
            db.commit()
        if sent:
            log.info("reply-ready emails queued: %d", sent)
        return sent

    def message_for(self, row: ReplyNotification) -> EmailMessage:
        _ = gettext_for(row.language)
        link = f"{self.base_url}/answers/{row.reference}"
        subject = _("A reply to your question is ready (%(reference)s)", reference=row.reference)
        body = "\n\n".join(
            [
                _("Hello,"),
                _(
                    "A member of staff at %(council)s has replied to your question "
                    "(reference %(reference)s).",
                    council=self.council_name,
                    reference=row.reference,
                ),
                _("Read the reply: %(link)s", link=link),
                _(
                    "We have now deleted your email address. This was the only email we will "
                    "send about this question. Do not reply to this email."
                ),
            ]
        )
        return EmailMessage(to=row.email, subject=subject, body=body, reference=row.reference)

    def erase(self, reference: str) -> int:
        """Delete any address kept for `reference` (for erasure requests and purges)."""
        with Session(self.engine) as db:
            result = db.exec(
                delete(ReplyNotification).where(col(ReplyNotification.reference) == reference)
            )
            db.commit()
            return int(result.rowcount or 0)
