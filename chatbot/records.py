"""Tables the resident pipeline owns. Every text column holds redacted text only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Aware UTC: SQLModel's datetime columns refuse naive values, on SQLite and PostgreSQL."""
    return datetime.now(UTC)


class Conversation(SQLModel, table=True):
    """`id` is not a secret (staff see it); the browser holds `<id>.<secret>` and only the
    secret's sha256 is stored, so reading or continuing needs what only that browser has."""

    id: str = Field(primary_key=True, max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    last_active_at: datetime = Field(default_factory=utcnow, index=True)
    secret_hash: str | None = Field(default=None, max_length=64)
    # any message held special-category data: a shorter retention period applies
    special_category: bool = Field(default=False, index=True)


class Message(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(foreign_key="conversation.id", index=True, max_length=40)
    role: str = Field(max_length=16)  # "resident" | "assistant"
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: str | None = Field(default=None, max_length=20)
    route: str | None = Field(default=None, max_length=30)
    confidence: float | None = None
    reference: str | None = Field(default=None, max_length=32)
    sources: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    # the staff-approved answer this reply reused (its label says "Answered by ... staff")
    approved_answer_id: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    # UK GDPR Art. 9 categories in the resident's message (flagged, not blanked)
    special_category: list[str] | None = Field(default=None, sa_column=Column(JSON))


class ReviewItem(SQLModel, table=True):
    """A question staff must answer: escalated, urgent, or a stale approved answer."""

    __tablename__ = "review_item"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True, max_length=32)
    conversation_id: str | None = Field(default=None, max_length=40, index=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    context: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    draft_answer: str = Field(default="", sa_column=Column(Text, nullable=False))
    # [{title, url, section, page, content_hash, text}]
    sources: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    confidence: float = 0.0
    # urgent | low_confidence | not_covered | own_case | out_of_scope | stale_answer
    route: str = Field(max_length=30, index=True)
    service_area: str | None = Field(default=None, max_length=60, index=True)
    priority: int = Field(default=1, index=True)  # 0 = urgent, 1 = normal
    # new | claimed | approved | edited | rejected
    status: str = Field(default="new", max_length=20, index=True)
    # the language the resident wrote in ("cy": needs a Welsh-speaking reviewer); None = English
    language: str | None = Field(default=None, max_length=8, index=True)
    claimed_by: str | None = Field(default=None, max_length=320)
    claimed_at: datetime | None = None
    decided_by: str | None = Field(default=None, max_length=320)
    decided_at: datetime | None = None
    decision_reason: str | None = Field(default=None, sa_column=Column(Text))
    final_answer: str | None = Field(default=None, sa_column=Column(Text))
    approved_answer_id: int | None = Field(default=None, foreign_key="approved_answer.id")
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    # UK GDPR Art. 9 categories in the question: only the roles a council allows may open it
    special_category: list[str] | None = Field(default=None, sa_column=Column(JSON))
    # route urgent: the risks detected (chatbot.safety.CATEGORIES), most likely first
    urgent_categories: list[str] | None = Field(default=None, sa_column=Column(JSON))


class ApprovedAnswer(SQLModel, table=True):
    """A staff-approved answer, reused for similar questions while its sources are unchanged."""

    __tablename__ = "approved_answer"

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    question_embedding: list[float] = Field(default_factory=list, sa_column=Column(JSON))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    # [{title, url, section, page, content_hash}]
    sources: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    service_area: str | None = Field(default=None, max_length=60)
    approved_by: str = Field(max_length=320)
    approved_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None
    retired_at: datetime | None = None
    hit_count: int = 0
    last_hit_at: datetime | None = None
    review_item_id: int | None = Field(default=None)
    updated_at: datetime = Field(default_factory=utcnow)


class AnswerFeedback(SQLModel, table=True):
    """A resident's "Was this helpful?" on one reply (`chatbot.feedback` writes and reads it).
    The comment is redacted like any message. Belongs to the conversation: purge and erase
    remove it with the conversation's messages (no foreign key, so either may go first)."""

    __tablename__ = "answer_feedback"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(unique=True, index=True)  # the assistant message rated
    conversation_id: str = Field(max_length=40, index=True)
    helpful: bool
    reason: str | None = Field(default=None, max_length=30)  # one of chatbot.feedback.REASONS
    comment: str | None = Field(default=None, sa_column=Column(Text))  # redacted
    service_area: str | None = Field(default=None, max_length=60, index=True)
    review_reference: str | None = Field(default=None, max_length=32)  # the "no" review item
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)


class ReplyNotification(SQLModel, table=True):
    """A resident's email address, left after an escalation to hear once that a reply is ready
    (`chatbot.notifications` owns it). Kept apart from the transcript; deleted as soon as the
    email is queued, and by purge/erase with the reference's review item."""

    __tablename__ = "reply_notification"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True, max_length=32)
    email: str = Field(max_length=320)
    language: str = Field(default="en", max_length=8)
    created_at: datetime = Field(default_factory=utcnow, index=True)
