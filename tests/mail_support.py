"""Real local receivers for the outbox tests: an SMTP server (aiosmtpd) and an HTTP webhook
receiver that can be told to fail its first N calls. Both listen on loopback ports chosen
free, and are stopped by the test that started them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from browser_support import free_port


class SmtpInbox:
    """What the local SMTP server received: one parsed email per message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[str, SmtpInbox]]:
    """A real SMTP server on 127.0.0.1; yields its smtp:// address and its inbox."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()


class WebhookReceiver:
    """Records every POST; answers 503 to the first `fail_first` of them, then 204."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.calls: list[dict[str, Any]] = []  # every request, failed or not
        self.delivered: list[dict[str, Any]] = []  # the JSON of those answered 2xx
        self.lock = threading.Lock()


@contextmanager
def webhook_receiver(fail_first: int = 0) -> Iterator[tuple[str, WebhookReceiver]]:
    receiver = WebhookReceiver(fail_first)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("content-length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            with receiver.lock:
                receiver.calls.append(body)
                failing = len(receiver.calls) <= receiver.fail_first
                if not failing:
                    receiver.delivered.append(body)
            self.send_response(503 if failing else 204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/townhall", receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
