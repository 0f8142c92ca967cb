"""Wires the layers together: which parts each layer gets, and which routes the app serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

if TYPE_CHECKING:
    from chatbot.pipeline import ResidentPipeline
    from chatbot.store import ChatStore
    from knowledge.base import KnowledgeBase
    from townhall.services import Services


def build_pipeline(
    services: Services,
    knowledge: KnowledgeBase | None = None,
    store: ChatStore | None = None,
) -> ResidentPipeline:
    """The resident pipeline; evals pass their own knowledge base and store."""
    raise NotImplementedError("filled in by the resident pipeline work")


def warm_up(services: Services) -> None:
    """Touch every heavy part so loading happens at start-up, not on the first request."""
    _ = services.engine


def mount_routes(app: FastAPI, services: Services) -> None:
    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    _mount_assets(app)
    _mount_resident(app, services)


def _mount_resident(app: FastAPI, services: Services) -> None:
    """The resident API, chat page, answer page and widget; security headers on every response."""
    from chatbot.api import create_resident_router
    from chatbot.security_headers import SecurityHeadersMiddleware

    settings = services.settings
    app.add_middleware(SecurityHeadersMiddleware)
    app.include_router(
        create_resident_router(
            _BuiltOnFirstUse(lambda: services.pipeline),
            _BuiltOnFirstUse(lambda: services.store),
            chat_rate_per_minute=settings.chat_rate_per_minute,
            reference_rate_per_minute=settings.reference_rate_per_minute,
            max_message_chars=settings.max_message_chars,
            redis_url=settings.redis_url,
            council=lambda: services.council,
        )
    )


class _BuiltOnFirstUse:
    """Stands in for a heavy part until it is first used (warm_up touches it at start-up), so
    building the app object stays cheap for tests and tools that never ask a question."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build

    def __getattr__(self, name: str) -> Any:
        return getattr(self._build(), name)


def _mount_assets(app: FastAPI) -> None:
    """GOV.UK Frontend, htmx and Townhall's own CSS/JS, shared by the resident and staff pages."""
    from pathlib import Path

    from fastapi.staticfiles import StaticFiles

    import chatbot

    static_dir = Path(chatbot.__file__).resolve().parent / "static"
    app.mount("/assets", StaticFiles(directory=static_dir), name="assets")
