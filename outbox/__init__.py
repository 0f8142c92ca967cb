"""The outbox: emails and webhook calls Townhall owes someone, kept in the database until sent.

It sits at the bottom of the house and knows nothing of chat or staff: the pipeline and the
staff app only `enqueue` (in their own transaction); the composition root builds the senders
and starts the `OutboxWorker` that delivers with retries and back-off.
"""

from outbox.delivery import Attempt, Deliverer, OutboxWorker
from outbox.records import FAILED, PENDING, SENDING, SENT, OutboxMessage
from outbox.senders import DeliveryFailed, Sender, SmtpSender, SmtpServer, WebhookSender
from outbox.store import Backoff, claim_due, counts, enqueue, known_keys

__all__ = [
    "FAILED",
    "PENDING",
    "SENDING",
    "SENT",
    "Attempt",
    "Backoff",
    "Deliverer",
    "DeliveryFailed",
    "OutboxMessage",
    "OutboxWorker",
    "Sender",
    "SmtpSender",
    "SmtpServer",
    "WebhookSender",
    "claim_due",
    "counts",
    "enqueue",
    "known_keys",
]
