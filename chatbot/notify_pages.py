"""`/answers/{reference}/notify`: leave an email address to hear once that a reply is ready."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chatbot.i18n import gettext_for
from chatbot.notifications import NotificationRefused

if TYPE_CHECKING:
    from chatbot.resident_pages import ChatPages
    from chatbot.resident_site import ResidentSite


def notify_router(site: ResidentSite, chat: ChatPages) -> APIRouter:
    from chatbot.api import normalise_typed_reference
    from chatbot.resident_pages import FormError

    router = APIRouter(include_in_schema=False)

    def page(
        request: Request,
        language: str,
        reference: str,
        status: int = 200,
        **context: object,
    ) -> HTMLResponse:
        _ = gettext_for(language)
        title = (
            _("We will email you")
            if context.get("done")
            else _("Get an email when your answer is ready")
        )
        return site.render(
            request,
            "resident/notify.html",
            language,
            status,
            page_title=title,
            reference=reference,
            **context,
        )

    def known(reference: str) -> str | None:
        desk = chat.parts.notifications
        normalised = normalise_typed_reference(reference)
        if desk is None or not normalised:
            return None
        return normalised

    @router.get("/answers/{reference}/notify", response_class=HTMLResponse)
    def notify_form(request: Request, reference: str) -> Response:
        language = site.language(request)
        normalised = known(reference)
        desk = chat.parts.notifications
        if normalised is None or desk is None or not desk.pending_reference(normalised):
            return RedirectResponse(f"/answers/{normalised or 'unknown'}", status_code=303)
        return page(request, language, normalised)

    @router.post("/answers/{reference}/notify", response_class=HTMLResponse)
    def notify_submit(
        request: Request, reference: str, email: str = Form(""), lang: str = Form("")
    ) -> Response:
        language = site.language(request, lang)
        _ = gettext_for(language)
        normalised = known(reference)
        desk = chat.parts.notifications
        if normalised is None or desk is None:
            return RedirectResponse("/answers", status_code=303)
        decision = (
            chat.parts.limits.reference.hit(chat.parts.limits.client(request))
            if chat.parts.limits
            else None
        )
        if decision is not None and not decision.allowed:
            errors = [
                FormError("email", _("You have tried a lot of times. Wait a minute and try again."))
            ]
            return page(request, language, normalised, 429, errors=errors, typed=email[:254])
        try:
            desk.request(normalised, email, language)
        except NotificationRefused as exc:
            if str(exc) in ("not_found", "already_answered"):
                return RedirectResponse(f"/answers/{normalised}", status_code=303)
            errors = [FormError("email", _(str(exc)))]
            return page(request, language, normalised, 422, errors=errors, typed=email[:254])
        return page(request, language, normalised, done=True)

    return router
