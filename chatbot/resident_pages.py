"""The resident's web pages: the chat page (works without JavaScript, enhanced by htmx), the
compact `/embed` version for the widget, the answer-collection page and `widget.js`.

Templates live in `chatbot/templates/resident/` (a base layout and small partials; htmx
responses are just partials). Jinja autoescapes everything; no inline scripts or styles, so the
page runs under a `'self'`-only Content Security Policy. Every string is in English and Welsh
(`chatbot.i18n`); answers are rendered by `chatbot.answer_html`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from chatbot.api_schemas import CONVERSATION_ID_PATTERN
from chatbot.http_limits import resident_route_class
from chatbot.i18n import gettext_for
from chatbot.resident_site import PACKAGE_DIR, TEMPLATES_DIR, ResidentSite, as_date
from chatbot.resident_stream import stream_answer
from chatbot.resident_view import Turn, answer_view, turn_from_result, turns_from

if TYPE_CHECKING:
    from chatbot.api import ResidentLimits
    from chatbot.feedback import FeedbackDesk
    from chatbot.notifications import ReplyNotifications
    from chatbot.pipeline import ResidentPipeline
    from chatbot.store import ChatStore
    from chatbot.suggestions import SuggestedQuestions

__all__ = [
    "PACKAGE_DIR",
    "TEMPLATES_DIR",
    "ChatPages",
    "ResidentParts",
    "create_resident_pages_router",
]

log = logging.getLogger(__name__)

WIDGET_JS = PACKAGE_DIR / "static" / "widget.js"
FEEDBACK_URL = "/feedback"


@dataclass
class FormError:
    field: str
    text: str


@dataclass
class PageState:
    """What a chat page shows: the conversation so far, and the form (with errors, if any)."""

    turns: list[Turn] = field(default_factory=list)
    conversation_id: str | None = None
    message: str = ""
    errors: list[FormError] = field(default_factory=list)


@dataclass
class ResidentParts:
    """The optional parts the pages use when the composition root provides them."""

    feedback: FeedbackDesk | None = None
    notifications: ReplyNotifications | None = None
    suggestions: SuggestedQuestions | None = None
    retention_days: int | None = None  # how long transcripts are kept (the privacy notice)
    limits: Any = None  # the edge limits (set when the pages are mounted)
    stream_answers: Callable[[], bool] | None = None  # a chat model writes the answers
    extra_routers: list[Callable[[ResidentSite, ChatPages], APIRouter]] = field(
        default_factory=list
    )


class ChatPages:
    """Renders the chat page and its partials (shared by the chat and feedback routes)."""

    def __init__(self, site: ResidentSite, store: ChatStore, parts: ResidentParts) -> None:
        self.site = site
        self.store = store
        self.parts = parts
        self.conversation_ttl_minutes = 60  # set from the pipeline when the routes are made

    def present(self, turns: list[Turn], embed: bool) -> list[Turn]:
        """Fill in what the page shows of each turn: the answer as HTML, its sources by page,
        the staff label's date and any feedback already given."""
        presenter = self.site.presenter()
        dates = self.store.staff_answer_dates([t.approved_answer_id or 0 for t in turns])
        given = {}
        if self.parts.feedback is not None:
            given = self.parts.feedback.given([t.message_id or 0 for t in turns])
        for turn in turns:
            turn.html = presenter.answer_html(turn.reply, new_tab=embed)
            turn.pages = presenter.sources(turn.sources) if turn.status == "answered" else []
            if turn.approved_answer_id:
                turn.staff_on = as_date(dates.get(turn.approved_answer_id))
            if turn.message_id is not None:
                turn.feedback = given.get(turn.message_id)
        return turns

    def context(self, language: str, embed: bool) -> dict[str, Any]:
        _ = gettext_for(language)
        from chatbot.feedback import REASONS

        return {
            "embed": embed,
            "post_url": "/embed" if embed else "/chat",
            "feedback_url": FEEDBACK_URL,
            "notify_enabled": self.parts.notifications is not None,
            "feedback_reasons": [(code, _(label)) for code, label in REASONS],
            "character_count_i18n": lambda: character_count_i18n(language),
            "stream_answers": bool(self.parts.stream_answers and self.parts.stream_answers()),
        }

    def page(
        self,
        request: Request,
        state: PageState,
        language: str,
        embed: bool,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        suggestions: list[str] = []
        if not state.turns and self.parts.suggestions is not None:
            suggestions = self.parts.suggestions.for_page(language)
        return self.site.render(
            request,
            "resident/chat.html",
            language,
            status,
            headers,
            page_title=gettext_for(language)("Ask a question"),
            turns=self.present(state.turns, embed),
            follow_up=bool(state.turns),
            conversation_id=state.conversation_id,
            message=state.message,
            errors=state.errors,
            suggestions=suggestions,
            **self.context(language, embed),
        )

    def partial(
        self,
        request: Request,
        name: str,
        language: str,
        embed: bool,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        context.setdefault("page_title", gettext_for(language)("Ask a question"))
        return self.site.render(
            request, name, language, status, headers, **context, **self.context(language, embed)
        )


def character_count_i18n(language: str) -> list[tuple[str, str]]:
    """GOV.UK Frontend's character count messages in the page's language (its data-i18n)."""
    _ = gettext_for(language)
    under = _("You have %{count} characters remaining")
    over = _("You have %{count} characters too many")
    one_under = _("You have %{count} character remaining")
    one_over = _("You have %{count} character too many")
    forms = ("zero", "one", "two", "few", "many", "other") if language == "cy" else ("one", "other")
    pairs = [("characters-at-limit", _("You have 0 characters remaining"))]
    for form in forms:
        pairs.append((f"characters-under-limit.{form}", one_under if form == "one" else under))
        pairs.append((f"characters-over-limit.{form}", one_over if form == "one" else over))
    return pairs


def create_resident_pages_router(
    pipeline: ResidentPipeline,
    store: ChatStore,
    limits: ResidentLimits,
    *,
    site: ResidentSite,
    parts: ResidentParts | None = None,
    max_body_bytes: int,
) -> APIRouter:
    """`/`, `/chat`, `/embed`, `/answers`, `/answers/{reference}` and `/widget.js`."""
    from chatbot.api import is_rejection, lookup_reference, normalise_typed_reference, too_many

    parts = parts or ResidentParts()
    parts.limits = limits
    # answers stream only from a chat model (the extractive answer is there at once)
    parts.stream_answers = lambda: getattr(pipeline.composer, "name", "") == "llm"
    chat = ChatPages(site, store, parts)
    chat.conversation_ttl_minutes = pipeline.conversation_ttl_minutes
    pages = APIRouter(include_in_schema=False, route_class=resident_route_class(max_body_bytes))

    def ask(
        request: Request,
        message: str,
        conversation_id: str,
        lang: str,
        embed: bool,
        stream: bool = False,
    ) -> Response:
        htmx = request.headers.get("hx-request") == "true"
        conversation = conversation_id.strip()[:64] or None
        language = site.language(request, lang)
        _ = gettext_for(language)
        if conversation and not re.fullmatch(CONVERSATION_ID_PATTERN, conversation):
            conversation = None  # not one we handed out: start a new conversation

        def refuse(text: str, status: int, headers: dict[str, str] | None = None) -> Response:
            errors = [FormError("message", text)]
            if htmx:
                retarget = {"HX-Retarget": "#ask-form-area", "HX-Reswap": "outerHTML"}
                return chat.partial(
                    request,
                    "resident/_refused.html",
                    language,
                    embed,
                    status,
                    {**(headers or {}), **retarget},
                    oob=False,
                    follow_up=conversation is not None,
                    conversation_id=conversation,
                    message=message,
                    errors=errors,
                )
            state = PageState(
                turns=(
                    turns_from(store, conversation, pipeline.conversation_ttl_minutes)
                    if conversation
                    else []
                ),
                conversation_id=conversation,
                message=message,
                errors=errors,
            )
            return chat.page(request, state, language, embed, status, headers)

        def new_turn(turn: Turn) -> HTMLResponse:
            return chat.partial(
                request,
                "resident/_new_turn.html",
                language,
                embed,
                turn=chat.present([turn], embed)[0],
                follow_up=True,
                conversation_id=turn.conversation_id,
            )

        def cannot_answer(exc: Exception) -> Response:
            from chatbot.unavailable import RETRY_AFTER_SECONDS, cannot_answer_now

            log.error("resident page failed: %s; answered 503", type(exc).__name__)
            nonlocal conversation
            conversation = None  # the transcript cannot be read back now
            text = cannot_answer_now(site.profile)
            return refuse(text, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)})

        problem = limits.message_problem(message, _)
        if problem:
            return refuse(problem, 422)
        decision = limits.chat.hit(limits.client(request))
        if not decision.allowed:
            retry = {"Retry-After": str(decision.retry_after_seconds)}
            return refuse(too_many(decision, "questions", _), 429, retry)
        if stream:  # a configured chat model's answer as it is written (resident_stream.py)
            return stream_answer(
                lambda: pipeline.handle(message, conversation),
                lambda result: new_turn(turn_from_result(result)).body.decode(),
                lambda exc: refuse(_(str(exc)), 422).body.decode() if is_rejection(exc) else None,
            )
        try:
            result = pipeline.handle(message, conversation)
        except ValueError as exc:
            if not is_rejection(exc):
                return cannot_answer(exc)
            return refuse(_(str(exc)), 422)
        except Exception as exc:  # noqa: BLE001 - a part is down: never a 500 (SECURITY.md)
            return cannot_answer(exc)
        turn = turn_from_result(result)

        if htmx:
            return new_turn(turn)
        ttl = pipeline.conversation_ttl_minutes
        turns = turns_from(store, turn.conversation_id, ttl) or [turn]
        state = PageState(turns=turns, conversation_id=turn.conversation_id)
        return chat.page(request, state, language, embed)

    @pages.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        return chat.page(request, PageState(), site.language(request), embed=False)

    @pages.post("/chat", response_class=HTMLResponse)
    def ask_page(
        request: Request,
        message: str = Form(""),
        conversation_id: str = Form(""),
        lang: str = Form(""),
    ) -> Response:
        return ask(request, message, conversation_id, lang, embed=False)

    @pages.post("/chat/stream", response_class=HTMLResponse)
    @pages.post("/embed/stream", response_class=HTMLResponse)
    def ask_streaming(
        request: Request,
        message: str = Form(""),
        conversation_id: str = Form(""),
        lang: str = Form(""),
    ) -> Response:
        embed = request.url.path.startswith("/embed")
        return ask(request, message, conversation_id, lang, embed=embed, stream=True)

    @pages.get("/chat")
    def chat_get() -> Response:
        return RedirectResponse("/", status_code=303)

    @pages.get("/embed", response_class=HTMLResponse)
    def embed_page(request: Request) -> Response:
        return chat.page(request, PageState(), site.language(request), embed=True)

    @pages.post("/embed", response_class=HTMLResponse)
    def ask_embedded(
        request: Request,
        message: str = Form(""),
        conversation_id: str = Form(""),
        lang: str = Form(""),
    ) -> Response:
        return ask(request, message, conversation_id, lang, embed=True)

    @pages.get("/answers", response_class=HTMLResponse)
    def reference_form(request: Request, reference: str | None = None) -> Response:
        language = site.language(request)
        _ = gettext_for(language)
        title = _("Check for your answer")
        if reference is None:
            return site.render(
                request, "resident/answer.html", language, page_title=title, answer=None
            )
        normalised = normalise_typed_reference(reference)
        if not normalised:
            errors = [FormError("reference", _("Enter your reference, like TH-7KQ2-M9XD-4RPA"))]
            return site.render(
                request,
                "resident/answer.html",
                language,
                422,
                page_title=title,
                answer=None,
                errors=errors,
                typed=reference[:64],
            )
        return RedirectResponse(f"/answers/{normalised}", status_code=303)

    @pages.get("/answers/{reference}", response_class=HTMLResponse)
    def answer_page(request: Request, reference: str) -> Response:
        language = site.language(request)
        _ = gettext_for(language)
        decision = limits.reference.hit(limits.client(request))
        if not decision.allowed:
            return site.render(
                request,
                "resident/problem.html",
                language,
                429,
                {"Retry-After": str(decision.retry_after_seconds)},
                page_title=_("Wait before you try again"),
                detail=too_many(decision, "references", _),
            )
        try:
            found = lookup_reference(store, reference)
        except Exception as exc:  # noqa: BLE001 - the database is down: never a 500
            from chatbot.unavailable import RETRY_AFTER_SECONDS, cannot_answer_now

            log.error("answer page failed: %s; answered 503", type(exc).__name__)
            retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
            detail = cannot_answer_now(site.profile)
            title = _("Sorry, we cannot answer right now")
            return site.render(
                request,
                "resident/problem.html",
                language,
                503,
                retry,
                page_title=title,
                detail=detail,
            )
        if found is None:
            return site.render(
                request,
                "resident/answer.html",
                language,
                404,
                page_title=_("Check for your answer"),
                answer=None,
                typed=reference[:64],
                not_found=True,
            )
        view = answer_view(found)
        presenter = site.presenter()
        view.html = presenter.answer_html(view.reply)
        view.pages = presenter.sources(view.sources)
        if view.status == "answered":
            title = _("Your answer")
        elif view.status == "pending":
            title = _("Your question is waiting for an answer")
        elif view.reply:
            title = _("A reply to your question")
        else:
            title = _("Your question is closed")
        return site.render(request, "resident/answer.html", language, page_title=title, answer=view)

    @pages.get("/widget.js")
    def widget_script() -> Response:
        return FileResponse(
            WIDGET_JS,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"},
        )

    for build in parts.extra_routers:
        pages.include_router(build(site, chat))
    return pages
