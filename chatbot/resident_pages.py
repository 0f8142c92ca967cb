"""The resident's web pages: the chat page (works without JavaScript, enhanced by htmx), the
compact `/embed` version for the widget, the answer-collection page and `widget.js`.

Templates live in `chatbot/templates/resident/` (a base layout and small partials; htmx
responses are just partials). Jinja autoescapes everything; no inline scripts or styles, so the
page runs under a `'self'`-only Content Security Policy.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from chatbot.htmx import htmx_config
from chatbot.http_limits import resident_route_class
from chatbot.resident_view import Brand, Turn, answer_view, brand_from, turn_from_result, turns_from

if TYPE_CHECKING:
    from chatbot.api import ResidentLimits
    from chatbot.council import CouncilProfile
    from chatbot.pipeline import ResidentPipeline
    from chatbot.store import ChatStore

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
WIDGET_JS = PACKAGE_DIR / "static" / "widget.js"

# htmx: validation errors (422) and rate limits (429) are swapped in like answers.
HTMX_CONFIG = htmx_config(422, 429)


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


def create_resident_pages_router(
    pipeline: ResidentPipeline,
    store: ChatStore,
    limits: ResidentLimits,
    *,
    council: CouncilProfile | Callable[[], CouncilProfile] | None = None,
    templates_dir: Path | None = None,
    max_body_bytes: int,
) -> APIRouter:
    """`/`, `/chat`, `/embed`, `/answers`, `/answers/{reference}` and `/widget.js`."""
    from chatbot.api import is_rejection, lookup_reference, normalise_typed_reference, too_many

    @functools.cache
    def page_templates() -> tuple[Jinja2Templates, Brand]:
        # Resolved on first use, so mounting the routes loads nothing.
        profile = council() if callable(council) else council
        brand = brand_from(profile)
        directory = templates_dir or TEMPLATES_DIR
        return _templates(directory, brand, limits.max_message_chars), brand

    pages = APIRouter(include_in_schema=False, route_class=resident_route_class(max_body_bytes))

    def render(
        request: Request,
        name: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        templates, _ = page_templates()
        response = templates.TemplateResponse(
            request, name, context, status_code=status, headers=headers
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def chat_page(
        request: Request,
        state: PageState,
        embed: bool,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        return render(
            request,
            "resident/chat.html",
            status,
            headers,
            page_title=f"Ask {page_templates()[1].name}" if not embed else "Ask a question",
            embed=embed,
            post_url="/embed" if embed else "/chat",
            turns=state.turns,
            follow_up=bool(state.turns),
            conversation_id=state.conversation_id,
            message=state.message,
            errors=state.errors,
        )

    def ask(request: Request, message: str, conversation_id: str, embed: bool) -> Response:
        htmx = request.headers.get("hx-request") == "true"
        conversation = conversation_id.strip()[:64] or None

        def refuse(text: str, status: int, headers: dict[str, str] | None = None) -> Response:
            errors = [FormError("message", text)]
            if htmx:
                return render(
                    request,
                    "resident/_ask_form.html",
                    status,
                    {**(headers or {}), "HX-Retarget": "#ask-form-area", "HX-Reswap": "outerHTML"},
                    embed=embed,
                    post_url="/embed" if embed else "/chat",
                    oob=False,
                    follow_up=conversation is not None,
                    conversation_id=conversation,
                    message=message,
                    errors=errors,
                )
            state = PageState(
                turns=turns_from(store, conversation),
                conversation_id=conversation,
                message=message,
                errors=errors,
            )
            return chat_page(request, state, embed, status, headers)

        problem = limits.message_problem(message)
        if problem:
            return refuse(problem, 422)
        decision = limits.chat.hit(limits.client(request))
        if not decision.allowed:
            retry = {"Retry-After": str(decision.retry_after_seconds)}
            return refuse(too_many(decision), 429, retry)
        try:
            result = pipeline.handle(message, conversation)
        except ValueError as exc:
            if not is_rejection(exc):
                raise
            return refuse(str(exc), 422)
        turn = turn_from_result(result)
        if htmx:
            return render(
                request,
                "resident/_new_turn.html",
                embed=embed,
                post_url="/embed" if embed else "/chat",
                turn=turn,
                follow_up=True,
                conversation_id=turn.conversation_id,
            )
        turns = turns_from(store, turn.conversation_id) or [turn]
        state = PageState(turns=turns, conversation_id=turn.conversation_id)
        return chat_page(request, state, embed)

    @pages.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        return chat_page(request, PageState(), embed=False)

    @pages.post("/chat", response_class=HTMLResponse)
    def ask_page(
        request: Request, message: str = Form(""), conversation_id: str = Form("")
    ) -> Response:
        return ask(request, message, conversation_id, embed=False)

    @pages.get("/chat")
    def chat_get() -> Response:
        return RedirectResponse("/", status_code=303)

    @pages.get("/embed", response_class=HTMLResponse)
    def embed_page(request: Request) -> Response:
        return chat_page(request, PageState(), embed=True)

    @pages.post("/embed", response_class=HTMLResponse)
    def ask_embedded(
        request: Request, message: str = Form(""), conversation_id: str = Form("")
    ) -> Response:
        return ask(request, message, conversation_id, embed=True)

    @pages.get("/answers", response_class=HTMLResponse)
    def reference_form(request: Request, reference: str | None = None) -> Response:
        if reference is None:
            return render(
                request,
                "resident/answer.html",
                page_title="Check for your answer",
                embed=False,
                answer=None,
                errors=[],
                typed="",
            )
        normalised = normalise_typed_reference(reference)
        if not normalised:
            errors = [FormError("reference", "Enter your reference, like TH-7KQ2-M9XD-4RPA")]
            return render(
                request,
                "resident/answer.html",
                422,
                page_title="Check for your answer",
                embed=False,
                answer=None,
                errors=errors,
                typed=reference[:64],
            )
        return RedirectResponse(f"/answers/{normalised}", status_code=303)

    @pages.get("/answers/{reference}", response_class=HTMLResponse)
    def answer_page(request: Request, reference: str) -> Response:
        decision = limits.reference.hit(limits.client(request))
        if not decision.allowed:
            return render(
                request,
                "resident/problem.html",
                429,
                {"Retry-After": str(decision.retry_after_seconds)},
                page_title="Please wait",
                embed=False,
                errors=[],
                detail=too_many(decision, "reference look-ups"),
            )
        found = lookup_reference(store, reference)
        if found is None:
            return render(
                request,
                "resident/answer.html",
                404,
                page_title="Check for your answer",
                embed=False,
                answer=None,
                errors=[],
                typed=reference[:64],
                not_found=True,
            )
        view = answer_view(found)
        titles = {
            "answered": "Your answer",
            "pending": "Your question is waiting for an answer",
            "closed": "Your question is closed",
        }
        return render(
            request,
            "resident/answer.html",
            page_title=titles[view.status],
            embed=False,
            answer=view,
            errors=[],
        )

    @pages.get("/widget.js")
    def widget_script() -> Response:
        return FileResponse(
            WIDGET_JS,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"},
        )

    return pages


def _templates(directory: Path, brand: Brand, max_chars: int) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        brand=brand,
        service_name="Ask a question",
        max_chars=max_chars,
        htmx_config=HTMX_CONFIG,
        asset=lambda path: f"/assets/{path}",
    )
    return Jinja2Templates(env=env)
