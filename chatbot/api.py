"""The resident API (`POST /api/chat`, `GET /api/answers/{reference}`) and the resident pages.

Input limits live here, at the edge: size and emptiness are checked before the pipeline sees
the message, every client is rate-limited, and nothing is written when a request is refused.
The message itself is never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from chatbot.api_schemas import (
    ERROR_RESPONSES,
    AnswerStatusResponse,
    ChatRequest,
    ChatResponse,
    Problem,
)
from chatbot.checks import MessageRejected as MessageRejectedError
from chatbot.client_identity import client_id
from chatbot.http_limits import DEFAULT_MAX_BODY_BYTES, resident_route_class
from chatbot.rate_limit import RateDecision, make_rate_limiter

if TYPE_CHECKING:
    from chatbot.council import CouncilProfile
    from chatbot.pipeline import ResidentPipeline
    from chatbot.resident_pages import ResidentParts
    from chatbot.resident_site import ResidentSite
    from chatbot.store import ChatStore
    from knowledge.catalogue import PageCatalogue

log = logging.getLogger(__name__)


def message_problem(
    message: str, max_chars: int, _: Callable[..., str] = lambda text, **v: text % v if v else text
) -> str | None:
    """Why a message cannot be taken (GOV.UK error wording), or None when it can. `_` translates
    (the pages pass the resident's language; the API answers in English)."""
    if not message.strip():
        return _("Enter your question")
    if len(message) > max_chars:
        return _("Your question must be %(count)s characters or fewer", count=f"{max_chars:,}")
    return None


class ResidentLimits:
    """The edge checks shared by the API and the pages: length, emptiness and rate."""

    def __init__(
        self,
        *,
        max_message_chars: int,
        chat_rate_per_minute: int,
        reference_rate_per_minute: int,
        redis_url: str | None = None,
    ) -> None:
        self.max_message_chars = max_message_chars
        self.chat = make_rate_limiter("chat", chat_rate_per_minute, redis_url)
        self.reference = make_rate_limiter("reference", reference_rate_per_minute, redis_url)

    def message_problem(self, message: str, _: Callable[..., str] | None = None) -> str | None:
        if _ is None:
            return message_problem(message, self.max_message_chars)
        return message_problem(message, self.max_message_chars, _)

    @staticmethod
    def client(request: Request) -> str:
        """The keyed pseudonym of the real client (never the raw address)."""
        return client_id(request)


def too_many(
    decision: RateDecision,
    what: str = "questions",
    _: Callable[..., str] = lambda text, **v: text % v if v else text,
) -> str:
    seconds = decision.retry_after_seconds
    unit = _("1 second") if seconds == 1 else _("%(count)s seconds", count=seconds)
    if what == "questions":
        return _(
            "You have asked a lot of questions in a short time. Wait %(seconds)s and try again.",
            seconds=unit,
        )
    return _(
        "You have looked up a lot of references in a short time. Wait %(seconds)s and try again.",
        seconds=unit,
    )


class ResidentRouter(APIRouter):
    """The resident routes, with the answer for a database that is down or busy wherever a
    route meets it (`database_unavailable`; the app registers it for DATABASE_UNAVAILABLE, as
    exception handlers are the app's)."""

    database_unavailable: Callable[[Request, Exception], Response]


def database_unavailable(site: ResidentSite, request: Request, exc: Exception) -> Response:
    """503 with the council's contacts and Retry-After, never a 500: JSON on the API, the
    problem page on the resident pages, a short line elsewhere (the staff pages). Nothing
    was written: each store call is one transaction, rolled back when it failed."""
    from chatbot.i18n import gettext_for
    from chatbot.unavailable import RETRY_AFTER_SECONDS, cannot_answer_now

    path = request.url.path
    cause = type(getattr(exc, "orig", None) or exc).__name__
    log.error("request failed: database unavailable (%s, %s); answered 503", cause, path)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if path.startswith("/api/"):
        return JSONResponse(
            {"detail": cannot_answer_now(site.profile)}, status_code=503, headers=headers
        )
    if path.startswith("/staff"):
        busy = "The database is busy or cannot be reached. Try again in a minute."
        return PlainTextResponse(busy, status_code=503, headers=headers)
    language = site.language(request)
    _ = gettext_for(language)
    return site.render(
        request,
        "resident/problem.html",
        language,
        503,
        headers,
        page_title=_("Sorry, we cannot answer right now"),
        detail=cannot_answer_now(site.profile),
    )


def create_resident_router(
    pipeline: ResidentPipeline,
    store: ChatStore,
    *,
    chat_rate_per_minute: int,
    reference_rate_per_minute: int,
    max_message_chars: int,
    redis_url: str | None = None,
    council: CouncilProfile | Callable[[], CouncilProfile] | None = None,
    templates_dir: Path | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    catalogue: Callable[[], PageCatalogue | None] | None = None,
    parts: ResidentParts | None = None,
) -> ResidentRouter:
    """Everything a resident meets: the JSON API, the chat page, the answer page and the widget.
    `catalogue` (the knowledge base's pages) lets answers link sources to their sections."""
    from chatbot.resident_pages import create_resident_pages_router
    from chatbot.resident_site import ResidentSite

    limits = ResidentLimits(
        max_message_chars=max_message_chars,
        chat_rate_per_minute=chat_rate_per_minute,
        reference_rate_per_minute=reference_rate_per_minute,
        redis_url=redis_url,
    )
    site = ResidentSite(
        council, max_message_chars, catalogue=catalogue, templates_dir=templates_dir
    )
    router = ResidentRouter(route_class=resident_route_class(max_body_bytes))
    router.database_unavailable = lambda request, exc: database_unavailable(site, request, exc)
    router.include_router(_api_router(pipeline, store, limits, max_body_bytes, site))
    router.include_router(
        create_resident_pages_router(
            pipeline, store, limits, site=site, parts=parts, max_body_bytes=max_body_bytes
        )
    )
    return router


def _api_router(
    pipeline: ResidentPipeline,
    store: ChatStore,
    limits: ResidentLimits,
    max_body_bytes: int,
    site: ResidentSite,
) -> APIRouter:
    api = APIRouter(
        prefix="/api", tags=["resident"], route_class=resident_route_class(max_body_bytes)
    )

    @api.post(
        "/chat",
        response_model=ChatResponse,
        responses=ERROR_RESPONSES,
        summary="Ask the council a question",
    )
    def chat(body: ChatRequest, request: Request) -> Any:
        """Answer from the council's pages, or escalate to staff with a reference code."""
        problem = limits.message_problem(body.message)
        if problem:
            return JSONResponse({"detail": problem}, status_code=422)
        decision = limits.chat.hit(limits.client(request))
        if not decision.allowed:
            return _rate_limited(decision, "questions")
        try:
            result = pipeline.handle(body.message, body.conversation_id)
        except MessageRejectedError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=422)
        except Exception as exc:  # noqa: BLE001 - a part is down: never a 500 (SECURITY.md)
            return unavailable(site.profile, exc)
        return {**result.to_api(), "html": str(site.presenter().answer_html(result.reply))}

    @api.get(
        "/answers/{reference}",
        response_model=AnswerStatusResponse,
        responses={404: {"model": Problem, "description": "No such reference."}, **ERROR_RESPONSES},
        summary="Collect the answer to an escalated question",
    )
    def answer_status(reference: str, request: Request) -> Any:
        """The status of an escalated question and, once staff have replied, the reply."""
        decision = limits.reference.hit(limits.client(request))
        if not decision.allowed:
            return _rate_limited(decision, "reference look-ups")
        try:
            found = lookup_reference(store, reference)
        except Exception as exc:  # noqa: BLE001 - the database is down
            return unavailable(site.profile, exc)
        if found is None:
            return JSONResponse(
                {"detail": "We could not find that reference. Check the code and try again."},
                status_code=404,
            )
        reply = found.get("reply")
        return {**found, "html": str(site.presenter().answer_html(reply)) if reply else None}

    return api


def unavailable(council: Any, exc: Exception) -> JSONResponse:
    """503 with the council's contacts; the log names the fault, never the message."""
    from chatbot.unavailable import RETRY_AFTER_SECONDS, cannot_answer_now

    log.error("resident request failed: %s; answered 503", type(exc).__name__)
    profile = council() if callable(council) else council
    return JSONResponse(
        {"detail": cannot_answer_now(profile)},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def is_rejection(exc: ValueError) -> bool:
    """Whether the pipeline refused the message (a plain message for the resident)."""
    from chatbot.pipeline import MessageRejected

    return isinstance(exc, MessageRejected)


def normalise_typed_reference(typed: str) -> str | None:
    """The reference as stored, from what a resident typed; None when it cannot be one."""
    from chatbot.references import normalise_reference

    try:
        return normalise_reference(typed) or None
    except ValueError:
        return None


def lookup_reference(store: ChatStore, typed: str) -> dict[str, Any] | None:
    """The resident's view of a reference, or None (unknown and malformed look the same)."""
    reference = normalise_typed_reference(typed)
    if not reference:
        return None
    return store.answer_for_reference(reference)


def _rate_limited(decision: RateDecision, what: str) -> JSONResponse:
    return JSONResponse(
        {"detail": too_many(decision, what)},
        status_code=429,
        headers={"Retry-After": str(decision.retry_after_seconds)},
    )
