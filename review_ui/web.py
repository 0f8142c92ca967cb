"""The staff app's plumbing: settings, templates, who is signed in, CSRF, and refusals.

Every staff route goes through `StaffRoute`, which turns the refusals below into the right
response: a redirect to sign in (401 with HX-Redirect for htmx), or a 403/404 page.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError

from chatbot.htmx import htmx_config
from chatbot.resident_pages import TEMPLATES_DIR as SHARED_TEMPLATES_DIR
from review_ui.auth import SignedIn, same_token, signed_in
from review_ui.eval_runs import shown_path
from review_ui.groups import QuestionVectors
from review_ui.labels import route_label, service_area_label, urgent_categories
from review_ui.sign_in_guard import SignInGuard
from review_ui.sources import SectionFinder, distinct

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SESSION_COOKIE = "th_staff_session"
SIGN_IN_COOKIE = "th_staff_sign_in"
COOKIE_PATH = "/staff"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

HTMX_CONFIG = htmx_config(409, 422)


class StaffRefusal(Exception):
    """A request the staff app will not serve."""

    status = 403
    title = "You cannot do that"
    message = ""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message or self.message


class NeedSignIn(StaffRefusal):
    status = 401


class NotAllowed(StaffRefusal):
    title = "You do not have access to this page"
    message = "This page is for admins. Ask an admin if you need access."


class SpecialCategoryRefused(StaffRefusal):
    status = 403
    title = "You cannot open this question"
    message = (
        "It holds special-category personal data (such as health, disability or religion), "
        "which the council lets only some staff roles read. Ask an admin."
    )


class CsrfRefused(StaffRefusal):
    title = "This form has expired"
    message = "Go back, reload the page and try again."


class NotFound(StaffRefusal):
    status = 404
    title = "Page not found"
    message = "There is nothing here. It may have been removed."


@dataclass
class StaffConfig:
    """Plain values from the composition root (the staff app never reads the environment)."""

    engine: Engine | Callable[[], Engine]
    embedder: Any
    page_hashes: Callable[[], dict[str, str]]
    session_hours: int = 8
    claim_ttl_minutes: int = 30
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    cookie_secure: bool = False
    confidence_threshold: float | None = None
    approved_match_threshold: float | None = None
    council: Any = None  # CouncilProfile, a callable returning one, or None
    templates_dir: Path | None = None
    # roles that may open items flagged as holding special-category (Art. 9) data
    special_category_roles: tuple[str, ...] = ("reviewer", "admin")
    # Sign-in guard (review_ui/sign_in_guard.py); a random key per process when none is given.
    secret_key: bytes | None = None
    sign_in_rate_per_minute: int = 10
    sign_in_account_rate_per_hour: int = 30
    redis_url: str | None = None
    knowledge: Any = None  # the KnowledgeBase (or a callable giving it): source search


class StaffWeb:
    """What every staff route shares: the database, the templates and the checks."""

    def __init__(self, config: StaffConfig) -> None:
        self.config = config

    @functools.cached_property
    def engine(self) -> Engine:
        source = self.config.engine
        return source if isinstance(source, Engine) else source()

    @functools.cached_property
    def sign_in_guard(self) -> SignInGuard:
        cfg = self.config
        return SignInGuard(
            key=cfg.secret_key or secrets.token_bytes(32),
            per_client_per_minute=cfg.sign_in_rate_per_minute,
            per_account_per_hour=cfg.sign_in_account_rate_per_hour,
            redis_url=cfg.redis_url,
        )

    @functools.cached_property
    def finder(self) -> SectionFinder:
        """Page sections by title and heading, for choosing an answer's sources."""
        return SectionFinder(self.config.knowledge)

    @functools.cached_property
    def vectors(self) -> QuestionVectors | None:
        """Question embeddings for grouping near-identical questions (None: no embedder)."""
        return None if self.config.embedder is None else QuestionVectors(self.config.embedder)

    @functools.cached_property
    def templates(self) -> Jinja2Templates:
        env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(
                [
                    jinja2.FileSystemLoader(str(self.config.templates_dir or TEMPLATES_DIR)),
                    # GOV.UK partials shared with the resident pages (govuk/...)
                    jinja2.FileSystemLoader(str(SHARED_TEMPLATES_DIR)),
                ]
            ),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.globals.update(
            brand=_brand(self.config.council),
            htmx_config=HTMX_CONFIG,
            asset=lambda path: f"/assets/{path}",
            csrf_field=CSRF_FIELD,
            route_label=route_label,
            service_area_label=service_area_label,
            urgent_categories=urgent_categories,
            distinct_sources=distinct,
            shown_path=shown_path,
        )
        env.filters.update(when=when, short=short)
        return Jinja2Templates(env=env)

    def render(
        self,
        request: Request,
        name: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        context.setdefault("staff", getattr(request.state, "staff", None))
        context.setdefault("errors", [])
        context.setdefault("nav", "")
        response = self.templates.TemplateResponse(
            request, name, context, status_code=status, headers=headers
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    # --- dependencies ---------------------------------------------------------------------

    def current_staff(self, request: Request) -> SignedIn:
        """The signed-in staff member (any role), or refuse."""
        staff = signed_in(self.engine, request.cookies.get(SESSION_COOKIE))
        if staff is None:
            raise NeedSignIn()
        request.state.staff = staff
        return staff

    async def check_csrf(self, request: Request, expected: str | None) -> None:
        """Every state-changing request must carry the session's CSRF token (header or form)."""
        if request.method in SAFE_METHODS:
            return
        sent = request.headers.get(CSRF_HEADER)
        if not sent:
            content_type = request.headers.get("content-type", "")
            if content_type.startswith(("application/x-www-form-urlencoded", "multipart/")):
                form = await request.form()
                value = form.get(CSRF_FIELD)
                sent = value if isinstance(value, str) else None
        if not same_token(sent, expected):
            raise CsrfRefused()

    def route_class(self) -> type[APIRoute]:
        return type("StaffRouteBound", (StaffRoute,), {"web": self})


class StaffRoute(APIRoute):
    """Turns refusals into responses, for routes and their dependencies alike."""

    web: StaffWeb

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        web = self.web

        async def guarded(request: Request) -> Response:
            try:
                if any(_out_of_range(v) for v in request.path_params.values()):
                    raise NotFound()
                return await handler(request)
            except DataError:
                # A value the database cannot hold (the edge refuses NULs in addresses; this
                # catches one in a form field). Its parameters are never logged (hide_parameters).
                return web.render(
                    request,
                    "staff/problem.html",
                    400,
                    page_title="We could not save that",
                    message=UNSTORABLE,
                )
            except NeedSignIn:
                target = "/staff/sign-in"
                if request.method == "GET" and request.url.path != "/staff/sign-out":
                    target += "?next=" + quote(_path_with_query(request), safe="")
                if is_htmx(request):
                    return Response("Please sign in", 401, headers={"HX-Redirect": target})
                return RedirectResponse(target, status_code=303)
            except RequestValidationError:
                # Only path and query values can fail here (form fields all have defaults):
                # a mistyped address, answered as one.
                refusal = NotFound()
                return web.render(
                    request,
                    "staff/problem.html",
                    404,
                    page_title=refusal.title,
                    message=refusal.message,
                )
            except StaffRefusal as refusal:
                # htmx does not swap 4xx pages in: after an expired form, reload the page
                # (which brings a fresh token, or the sign-in page).
                refresh = {"HX-Refresh": "true"} if is_htmx(request) else None
                return web.render(
                    request,
                    "staff/problem.html",
                    refusal.status,
                    refresh if isinstance(refusal, CsrfRefused) else None,
                    page_title=refusal.title,
                    message=refusal.message,
                )

        return guarded


UNSTORABLE = "What you typed has a character we cannot store. Remove it and try again."
MAX_DATABASE_ID = 2**31 - 1  # INTEGER on PostgreSQL; SQLite overflows past 2**63 - 1


def _out_of_range(value: Any) -> bool:
    """A numeric path value no row can have (the probe got 500s from OverflowError)."""
    text = str(value)
    return text.isdigit() and int(text) > MAX_DATABASE_ID


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _path_with_query(request: Request) -> str:
    path = request.url.path
    return f"{path}?{request.url.query}" if request.url.query else path


def safe_next(value: str | None) -> str:
    """Only local staff pages: never another site (`//evil`, `/\\evil`, `https:`)."""
    if value and value.startswith("/staff/") and not value.startswith(("//", "/\\")):
        if "\\" not in value and "\n" not in value and "\r" not in value:
            return value
    return "/staff/"


def when(value: datetime | None) -> str:
    """ "23 Nov 2026 14:05 UTC"; staff see one clock, whatever the server's zone."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%-d %b %Y %H:%M UTC")


ZERO_WIDTH_SPACE = "\u200b"


def short(text: str | None, length: int = 160) -> str:
    """One line of at most `length` characters, for tables. Very long unbroken runs (a
    pasted link, a string of nonsense) get invisible break points so they cannot push the
    table off the screen."""
    text = " ".join((text or "").split())
    if len(text) > length:
        text = text[: length - 1].rstrip() + "…"
    return " ".join(
        ZERO_WIDTH_SPACE.join(word[i : i + 30] for i in range(0, len(word), 30))
        if len(word) > 30
        else word
        for word in text.split(" ")
    )


def _brand(council: Any) -> Any:
    from chatbot.resident_view import Brand

    try:
        from chatbot.resident_view import brand_from

        profile = council() if callable(council) else council
        return brand_from(profile)
    except ImportError:
        return Brand(name="Council", short_name="Council")
