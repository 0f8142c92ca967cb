"""The server's access log, with nothing a resident typed and no client address in it.

uvicorn's own access log prints the full path with its query string (the answers page's
reference box is a GET form, so a name typed there would land in the log) and the raw client
address. It is switched off (`uvicorn.run(..., access_log=False)`, and silenced again at start-up
for anyone who runs uvicorn by hand), and this middleware writes one line per request instead:

    GET /answers/{reference} 200 12ms client=c-3f9a0c61d2e47b85a1f0

the route's *template* (never the path as sent: `/api/answers/{reference}` can carry anything a
client typed), the status, the time taken and the client's keyed pseudonym, as the edge's
`ClientAddressMiddleware` set it (`chatbot.client_identity`). No query string, no form value,
no header, no body, no address.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from chatbot.client_identity import SCOPE_CLIENT_ID, UNKNOWN

log = logging.getLogger("townhall.access")
UNMATCHED = "(no route)"


class _DropEverything(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


def silence_uvicorn_access_log() -> None:
    """Make sure uvicorn's own access logger writes nothing, however the server was started."""
    access = logging.getLogger("uvicorn.access")
    access.disabled = True
    if not any(isinstance(f, _DropEverything) for f in access.filters):
        access.addFilter(_DropEverything())


def route_template(scope: dict[str, Any]) -> str:
    """The matched route's path template ("/answers/{reference}"), or a placeholder."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED


class AccessLogMiddleware:
    """Pure ASGI middleware (no request body is read or buffered)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = []

        async def send_and_note(message: dict[str, Any]) -> None:
            if message.get("type") == "http.response.start":
                status.append(int(message.get("status", 0)))
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            log.info(
                "%s %s %s %.0fms client=c-%s",
                scope.get("method", "-"),
                route_template(scope),
                status[0] if status else 500,
                (time.perf_counter() - started) * 1000,
                scope.get(SCOPE_CLIENT_ID) or UNKNOWN,
            )
