"""What every resident page shares: the council's branding, one Jinja environment per language
(English and Welsh), the answer renderer, and `render()` with the headers every page gets.

Built on first use, so mounting the routes loads nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from chatbot.answer_html import AnswerRenderer, PageSources, group_sources
from chatbot.htmx import htmx_config
from chatbot.i18n import LANG_COOKIE, choose_language, gettext_for, long_date, translations
from chatbot.links import LinkPolicy, tel_href
from chatbot.resident_view import Brand, brand_from

if TYPE_CHECKING:
    from chatbot.council import CouncilProfile
    from knowledge.catalogue import PageCatalogue

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"

# htmx: validation errors (422) and rate limits (429) are swapped in like answers.
HTMX_CONFIG = htmx_config(422, 429)


@dataclass
class Presenter:
    """Renders answers and their sources against the current knowledge base."""

    policy: LinkPolicy
    catalogue: PageCatalogue | None

    def renderer(self, new_tab: bool = False) -> AnswerRenderer:
        labels = self.catalogue.link_labels if self.catalogue is not None else None
        return AnswerRenderer(self.policy, labels, new_tab=new_tab)

    def answer_html(self, text: str | None, new_tab: bool = False) -> Markup:
        return self.renderer(new_tab).html(text)

    def sources(self, sources: list[dict[str, Any]]) -> list[PageSources]:
        return group_sources(sources, self.catalogue, self.policy)


class ResidentSite:
    """The council, the templates and the renderer for the resident pages."""

    def __init__(
        self,
        council: CouncilProfile | Callable[[], CouncilProfile] | None,
        max_chars: int,
        *,
        catalogue: Callable[[], PageCatalogue | None] | None = None,
        templates_dir: Path | None = None,
    ) -> None:
        self._council = council
        self.max_chars = max_chars
        self._catalogue = catalogue
        self.templates_dir = templates_dir or TEMPLATES_DIR
        self._presenter: tuple[int, Presenter] | None = None

    @functools.cached_property
    def profile(self) -> CouncilProfile:
        from chatbot.council import load_council_profile

        council = self._council() if callable(self._council) else self._council
        return council if council is not None else load_council_profile(None)

    @functools.cached_property
    def brand(self) -> Brand:
        return brand_from(self.profile)

    def brand_for(self, language: str) -> Brand:
        """The council's name and phone hours in the page's language."""
        return self.brand if language == "en" else brand_from(self.profile.in_language(language))

    @property
    def default_language(self) -> str:
        return str(self.profile.extra.get("default_language") or "en")

    def presenter(self) -> Presenter:
        """Rebuilt whenever the knowledge base changes (a new ingest brings new pages)."""
        catalogue = self._catalogue() if self._catalogue is not None else None
        key = id(catalogue)
        if self._presenter is None or self._presenter[0] != key:
            domains = self.profile.extra.get("domains") or []
            pages = catalogue.urls() if catalogue is not None else set()
            extra = [str(d) for d in domains]
            if self.brand.contact_url:
                extra.append(self.brand.contact_url)
            policy = LinkPolicy.for_council(self.brand.website, extra, pages)
            self._presenter = (key, Presenter(policy, catalogue))
        return self._presenter[1]

    def templates(self, language: str) -> Jinja2Templates:
        return _templates(self.templates_dir, self.brand_for(language), self.max_chars, language)

    def language(self, request: Request, form_value: str | None = None) -> str:
        return choose_language(
            form_value or request.query_params.get("lang"),
            request.cookies.get(LANG_COOKIE),
            request.headers.get("accept-language"),
            self.default_language,
        )

    def render(
        self,
        request: Request,
        name: str,
        language: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        context.setdefault("errors", [])
        context.setdefault("toggle_path", toggle_path(request))
        context.setdefault("embed", False)
        context.setdefault("error_state", bool(context["errors"]) or status >= 400)
        response = self.templates(language).TemplateResponse(
            request, name, context, status_code=status, headers=headers
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Language"] = language
        toggle = request.query_params.get("lang")
        if toggle and toggle == language:  # the toggle was used: remember it
            response.set_cookie(
                LANG_COOKIE, language, max_age=365 * 24 * 3600, httponly=True, samesite="lax"
            )
        return response


@functools.cache
def _templates(directory: Path, brand: Brand, max_chars: int, language: str) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    other = "en" if language == "cy" else "cy"
    env.globals.update(
        brand=brand,
        lang=language,
        other_lang=other,
        max_chars=max_chars,
        htmx_config=HTMX_CONFIG,
        asset=lambda path: f"/assets/{path}",
        long_date=lambda value: long_date(value, language),
        number=lambda value: f"{value:,}",
        t=gettext_for(language),
    )
    env.filters["tel"] = lambda number: tel_href(str(number or "")) or "#"
    return Jinja2Templates(env=env)


def toggle_path(request: Request) -> str:
    """Where the language toggle links to: this page, or the chat page after a form post."""
    path = request.url.path
    if request.method != "GET" or path == "/chat":
        return "/embed" if path.startswith("/embed") else "/"
    return path


def as_date(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value
