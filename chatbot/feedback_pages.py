"""`POST /feedback`: "Was this helpful?" from the chat page. With htmx the feedback block is
swapped in place; without JavaScript the whole conversation page comes back, at the block."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from chatbot.feedback import FeedbackRefused
from chatbot.i18n import gettext_for
from chatbot.resident_view import turns_from

if TYPE_CHECKING:
    from chatbot.resident_pages import ChatPages
    from chatbot.resident_site import ResidentSite


def feedback_router(site: ResidentSite, chat: ChatPages) -> APIRouter:
    from chatbot.resident_pages import FormError, PageState

    router = APIRouter(include_in_schema=False)

    @router.post("/feedback", response_class=HTMLResponse)
    def give_feedback(
        request: Request,
        message_id: str = Form(""),
        conversation_id: str = Form(""),
        helpful: str = Form(""),
        reason: str = Form(""),
        comment: str = Form(""),
        step: str = Form(""),
        lang: str = Form(""),
        embed: str = Form(""),
    ) -> Response:
        language = site.language(request, lang)
        _ = gettext_for(language)
        htmx = request.headers.get("hx-request") == "true"
        desk = chat.parts.feedback
        conversation = conversation_id.strip()[:64]
        is_embed = embed == "1" or "/embed" in (request.headers.get("referer") or "")
        if desk is None or not message_id.isdigit() or len(message_id) > 12:
            return _not_found(site, request, language)
        if helpful not in ("yes", "no"):
            return _not_found(site, request, language)
        # the page holds the conversation's token; only a live token opens it
        opened = chat.store.open_conversation(conversation, chat.conversation_ttl_minutes)
        if opened is None:
            return _not_found(site, request, language)
        errors: list[FormError] = []
        try:
            desk.record(
                conversation_id=opened,
                message_id=int(message_id),
                helpful=helpful == "yes",
                reason=reason or None,
                comment=comment,
                details=step == "details",
            )
        except FeedbackRefused as exc:
            if str(exc) == "not_found":
                return _not_found(site, request, language)
            errors = [FormError(f"comment-{message_id}", _(str(exc)))]
        ttl = chat.conversation_ttl_minutes
        turns = chat.present(turns_from(chat.store, conversation, ttl), is_embed)
        turn = next((t for t in turns if t.message_id == int(message_id)), None)
        if turn is None:
            return _not_found(site, request, language)
        status = 422 if errors else 200
        if htmx:
            return chat.partial(
                request,
                "resident/_feedback.html",
                language,
                is_embed,
                status,
                turn=turn,
                errors=errors,
            )
        state = PageState(turns=turns, conversation_id=conversation, errors=errors)
        return chat.page(request, state, language, is_embed, status)

    return router


def _not_found(site: ResidentSite, request: Request, language: str) -> HTMLResponse:
    _ = gettext_for(language)
    return site.render(
        request,
        "resident/problem.html",
        language,
        404,
        page_title=_("We could not find that answer"),
        detail=_("The answer may be too old to give feedback on. Ask your question again."),
    )
