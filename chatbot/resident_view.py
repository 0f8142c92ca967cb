"""What the resident pages display, built from pipeline results, stored turns and the council
profile. Only redacted text is shown back from storage; nothing here writes anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from chatbot.answer_html import PageSources
    from chatbot.council import CouncilProfile
    from chatbot.pipeline import ChatResult
    from chatbot.store import ChatStore


PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]+>")


@dataclass(frozen=True)
class Brand:
    """The council as the pages show it: name in the header, contacts in the footer."""

    name: str
    short_name: str
    website: str | None = None
    contact_url: str | None = None
    phone: str | None = None
    phone_hours: str | None = None
    out_of_hours_phone: str | None = None


@dataclass
class Turn:
    """One question (redacted) and Townhall's answer, with what the page shows of it."""

    question: str
    reply: str
    status: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    reference: str | None = None
    conversation_id: str = ""
    redacted: bool = False
    route: str | None = None
    message_id: int | None = None
    approved_answer_id: int | None = None
    staff_on: date | None = None  # a staff-approved answer: when staff wrote or last edited it
    html: Markup = field(default_factory=Markup)
    pages: list[PageSources] = field(default_factory=list)
    feedback: Any = None  # the resident's "Was this helpful?" so far (AnswerFeedback)

    @property
    def answered_by(self) -> str | None:
        """ "staff" (reused staff-approved answer), "automatic" (composed from the pages) or
        None (a holding reply, signposting or a greeting: the council's own fixed words)."""
        if self.status != "answered":
            return None
        return "staff" if self.approved_answer_id else "automatic"


@dataclass
class AnswerView:
    reference: str
    status: str
    reply: str | None
    sources: list[dict[str, Any]]
    updated_label: str
    updated_at: datetime | None = None
    html: Markup = field(default_factory=Markup)
    pages: list[PageSources] = field(default_factory=list)


def brand_from(council: CouncilProfile | None) -> Brand:
    """The page branding from the council profile (the demo council when none is given)."""
    if council is None:
        from chatbot.council import load_council_profile

        council = load_council_profile(None)
    name = str(council.name)
    return Brand(
        name=name,
        short_name=str(getattr(council, "short_name", None) or name),
        website=_text(getattr(council, "website", None)),
        contact_url=_text(getattr(council, "contact_page", None)),
        phone=_text(getattr(council, "phone", None)),
        phone_hours=_text(getattr(council, "phone_hours", None)),
        out_of_hours_phone=_text(getattr(council, "out_of_hours_phone", None)),
    )


def _text(value: object) -> str | None:
    return str(value) if value else None


def turn_from_result(result: ChatResult) -> Turn:
    """The turn just answered; the question shown is the redacted one (what we keep)."""
    api = result.to_api()
    question = result.redacted_message
    return Turn(
        question=question,
        reply=api["reply"],
        status=api["status"],
        sources=list(api["sources"]),
        reference=api["reference"],
        conversation_id=api["conversation_id"],
        redacted=bool(PLACEHOLDER.search(question)),
        route=result.route,
        message_id=result.message_id,
        approved_answer_id=result.approved_answer_id,
    )


def turns_from(store: ChatStore, token: str | None, ttl_minutes: int = 60) -> list[Turn]:
    """The conversation so far, from the stored (redacted) transcript, for the browser that
    holds its token; nothing for a bare id, a wrong secret or an expired conversation."""
    from chatbot.store import public_sources

    conversation_id = store.open_conversation(token, ttl_minutes)
    if not conversation_id:
        return []
    turns: list[Turn] = []
    question: str | None = None
    for message in store.transcript(conversation_id):
        if message.role == "resident":
            question = message.text
        elif question is not None:
            turns.append(
                Turn(
                    question=question,
                    reply=message.text,
                    status=message.status or "answered",
                    sources=public_sources(message.sources),
                    reference=message.reference,
                    conversation_id=str(token),
                    redacted=bool(PLACEHOLDER.search(question)),
                    route=message.route,
                    message_id=message.id,
                    approved_answer_id=message.approved_answer_id,
                )
            )
            question = None
    return turns


def answer_view(found: dict[str, Any]) -> AnswerView:
    updated = found.get("updated_at")
    label = updated.strftime("%-d %B %Y at %H:%M UTC") if isinstance(updated, datetime) else ""
    return AnswerView(
        reference=found["reference"],
        status=found["status"],
        reply=found.get("reply"),
        sources=list(found.get("sources") or []),
        updated_label=label,
        updated_at=updated if isinstance(updated, datetime) else None,
    )
