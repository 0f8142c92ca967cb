""" "Was this helpful?" under every answer: a yes or no, an optional reason from a short list and
optional words, redacted like any message. A "no" puts the answer in front of staff: a review
item (route `feedback`) with the question, the answer and its sources.

Owns the `answer_feedback` table (`chatbot.records.AnswerFeedback`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chatbot.records import AnswerFeedback, Message, ReviewItem, utcnow
from chatbot.references import new_reference

if TYPE_CHECKING:
    from chatbot.redaction import Redactor
    from knowledge.catalogue import PageCatalogue

__all__ = ["REASONS", "FeedbackDesk", "FeedbackRefused", "FeedbackView", "helpfulness_by_area"]


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "mark for translation, not yet"
    return text


# (code, label): the labels are translated where they are shown.
REASONS: tuple[tuple[str, str], ...] = (
    ("not_answered", N_("It did not answer my question")),
    ("wrong", N_("It was wrong or out of date")),
    ("unclear", N_("It was hard to understand")),
    ("links", N_("The links did not help")),
    ("other", N_("Something else")),
)
REASON_LABELS = dict(REASONS)
MAX_COMMENT_CHARS = 1000


class FeedbackRefused(ValueError):
    """The feedback cannot be taken; str(exc) is a plain message (or "not_found")."""


@dataclass
class FeedbackView:
    """What the page shows of the feedback given so far on one answer."""

    helpful: bool
    reason: str | None = None
    comment: str | None = None
    done: bool = False  # the optional details were sent (or skipped) after a "no"


class FeedbackDesk:
    """Takes residents' feedback on answers; builds the review item for a "no"."""

    def __init__(
        self,
        engine: Engine,
        redactor: Redactor,
        catalogue: Callable[[], PageCatalogue | None] | None = None,
    ) -> None:
        self.engine = engine
        self.redactor = redactor
        self._catalogue = catalogue

    def given(self, message_ids: list[int]) -> dict[int, FeedbackView]:
        """Feedback already given on these replies, by message id."""
        wanted = [i for i in message_ids if i]
        if not wanted:
            return {}
        with Session(self.engine) as db:
            rows = db.exec(
                select(AnswerFeedback).where(col(AnswerFeedback.message_id).in_(wanted))
            ).all()
            return {row.message_id: _view(row) for row in rows}

    def record(
        self,
        *,
        conversation_id: str,
        message_id: int,
        helpful: bool,
        reason: str | None = None,
        comment: str | None = None,
        details: bool = False,
    ) -> FeedbackView:
        """Store (or update) the feedback on one answered reply of this conversation."""
        if reason and reason not in REASON_LABELS:
            raise FeedbackRefused(N_("Choose a reason from the list"))
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT_CHARS:
            raise FeedbackRefused(
                f"Your feedback must be {MAX_COMMENT_CHARS:,} characters or fewer"
            )
        redacted = self.redactor.redact(comment).text if comment else None
        del comment
        now = utcnow()
        with Session(self.engine) as db:
            message = db.get(Message, message_id)
            if (
                message is None
                or message.conversation_id != conversation_id
                or message.role != "assistant"
                or message.status != "answered"
            ):
                raise FeedbackRefused("not_found")
            row = db.exec(
                select(AnswerFeedback).where(AnswerFeedback.message_id == message_id)
            ).first()
            catalogue = self._catalogue() if self._catalogue is not None else None
            area = _service_area(message.sources or [], catalogue)
            if row is None:
                row = AnswerFeedback(
                    message_id=message_id,
                    conversation_id=conversation_id,
                    helpful=helpful,
                    service_area=area,
                    created_at=now,
                )
            row.helpful = helpful
            if details:
                row.reason = reason or None
                row.comment = redacted or None
            row.updated_at = now
            if not helpful:
                item = _review_item_for(db, row, message, catalogue)
                if item is not None:
                    db.add(item)
            db.add(row)
            db.commit()
            db.refresh(row)
            view = _view(row)
            view.done = details or helpful
            return view


def _view(row: AnswerFeedback) -> FeedbackView:
    return FeedbackView(
        helpful=row.helpful,
        reason=row.reason,
        comment=row.comment,
        done=bool(row.helpful or row.reason or row.comment),
    )


def _review_item_for(
    db: Session, row: AnswerFeedback, message: Message, catalogue: PageCatalogue | None
) -> ReviewItem | None:
    """A new review item for a "no" (or the existing one, with the resident's reason added)."""
    note = _note(row)
    if row.review_reference:
        item = db.exec(
            select(ReviewItem).where(ReviewItem.reference == row.review_reference)
        ).first()
        if item is not None and note:
            context = [c for c in item.context or [] if c.get("role") != "feedback"]
            item.context = [*context, {"role": "feedback", "text": note}]
            item.updated_at = utcnow()
        return item
    question = db.exec(
        select(Message)
        .where(Message.conversation_id == message.conversation_id)
        .where(Message.role == "resident")
        .where(col(Message.id) < message.id)
        .order_by(col(Message.id).desc())
    ).first()
    reference = new_reference()
    row.review_reference = reference
    now = utcnow()
    return ReviewItem(
        reference=reference,
        conversation_id=message.conversation_id,
        question=question.text if question is not None else "",
        context=[
            {"role": "feedback", "text": note or "The resident said this answer was not helpful."}
        ],
        draft_answer=message.text,
        sources=_review_sources(message.sources or [], catalogue),
        confidence=float(message.confidence or 0.0),
        route="feedback",
        service_area=row.service_area,
        priority=1,
        status="new",
        created_at=now,
        updated_at=now,
    )


def _note(row: AnswerFeedback) -> str:
    parts = ["The resident said this answer was not helpful."]
    if row.reason:
        parts.append(f"Reason: {REASON_LABELS.get(row.reason, row.reason)}.")
    if row.comment:
        parts.append(f"They wrote: {row.comment}")
    return " ".join(parts) if len(parts) > 1 else ""


def _review_sources(
    sources: list[dict[str, Any]], catalogue: PageCatalogue | None
) -> list[dict[str, Any]]:
    """The answer's sources as staff see them: with the page's hash and the section's text."""
    out = []
    for source in sources:
        entry = catalogue.get(source.get("page")) if catalogue is not None else None
        section = source.get("section") or ""
        out.append(
            {
                **{k: source.get(k) for k in ("title", "url", "section", "page")},
                "content_hash": entry.content_hash if entry else None,
                "text": entry.sections.get(section, "") if entry else "",
            }
        )
    return out


def _service_area(sources: list[dict[str, Any]], catalogue: PageCatalogue | None) -> str | None:
    for source in sources:
        entry = catalogue.get(source.get("page")) if catalogue is not None else None
        if entry is not None and entry.service_area:
            return entry.service_area[:60]
    return None


def helpfulness_by_area(engine: Engine, days: int = 30) -> list[dict[str, Any]]:
    """Yes and no counts per service area over the last `days` days (most feedback first)."""
    since: datetime = utcnow() - timedelta(days=days)
    with Session(engine) as db:
        rows = db.exec(
            select(
                AnswerFeedback.service_area,
                AnswerFeedback.helpful,
                func.count(col(AnswerFeedback.id)),
            )
            .where(AnswerFeedback.created_at >= since)
            .group_by(AnswerFeedback.service_area, AnswerFeedback.helpful)
        ).all()
    areas: dict[str, dict[str, Any]] = {}
    for area, helpful, count in rows:
        key = area or "unknown"
        entry = areas.setdefault(key, {"service_area": key, "yes": 0, "no": 0})
        entry["yes" if helpful else "no"] += int(count)
    for entry in areas.values():
        total = entry["yes"] + entry["no"]
        entry["total"] = total
        entry["helpful_rate"] = entry["yes"] / total if total else None
    return sorted(areas.values(), key=lambda e: (-e["total"], e["service_area"]))
