"""The notices a council must publish about its chat, generated from the council profile: the
privacy notice (`/privacy`) and the accessibility statement (`/accessibility`, in the format
the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations
2018 ask for, with the latest automated test results from `accessibility_results.json`).

A council fills in the `privacy:` and `accessibility:` sections of its profile; every field has
a sensible default so the pages are never empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from chatbot.i18n import gettext_for

if TYPE_CHECKING:
    from chatbot.council import CouncilProfile
    from chatbot.resident_pages import ChatPages
    from chatbot.resident_site import ResidentSite

RESULTS_FILE = Path(__file__).resolve().parent / "accessibility_results.json"


@dataclass
class PrivacyFacts:
    controller: str
    contact_email: str | None
    dpo_email: str | None
    transcript_days: int
    special_days: int | None
    notification_days: int
    website: str | None
    ico_url: str = "https://ico.org.uk/make-a-complaint/"


@dataclass
class AccessibilityFacts:
    council: str
    service_url: str | None
    contact_email: str | None
    phone: str | None
    prepared: date | None
    reviewed: date | None
    status: str  # "full" | "partial"
    known_issues: list[str] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)


def privacy_facts(profile: CouncilProfile, retention_days: int | None = None) -> PrivacyFacts:
    section = _section(profile, "privacy")
    return PrivacyFacts(
        controller=str(section.get("controller") or profile.name),
        contact_email=_str(section.get("contact_email")) or profile.email,
        dpo_email=_str(section.get("dpo_email")),
        transcript_days=int(section.get("transcript_days") or retention_days or 90),
        special_days=_int(section.get("special_category_days")),
        notification_days=int(section.get("notification_days") or 90),
        website=profile.website,
    )


def accessibility_facts(profile: CouncilProfile) -> AccessibilityFacts:
    section = _section(profile, "accessibility")
    results = load_results()
    tested = _date(results.get("tested_on"))
    return AccessibilityFacts(
        council=profile.name,
        service_url=_str(section.get("service_url")),
        contact_email=_str(section.get("contact_email")) or profile.email,
        phone=profile.phone,
        prepared=_date(section.get("prepared")) or tested,
        reviewed=_date(section.get("reviewed")) or tested,
        status="partial" if section.get("known_issues") else "full",
        known_issues=[str(i) for i in section.get("known_issues") or []],
        results=results,
    )


def load_results(path: Path = RESULTS_FILE) -> dict[str, Any]:
    """The committed axe-core results (`scripts/accessibility_audit.py` rewrites them)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def notices_router(site: ResidentSite, chat: ChatPages) -> APIRouter:
    """`/privacy` and `/accessibility`."""
    router = APIRouter(include_in_schema=False)

    @router.get("/privacy", response_class=HTMLResponse)
    def privacy(request: Request) -> HTMLResponse:
        language = site.language(request)
        facts = privacy_facts(site.profile, chat.parts.retention_days)
        return site.render(
            request,
            "resident/privacy.html",
            language,
            page_title=gettext_for(language)("Privacy notice"),
            facts=facts,
        )

    @router.get("/accessibility", response_class=HTMLResponse)
    def accessibility(request: Request) -> HTMLResponse:
        language = site.language(request)
        return site.render(
            request,
            "resident/accessibility.html",
            language,
            page_title=gettext_for(language)("Accessibility statement"),
            facts=accessibility_facts(site.profile),
        )

    return router


def _section(profile: CouncilProfile, name: str) -> dict[str, Any]:
    value = profile.extra.get(name)
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return str(value).strip() or None if value else None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
