"""Where the resident pipeline keeps things: conversations, the redacted transcript, review
items and approved answers. Every text handed in here is already redacted.

One exchange (the resident's message, the reply and any review item) is written in one
transaction, so a failure never leaves half a turn behind.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chatbot.conversation_tokens import parse_token, secret_matches
from chatbot.records import ApprovedAnswer, Conversation, Message, ReviewItem, utcnow
from knowledge.links import safe_link

PUBLIC_SOURCE_KEYS = ("title", "url", "section", "page")


def public_sources(sources: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Sources as residents see them: title, url, section, page (no hashes, no page text); a
    url that is not an absolute http(s) address is dropped (`knowledge.links.safe_link`)."""
    return [
        {
            key: safe_link(source.get(key)) if key == "url" else source.get(key)
            for key in PUBLIC_SOURCE_KEYS
        }
        for source in sources or []
        if not source.get("no_page")  # an answer staff approved from no page links to none
    ]


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes (stored as UTC); compare them as aware UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass
class ApprovedCandidate:
    """An approved answer in use, with its question embedding as an array for matching."""

    id: int
    question: str
    answer: str
    sources: list[dict[str, Any]]
    service_area: str | None
    embedding: np.ndarray


@dataclass
class Exchange:
    """One turn to store: the resident's message (redacted) and the reply."""

    conversation_id: str
    new_conversation: bool
    question: str
    reply: str
    status: str
    route: str
    confidence: float | None
    sources: list[dict[str, Any]]
    reference: str | None = None
    review_item: ReviewItem | None = None
    approved_answer_id: int | None = None  # a staff-approved answer was reused
    secret_hash: str | None = None  # of a new conversation's token
    special_category: list[str] | None = None  # Art. 9 categories in the message


class ChatStore:
    """The pipeline's records on SQLite or PostgreSQL (whatever the engine points at)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._approved_cache: tuple[tuple[Any, ...], list[ApprovedCandidate]] | None = None
        self._expiry: dict[int, datetime | None] = {}

    # --- conversations ---------------------------------------------------------------------

    @staticmethod
    def new_conversation_id() -> str:
        return uuid.uuid4().hex

    def open_conversation(self, token: str | None, ttl_minutes: int) -> str | None:
        """The id of the live conversation this token opens, or None: unknown, malformed, a
        bare id without its secret, a wrong secret, or expired all look the same."""
        parsed = parse_token(token)
        if parsed is None:
            return None
        conversation_id, secret = parsed
        with Session(self.engine) as db:
            conversation = db.get(Conversation, conversation_id)
            if conversation is None or not secret_matches(secret, conversation.secret_hash):
                return None
            last = aware(conversation.last_active_at)
            if last is None or utcnow() - last > timedelta(minutes=ttl_minutes):
                return None
            return conversation.id

    def recent_messages(
        self, conversation_id: str | None, ttl_minutes: int, limit: int = 6
    ) -> list[Message] | None:
        """The last messages of a live conversation (oldest first), or None when the id is
        unknown or the conversation has expired (the caller then starts a new one)."""
        if not conversation_id:
            return None
        with Session(self.engine) as db:
            conversation = db.get(Conversation, conversation_id)
            if conversation is None:
                return None
            last = aware(conversation.last_active_at)
            if last is None or utcnow() - last > timedelta(minutes=ttl_minutes):
                return None
            rows = db.exec(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(col(Message.id).desc())
                .limit(limit)
            ).all()
            return list(reversed(rows))

    def record(self, exchange: Exchange) -> int | None:
        """Store the turn (and its review item) in one transaction; the reply's message id."""
        now = utcnow()
        with Session(self.engine) as db:
            flagged = bool(exchange.special_category)
            if exchange.new_conversation:
                db.add(
                    Conversation(
                        id=exchange.conversation_id,
                        created_at=now,
                        last_active_at=now,
                        secret_hash=exchange.secret_hash,
                        special_category=flagged,
                    )
                )
            else:
                conversation = db.get(Conversation, exchange.conversation_id)
                if conversation is None:
                    db.add(
                        Conversation(
                            id=exchange.conversation_id,
                            last_active_at=now,
                            secret_hash=exchange.secret_hash,
                            special_category=flagged,
                        )
                    )
                else:
                    conversation.last_active_at = now
                    conversation.special_category = conversation.special_category or flagged
                    db.add(conversation)
            db.flush()
            db.add(
                Message(
                    conversation_id=exchange.conversation_id,
                    role="resident",
                    text=exchange.question,
                    created_at=now,
                    special_category=exchange.special_category or None,
                )
            )
            reply = Message(
                conversation_id=exchange.conversation_id,
                role="assistant",
                text=exchange.reply,
                status=exchange.status,
                route=exchange.route,
                confidence=exchange.confidence,
                reference=exchange.reference,
                sources=public_sources(exchange.sources),
                approved_answer_id=exchange.approved_answer_id,
                created_at=now,
            )
            db.add(reply)
            if exchange.review_item is not None:
                db.add(exchange.review_item)
            db.commit()
            return reply.id

    def transcript(self, conversation_id: str) -> list[Message]:
        """Every message of a conversation, oldest first (redacted text only)."""
        with Session(self.engine) as db:
            rows = db.exec(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(col(Message.id))
            ).all()
            return list(rows)

    # --- review items ----------------------------------------------------------------------

    def answer_for_reference(self, reference: str) -> dict[str, Any] | None:
        """What the resident holding `reference` may see: pending, answered (with the final
        answer) or closed (with the optional reply to the resident); None when unknown."""
        with Session(self.engine) as db:
            item = db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).first()
            if item is None:
                return None
            reply: str | None = None
            sources: list[dict[str, Any]] = []
            if item.status in {"approved", "edited"}:
                status = "answered"
                reply = item.final_answer or item.draft_answer or None
                approved = (
                    db.get(ApprovedAnswer, item.approved_answer_id)
                    if item.approved_answer_id
                    else None
                )
                sources = public_sources(approved.sources if approved else item.sources)
            elif item.status == "rejected":
                status = "closed"
                reply = item.final_answer or None
            else:
                status = "pending"
            return {
                "reference": item.reference,
                "status": status,
                "reply": reply,
                "sources": sources,
                "updated_at": aware(item.updated_at),
            }

    def staff_answer_dates(self, ids: list[int]) -> dict[int, datetime]:
        """When each approved answer was last written or edited by staff (for its label)."""
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return {}
        with Session(self.engine) as db:
            rows = db.exec(
                select(ApprovedAnswer.id, ApprovedAnswer.updated_at).where(
                    col(ApprovedAnswer.id).in_(wanted)
                )
            ).all()
            return {int(i): aware(when) or utcnow() for i, when in rows if i is not None}

    def review_item(self, reference: str) -> ReviewItem | None:
        with Session(self.engine) as db:
            return db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).first()

    # --- approved answers ------------------------------------------------------------------

    def approved_answers(self) -> list[ApprovedCandidate]:
        """Approved answers in use (not retired, not expired), cached until the table changes."""
        now = utcnow()
        with Session(self.engine) as db:
            stamp = tuple(
                db.exec(
                    select(func.count(col(ApprovedAnswer.id)), func.max(ApprovedAnswer.updated_at))
                ).one()
            )
            if self._approved_cache is None or self._approved_cache[0] != stamp:
                rows = db.exec(
                    select(ApprovedAnswer).where(col(ApprovedAnswer.retired_at).is_(None))
                ).all()
                candidates = [
                    (row, _candidate(row)) for row in rows if row.id is not None
                ]  # expiry is checked below, on every call
                self._approved_cache = (stamp, [c for _, c in candidates])
                self._expiry = {row.id: aware(row.expires_at) for row, _ in candidates}
        return [
            c
            for c in self._approved_cache[1]
            if (expires := self._expiry.get(c.id)) is None or expires > now
        ]

    def record_approved_hit(self, approved_id: int) -> None:
        """Count a reuse. Does not touch updated_at, so the match cache stays valid."""
        with Session(self.engine) as db:
            row = db.get(ApprovedAnswer, approved_id)
            if row is not None:
                row.hit_count += 1
                row.last_hit_at = utcnow()
                db.add(row)
                db.commit()


def _candidate(row: ApprovedAnswer) -> ApprovedCandidate:
    vector = np.asarray(row.question_embedding or [], dtype=np.float32)
    norm = float(np.linalg.norm(vector)) if vector.size else 0.0
    return ApprovedCandidate(
        id=int(row.id or 0),
        question=row.question,
        answer=row.answer,
        sources=list(row.sources or []),
        service_area=row.service_area,
        embedding=vector / norm if norm else vector,
    )
