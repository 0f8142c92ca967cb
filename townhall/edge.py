"""The edge of the web app: which Host names are served, who the client really is, and HSTS.

Installed by the app factory around every route, so the resident and staff parts (and anything
mounted later) see the same answers.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chatbot.client_identity import ClientAddressMiddleware
from townhall.settings import Settings

HSTS = b"max-age=31536000; includeSubDomains"


class StrictTransportMiddleware:
    """`Strict-Transport-Security` on every response (only behind HTTPS: cookie_secure)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_hsts(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"strict-transport-security" for name, _ in headers):
                    headers.append((b"strict-transport-security", HSTS))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_hsts)


NUL_REFUSED = "Your request has a character we cannot accept (a NUL). Remove it and try again."


class RefuseNulMiddleware:
    """400 for a NUL in the address: no database column can hold one (PostgreSQL refuses it
    with an error the probe turned into 500s), and no resident or reviewer types one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string", b"").lower()
            if "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query:
                response = (
                    JSONResponse({"detail": NUL_REFUSED}, status_code=400)
                    if scope.get("path", "").startswith("/api/")
                    else PlainTextResponse(NUL_REFUSED, status_code=400)
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def install_edge(app: FastAPI, settings: Settings, key: bytes) -> None:
    """Middleware added last runs first: the Host check, then the client, then HSTS."""
    app.add_middleware(RefuseNulMiddleware)
    if settings.cookie_secure:
        app.add_middleware(StrictTransportMiddleware)
    app.add_middleware(
        ClientAddressMiddleware, trusted_proxies=settings.trusted_proxy_networks, key=key
    )
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=settings.allowed_host_names, www_redirect=False
    )
