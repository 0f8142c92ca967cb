"""Wires the layers together: which parts each layer gets, and which routes the app serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

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
    *,
    retrieval_mode: Literal["hybrid", "bm25", "dense"] = "hybrid",
    extractive_only: bool = False,
) -> ResidentPipeline:
    """The resident pipeline; evals pass their own knowledge base and store (and may compare
    retrieval modes, or the configured chat model with the extractive composer)."""
    from chatbot.answering.grounding import GroundingGuard
    from chatbot.answering.ranker import UnitRanker
    from chatbot.composer import ExtractiveComposer
    from chatbot.pipeline import ResidentPipeline
    from chatbot.routing import Router

    settings = services.settings
    embedder = services.embedder
    guard = GroundingGuard(embedder)
    ranker = UnitRanker()
    composer: Any = ExtractiveComposer(embedder, ranker=ranker)
    if settings.llm_provider and not extractive_only:
        from chatbot.llm_composer import LLMComposer, LLMSettings

        composer = LLMComposer(
            LLMSettings(
                provider=settings.llm_provider,
                model=settings.llm_model,
                base_url=settings.llm_base_url,
                api_key=settings.llm_api_key,
                timeout_seconds=settings.llm_timeout_seconds,
                max_retries=settings.llm_max_retries,
                max_tokens=settings.llm_max_tokens,
                sections=settings.llm_sections,
                api_version=settings.llm_api_version,
                council_name=services.council.name,
            ),
            fallback=composer,
            guard=guard,
        )
    return ResidentPipeline(
        knowledge=knowledge if knowledge is not None else services.knowledge,
        redactor=services.redactor if knowledge is None else services.redactor_for(knowledge),
        store=store if store is not None else services.store,
        council=services.council,
        embedder=embedder,
        router=Router(embedder),
        composer=composer,
        ranker=ranker,
        guard=guard,
        confidence_threshold=confidence_threshold(settings),
        approved_match_threshold=settings.approved_match_threshold,
        conversation_ttl_minutes=settings.conversation_ttl_minutes,
        retrieval_k=settings.retrieval_k,
        answer_max_words=settings.answer_max_words,
        max_message_chars=settings.max_message_chars,
        retrieval_mode=retrieval_mode,
    )


def confidence_threshold(settings: Any) -> float:
    """The configured threshold, or the one fitted with the answer confidence."""
    if settings.confidence_threshold is not None:
        return float(settings.confidence_threshold)
    from chatbot.answering.model import load_fitted

    return load_fitted().threshold


def warm_up(services: Services) -> None:
    """Touch every heavy part so loading happens at start-up, not on the first request: the
    database, the embedding model, presidio, the knowledge base and the pipeline (which embeds
    its routing exemplars), then one throwaway embedding and redaction."""
    _ = services.engine
    services.embedder.embed(["warm up"])
    services.redactor.redact("warm up")
    _ = services.knowledge
    _ = services.council
    _ = services.pipeline


def mount_routes(app: FastAPI, services: Services) -> None:
    from townhall.health import health_router
    from townhall.metrics import install_metrics

    app.include_router(health_router(services))  # /healthz, /readyz
    install_metrics(app, services)  # /metrics
    _mount_assets(app)
    _mount_resident(app, services)
    _mount_staff(app, services)


def _mount_resident(app: FastAPI, services: Services) -> None:
    """The resident API, chat page, answer page and widget; security headers on every response."""
    from chatbot.api import create_resident_router
    from chatbot.security_headers import SecurityHeadersMiddleware
    from chatbot.unavailable import DATABASE_UNAVAILABLE
    from townhall.resident_wiring import resident_parts

    settings = services.settings
    app.add_middleware(SecurityHeadersMiddleware)
    resident = create_resident_router(
        _BuiltOnFirstUse(lambda: services.metered_pipeline),
        _BuiltOnFirstUse(lambda: services.store),
        chat_rate_per_minute=settings.chat_rate_per_minute,
        reference_rate_per_minute=settings.reference_rate_per_minute,
        max_message_chars=settings.max_message_chars,
        redis_url=settings.redis_url,
        council=lambda: services.council,
        catalogue=lambda: services.knowledge.catalogue(),
        parts=resident_parts(services),
    )
    app.include_router(resident)
    # a database that is down or busy (SQLite's lock past the busy timeout) meets a route the
    # route does not guard: a 503 with the council's contacts, never a 500
    for fault in DATABASE_UNAVAILABLE:
        app.add_exception_handler(fault, resident.database_unavailable)  # type: ignore[arg-type]


def _mount_staff(app: FastAPI, services: Services) -> None:
    """The staff review app under /staff; its parts load on first use, like the resident's."""
    from review_ui.app import create_staff_router

    settings = services.settings
    app.include_router(
        create_staff_router(
            engine=lambda: services.engine,
            embedder=_BuiltOnFirstUse(lambda: services.embedder),
            page_hashes=lambda: services.knowledge.page_hashes(),
            session_hours=settings.session_hours,
            claim_ttl_minutes=settings.claim_ttl_minutes,
            lockout_attempts=settings.lockout_attempts,
            lockout_minutes=settings.lockout_minutes,
            cookie_secure=settings.cookie_secure,
            confidence_threshold=confidence_threshold(settings),
            approved_match_threshold=settings.approved_match_threshold,
            council=lambda: services.council,
            special_category_roles=settings.special_category_role_list,
            secret_key=services.secret_key,
            sign_in_rate_per_minute=settings.sign_in_rate_per_minute,
            sign_in_account_rate_per_hour=settings.sign_in_account_rate_per_hour,
            redis_url=settings.redis_url,
            knowledge=lambda: services.knowledge,
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

    from chatbot.resident_pages import PACKAGE_DIR

    # Not `chatbot.__file__`: under pytest, tests/chatbot/ can shadow the package as a
    # namespace package without a file; a module's own path is always right.
    static_dir = Path(PACKAGE_DIR) / "static"
    app.mount("/assets", StaticFiles(directory=static_dir), name="assets")
