"""Escalation to staff: the review item a question becomes, and how a message with several
questions in it is split into parts (each answered, or the whole message escalated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chatbot.composer import review_sources
from chatbot.conversation import is_follow_up
from chatbot.records import ReviewItem, utcnow
from chatbot.wording import content_terms
from knowledge.types import RetrievedChunk

if TYPE_CHECKING:
    from chatbot.council import CouncilProfile

MAX_PARTS = 3
_QUESTION_START = re.compile(
    r"^(how|what|whats|what's|when|whens|where|wheres|which|who|why|can|could|do|does|did|is|"
    r"are|will|would|should|shall|may|if|and)\b",
    re.I,
)
_ASKING = r"(?:how|what|when|where|which|who|why|can|could|do|does|is|are|will|should)\b"
_BREAK = re.compile(
    rf"(?<=\?)\s+|\n+|(?<=[.!])\s+(?={_ASKING}|and\b)|,?\s+and\s+(?={_ASKING})|,\s+(?={_ASKING})",
    re.I,
)


@dataclass
class Escalation:
    """Why a message goes to staff, and what they get with it."""

    route: str  # urgent | low_confidence | not_covered | own_case | stale_answer | welsh
    reference: str
    priority: int = 1
    draft: str = ""
    chunks: list[RetrievedChunk] = field(default_factory=list)
    sources: list[dict[str, Any]] | None = None  # given as is (a stale approved answer's)
    service_area: str | None = None
    confidence: float | None = None
    notes: list[str] = field(default_factory=list)  # e.g. what the grounding check removed
    urgent_categories: list[str] = field(default_factory=list)  # route urgent: risks detected


def review_item(escalation: Escalation, turn: Any, council: CouncilProfile) -> ReviewItem:
    """The review item for staff (all text redacted): the question, the conversation so far,
    the draft answer, its sources with page hashes and retrieved text, confidence, area."""
    context = list(turn.context)
    if turn.standalone != turn.redacted:
        context.append({"role": "rewritten_question", "text": turn.standalone})
    context += [{"role": "grounding_check", "text": note} for note in escalation.notes]
    sources = escalation.sources
    if sources is None:
        sources = review_sources(escalation.chunks)
    area = escalation.service_area
    if area is None and escalation.chunks:
        area = escalation.chunks[0].chunk.service_area
    confidence = escalation.confidence
    if confidence is None:
        confidence = turn.confidence if turn.confidence is not None else 0.0
    now = utcnow()
    return ReviewItem(
        reference=escalation.reference,
        conversation_id=turn.conversation_id,
        question=turn.redacted,
        context=context,
        draft_answer=escalation.draft or "",
        sources=sources,
        confidence=float(confidence),
        route=escalation.route,
        service_area=(area or None) and str(area)[:60],
        priority=escalation.priority,
        status="new",
        language=_language(turn),
        created_at=now,
        updated_at=now,
        special_category=_special_categories(turn, context) or None,
        urgent_categories=list(escalation.urgent_categories) or None,
    )


def _language(turn: Any) -> str | None:
    """ "cy" when the resident wrote in Welsh (the item needs a Welsh-speaking reviewer)."""
    language = getattr(turn, "language", "en")
    return language if language and language != "en" else None


def _special_categories(turn: Any, context: list[dict[str, Any]]) -> list[str]:
    """Art. 9 categories of this message and of the earlier ones staff will read with it."""
    from chatbot.special_category import special_categories

    found = set(getattr(turn, "special_category", None) or [])
    for earlier in context:
        if earlier.get("role") == "resident":
            found.update(special_categories(str(earlier.get("text", ""))))
    return sorted(found)


def question_parts(question: str) -> list[str]:
    """The separate questions in a message ("how much is it? and when is it collected"), each
    made standalone with the first part's subject; one part when there is only one."""
    if "(" in question and question.rstrip().endswith(")"):
        return [question]  # already a rewritten follow-up
    pieces = [p.strip(" ,;") for p in _BREAK.split(question) if p and p.strip(" ,;")]
    parts: list[str] = []
    carry = ""  # context before the first question ("im on universal credit, 40, can i ...")
    for piece in pieces:
        asks = piece.endswith("?") or _QUESTION_START.match(piece)
        if not content_terms(piece) or not asks:
            if parts:
                parts[-1] = f"{parts[-1]} {piece}"
            else:
                carry = f"{carry} {piece}".strip()
            continue
        parts.append(f"{carry}, {piece}" if carry else piece)
        carry = ""
    if carry and not parts:
        parts.append(carry)
    if len(parts) <= 1:
        return [question]
    parts = parts[:MAX_PARTS]
    first = parts[0].rstrip("?.! ")
    out = [parts[0]]
    for part in parts[1:]:
        if len(content_terms(part)) <= 4 or is_follow_up(part):
            part = f"{part.rstrip('?.! ')}? ({first})"
        out.append(part)
    return out
