"""Retention and residents' rights: purge old records, export or erase one resident's data.

These span the resident pipeline's records (conversations, messages, review items) and the
staff app's audit log, so they live here, in the highest layer they touch; the composition
root only wires them to `townhall purge` and `townhall data export|erase`.

- **purge**: transcripts (conversations and their messages) whose last activity is older than
  the retention period, and closed review items (approved, edited, rejected) decided longer
  ago, are deleted; conversations that held special-category data have a shorter period.
  Open review items and the transcripts they belong to stay until they are closed. Before
  anything is deleted, its counts are added to `usage_statistic` (questions per day by
  status and route, decisions per day), so aggregate statistics outlive the records.
  Approved answers are kept (they are the council's words, reviewed by staff).
- **export** (subject access): everything held under a reference code: the review item, its
  conversation's transcript (all redacted), dates and flags.
- **erase**: the review item, its conversation and every message of it are deleted, with the
  feedback given on it, an email address left to hear about it and any email or alert about
  it still in the outbox; an approved answer made from it stays but no longer points at it.
  The reference then reads as unknown (404).

Each is audited: that it happened, by whom, and how many rows, never the data or the code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chatbot.records import (
    AnswerFeedback,
    ApprovedAnswer,
    Conversation,
    Message,
    ReplyNotification,
    ReviewItem,
    utcnow,
)
from chatbot.store import aware
from outbox.records import OutboxMessage
from review_ui import audit
from review_ui.records import UsageStatistic

CLOSED = ("approved", "edited", "rejected")


@dataclass
class PurgeReport:
    conversations: int = 0
    messages: int = 0
    review_items: int = 0
    dry_run: bool = False
    cutoffs: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "conversations": self.conversations,
            "messages": self.messages,
            "review_items": self.review_items,
            "cutoffs": self.cutoffs,
        }


def purge(
    engine: Engine,
    *,
    retention_days: int,
    special_category_days: int,
    dry_run: bool = False,
    actor: str = "system",
    now: datetime | None = None,
) -> PurgeReport:
    """Delete what is past its time (or, with dry_run, only count it)."""
    now = now or utcnow()
    normal_cut = now - timedelta(days=retention_days)
    special_cut = now - timedelta(days=min(special_category_days, retention_days))
    report = PurgeReport(
        dry_run=dry_run,
        cutoffs={"normal": normal_cut.isoformat(), "special_category": special_cut.isoformat()},
    )
    with Session(engine) as db:
        items = [
            item
            for item in db.exec(select(ReviewItem).where(col(ReviewItem.status).in_(CLOSED)))
            if _before(
                item.decided_at or item.updated_at,
                special_cut if item.special_category else normal_cut,
            )
        ]
        open_conversations = set(
            db.exec(select(ReviewItem.conversation_id).where(col(ReviewItem.status).notin_(CLOSED)))
        )
        conversations = [
            c
            for c in db.exec(select(Conversation))
            if c.id not in open_conversations
            and _before(c.last_active_at, special_cut if c.special_category else normal_cut)
        ]
        conversation_ids = [c.id for c in conversations]
        messages = (
            list(db.exec(select(Message).where(col(Message.conversation_id).in_(conversation_ids))))
            if conversation_ids
            else []
        )
        report.conversations, report.messages = len(conversations), len(messages)
        report.review_items = len(items)
        if dry_run:
            return report
        _roll_up(db, messages, items, conversation_ids)
        _delete_items(db, [i.id for i in items if i.id is not None])
        _delete_conversations(db, conversation_ids)
        audit.record(
            db,
            actor=actor,
            action="purge",
            target_type="retention",
            detail={
                "conversations": report.conversations,
                "messages": report.messages,
                "review_items": report.review_items,
                "retention_days": retention_days,
                "special_category_days": special_category_days,
            },
        )
        db.commit()
    return report


def export_reference(
    engine: Engine, reference: str, *, actor: str = "system"
) -> dict[str, Any] | None:
    """Everything held under the reference (redacted text only), or None when unknown.
    Audited as an export of one reference, without the data (or the code itself)."""
    with Session(engine) as db:
        item = db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).first()
        if item is None:
            return None
        messages: list[Message] = []
        conversation = None
        if item.conversation_id:
            conversation = db.get(Conversation, item.conversation_id)
            messages = list(
                db.exec(
                    select(Message)
                    .where(Message.conversation_id == item.conversation_id)
                    .order_by(col(Message.id))
                )
            )
        data = {
            "reference": item.reference,
            "question": item.question,
            "earlier_in_conversation": item.context,
            "status": item.status,
            "route": item.route,
            "service_area": item.service_area,
            "special_category": item.special_category or [],
            "reply_from_staff": item.final_answer,
            "received_at": _iso(item.created_at),
            "updated_at": _iso(item.updated_at),
            "decided_at": _iso(item.decided_at),
            "conversation": {
                "started_at": _iso(conversation.created_at) if conversation else None,
                "last_active_at": _iso(conversation.last_active_at) if conversation else None,
                "messages": [
                    {
                        "role": m.role,
                        "text": m.text,
                        "status": m.status,
                        "at": _iso(m.created_at),
                        "special_category": m.special_category or [],
                    }
                    for m in messages
                ],
            },
        }
        audit.record(
            db,
            actor=actor,
            action="data_export",
            target_type="review_item",
            target_id=item.id,
            detail={"messages": len(messages)},
        )
        db.commit()
    return data


@dataclass
class EraseReport:
    review_items: int
    conversations: int
    messages: int
    approved_answers_unlinked: int


def erase_reference(engine: Engine, reference: str, *, actor: str = "system") -> EraseReport | None:
    """Delete the review item, its conversation and messages; None when unknown. Approved
    answers made from it stay, unlinked. Audited without the reference or the data."""
    with Session(engine) as db:
        item = db.exec(select(ReviewItem).where(ReviewItem.reference == reference)).first()
        if item is None:
            return None
        item_id = item.id
        conversation_id = item.conversation_id
        message_count = 0
        conversation_count = 0
        if conversation_id:
            message_count = len(
                list(db.exec(select(Message.id).where(Message.conversation_id == conversation_id)))
            )
            conversation_count = 1 if db.get(Conversation, conversation_id) else 0
        # other review items of the same conversation hold the same resident's words
        sibling_ids = (
            [
                i
                for i in db.exec(
                    select(ReviewItem.id).where(ReviewItem.conversation_id == conversation_id)
                )
                if i is not None
            ]
            if conversation_id
            else []
        )
        ids = sorted({item_id, *sibling_ids} - {None})
        unlinked = _delete_items(db, ids)  # type: ignore[arg-type]
        if conversation_id:
            _delete_conversations(db, [conversation_id])
        audit.record(
            db,
            actor=actor,
            action="data_erase",
            target_type="review_item",
            target_id=item_id,
            detail={
                "review_items": len(ids),
                "conversations": conversation_count,
                "messages": message_count,
            },
        )
        db.commit()
    return EraseReport(len(ids), conversation_count, message_count, unlinked)


# --- helpers -----------------------------------------------------------------------------------


def _before(moment: datetime | None, cutoff: datetime) -> bool:
    moment = aware(moment)
    return moment is not None and moment < cutoff


def _iso(moment: datetime | None) -> str | None:
    moment = aware(moment)
    return moment.isoformat() if moment else None


def _delete_items(db: Session, ids: list[int]) -> int:
    """Delete review items, the email addresses left to hear about them and their pending
    emails and alerts; approved answers made from them stay but stop pointing at them."""
    if not ids:
        return 0
    references = list(db.exec(select(ReviewItem.reference).where(col(ReviewItem.id).in_(ids))))
    if references:
        db.exec(  # type: ignore[call-overload]
            delete(ReplyNotification).where(col(ReplyNotification.reference).in_(references))
        )
        db.exec(  # type: ignore[call-overload]
            update(AnswerFeedback)
            .where(col(AnswerFeedback.review_reference).in_(references))
            .values(review_reference=None)
        )
        for reference in references:
            db.exec(  # type: ignore[call-overload]
                delete(OutboxMessage).where(
                    (col(OutboxMessage.about) == reference)
                    | col(OutboxMessage.dedupe_key).contains(reference)
                )
            )
    unlinked = db.exec(  # type: ignore[call-overload]
        update(ApprovedAnswer)
        .where(col(ApprovedAnswer.review_item_id).in_(ids))
        .values(review_item_id=None)
    ).rowcount
    db.exec(delete(ReviewItem).where(col(ReviewItem.id).in_(ids)))  # type: ignore[call-overload]
    return int(unlinked or 0)


def _delete_conversations(db: Session, ids: list[str]) -> None:
    if not ids:
        return
    db.exec(delete(AnswerFeedback).where(col(AnswerFeedback.conversation_id).in_(ids)))  # type: ignore[call-overload]
    db.exec(delete(Message).where(col(Message.conversation_id).in_(ids)))  # type: ignore[call-overload]
    db.exec(delete(Conversation).where(col(Conversation.id).in_(ids)))  # type: ignore[call-overload]


def _roll_up(
    db: Session, messages: list[Message], items: list[ReviewItem], conversation_ids: list[str]
) -> None:
    """Add the counts of what is about to go to the aggregate statistics."""
    counts: Counter[tuple[str, str, str, str, str | None]] = Counter()
    if conversation_ids:
        for f in db.exec(
            select(AnswerFeedback).where(col(AnswerFeedback.conversation_id).in_(conversation_ids))
        ):
            day = (aware(f.created_at) or utcnow()).date().isoformat()
            verdict = "helpful" if f.helpful else "not_helpful"
            counts[(day, "feedback", verdict, f.reason or "", f.service_area)] += 1
    for m in messages:
        if m.role == "assistant":
            day = (aware(m.created_at) or utcnow()).date().isoformat()
            counts[(day, "question", m.status or "", m.route or "", None)] += 1
    for i in items:
        day = (aware(i.decided_at or i.updated_at) or utcnow()).date().isoformat()
        counts[(day, "review_item", i.status, i.route, i.service_area)] += 1
    for (day, kind, status, route, area), n in sorted(counts.items(), key=str):
        db.add(
            UsageStatistic(
                day=day, kind=kind, status=status, route=route, service_area=area, count=n
            )
        )
