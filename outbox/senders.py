"""One sender per channel: email over SMTP, and a JSON POST to a webhook.

A sender raises `DeliveryFailed` with a short code (never the server's words, which may echo an
address back) and says whether trying again could help.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol
from urllib.parse import unquote, urlsplit

from outbox.records import OutboxMessage


class DeliveryFailed(Exception):
    """A message could not be delivered this time; `permanent` when retrying cannot help."""

    def __init__(self, code: str, *, permanent: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.permanent = permanent


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: bool  # smtps:// (TLS from the first byte)
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """`smtp://host:port` or `smtps://user:password@host:port` (user and password
        percent-encoded)."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(
                "the SMTP address must look like smtp://host:port or smtps://host:port"
            )
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 25),
            tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


class SmtpSender:
    """Sends `email` messages: subject and plain-text body to `recipient`."""

    def __init__(self, server: SmtpServer, from_address: str, timeout: float = 15.0) -> None:
        self.server = server
        self.from_address = from_address
        self.timeout = timeout

    def send(self, message: OutboxMessage) -> None:
        if not message.recipient:
            raise DeliveryFailed("no recipient", permanent=True)
        email = EmailMessage()
        email["From"] = self.from_address
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = make_msgid(domain="townhall.invalid")
        email.set_content(message.body)
        try:
            with self._connect() as smtp:
                if self.server.username:
                    smtp.login(self.server.username, self.server.password or "")
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _text in exc.recipients.values()})
            raise DeliveryFailed(
                f"SMTP recipient refused {codes}", permanent=all(c >= 500 for c in codes)
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryFailed(
                f"SMTP {exc.smtp_code}", permanent=500 <= exc.smtp_code < 600
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"SMTP {type(exc).__name__}") from None

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        if server.tls:
            context = ssl.create_default_context()
            return smtplib.SMTP_SSL(server.host, server.port, timeout=self.timeout, context=context)
        return smtplib.SMTP(server.host, server.port, timeout=self.timeout)


class WebhookSender:
    """POSTs a `webhook` message's payload as JSON to the configured address; any 2xx is
    delivered, anything else is tried again later."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("the webhook address must start with https:// or http://")
        self.url = url
        self.timeout = timeout

    def send(self, message: OutboxMessage) -> None:
        data = json.dumps(message.payload, sort_keys=True).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "Townhall alerts"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryFailed(f"HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryFailed(f"webhook {type(exc).__name__}") from None
        if not 200 <= status < 300:
            raise DeliveryFailed(f"HTTP {status}")
