"""Security headers for every response; only the embeddable chat may be framed by other sites.

Pure ASGI middleware (no body buffering). Headers a route sets itself are left alone, so the
staff app can tighten or loosen them per response.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BASE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    """CSP allowing only this origin, nosniff, a strict referrer policy, no framing but `/embed`."""

    def __init__(
        self,
        app: ASGIApp,
        embed_paths: Sequence[str] = ("/embed",),
        embed_frame_ancestors: str = "*",
    ) -> None:
        self.app = app
        self.embed_paths = tuple(embed_paths)
        self.embed_frame_ancestors = embed_frame_ancestors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        embeddable = any(path == p or path.startswith(p + "/") for p in self.embed_paths)
        ancestors = self.embed_frame_ancestors if embeddable else "'none'"
        defaults = [
            (b"content-security-policy", f"{BASE_CSP}; frame-ancestors {ancestors}".encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if not embeddable:
            defaults.append((b"x-frame-options", b"DENY"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend((n, v) for n, v in defaults if n not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
