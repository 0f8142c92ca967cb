"""Near-identical open questions, grouped so one decision can answer them all.

Residents ask the same thing in nearly the same words ("when is the tip open on sundays");
the queue shows such questions as one row with the others under it, and the reviewer's
decision on the first can be applied to the rest. Each resident keeps their own reference and
gets the reply under it. Urgent questions and a resident's own case are never grouped: each of
those needs a person's eyes on its own.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, or_
from sqlalchemy import update as sql_update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chatbot.records import ReviewItem, utcnow
from review_ui import audit

# Cosine similarity of the (redacted) questions' MiniLM embeddings at which two questions are
# "near-identical": rewordings such as "What time does the tip open on a Sunday?" / "When is
# the tip open on Sundays?" score 0.92, related but different questions ("garden waste" /
# "bulky waste" collections) well below 0.85.
GROUP_SIMILARITY = 0.9
GROUPABLE_ROUTES = ("low_confidence", "not_covered", "out_of_scope", "stale_answer", "feedback")
MAX_GROUP = 50


def groupable(item: ReviewItem) -> bool:
    return (
        item.priority != 0
        and item.route in GROUPABLE_ROUTES
        and item.status in ("new", "claimed")
        # special-category items open only for some roles: each is decided on its own
        and not getattr(item, "special_category", False)
    )


class QuestionVectors:
    """Unit embeddings of review items' questions, computed once per item and kept in memory
    (questions never change once queued)."""

    def __init__(self, embedder: Any, limit: int = 20_000) -> None:
        self.embedder = embedder
        self.limit = limit
        self._cache: dict[int, np.ndarray] = {}
        self._lock = threading.Lock()

    def of(self, items: Sequence[ReviewItem]) -> dict[int, np.ndarray]:
        missing = [i for i in items if i.id is not None and i.id not in self._cache]
        if missing:
            vectors = np.asarray(self.embedder.embed([i.question for i in missing]), np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.where(norms == 0, 1, norms)
            with self._lock:
                if len(self._cache) > self.limit:
                    self._cache.clear()
                for item, vector in zip(missing, vectors, strict=True):
                    self._cache[int(item.id)] = vector  # type: ignore[arg-type]
        return {int(i.id): self._cache[int(i.id)] for i in items if i.id in self._cache}


@dataclass
class QueueRow:
    item: ReviewItem
    similar: list[ReviewItem] = field(default_factory=list)


def group_rows(
    items: Sequence[ReviewItem],
    vectors: QuestionVectors | None,
    threshold: float = GROUP_SIMILARITY,
) -> list[QueueRow]:
    """Queue rows in the given order: each groupable question not yet in a group leads the
    later near-identical ones, which then have no row of their own."""
    candidates = [i for i in items if groupable(i)]
    if vectors is None or len(candidates) < 2:
        return [QueueRow(i) for i in items]
    found = vectors.of(candidates)
    taken: set[int] = set()
    similar: dict[int, list[ReviewItem]] = {}
    for n, leader in enumerate(candidates):
        if leader.id in taken:
            continue
        for other in candidates[n + 1 :]:
            if other.id in taken or len(similar.get(leader.id, [])) >= MAX_GROUP:  # type: ignore[arg-type]
                continue
            if float(found[leader.id] @ found[other.id]) >= threshold:  # type: ignore[index]
                similar.setdefault(leader.id, []).append(other)  # type: ignore[arg-type]
                taken.add(other.id)  # type: ignore[arg-type]
    return [QueueRow(i, similar.get(i.id, [])) for i in items if i.id not in taken]  # type: ignore[arg-type]


def similar_open(
    engine: Engine,
    item: ReviewItem,
    vectors: QuestionVectors | None,
    *,
    reviewer: str,
    ttl_minutes: int,
    threshold: float = GROUP_SIMILARITY,
) -> list[ReviewItem]:
    """Open questions near-identical to `item` that this reviewer could decide now (nobody
    else holds them), oldest first."""
    if vectors is None or not groupable(item):
        return []
    cutoff = utcnow() - timedelta(minutes=ttl_minutes)
    with Session(engine) as db:
        others = list(
            db.exec(
                select(ReviewItem)
                .where(col(ReviewItem.id) != item.id, _free_for(reviewer, cutoff))
                .where(col(ReviewItem.route).in_(GROUPABLE_ROUTES), ReviewItem.priority != 0)
                .order_by(col(ReviewItem.created_at), col(ReviewItem.id))
                .limit(500)
            ).all()
        )
    others = [o for o in others if groupable(o)]
    if not others:
        return []
    found = vectors.of([item, *others])
    mine = found[int(item.id)]  # type: ignore[arg-type]
    return [o for o in others if float(mine @ found[int(o.id)]) >= threshold][:MAX_GROUP]  # type: ignore[arg-type]


def _free_for(reviewer: str, cutoff: datetime) -> Any:
    return or_(
        ReviewItem.status == "new",
        and_(
            ReviewItem.status == "claimed",
            or_(col(ReviewItem.claimed_at) < cutoff, ReviewItem.claimed_by == reviewer),
        ),
    )


def decide_members(
    db: Session,
    leader: ReviewItem,
    member_ids: Sequence[int],
    reviewer: str,
    *,
    ttl_minutes: int,
    answer: str | None = None,
    approved_answer_id: int | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Apply the leader's decision to each member still free, in the caller's transaction
    (approve when `approved_answer_id` is given, else reject with `reason`); each member gets
    its own audit event. Returns the ids decided (a member someone else took meanwhile is left
    alone)."""
    now = now or utcnow()
    cutoff = now - timedelta(minutes=ttl_minutes)
    decided: list[int] = []
    for member_id in dict.fromkeys(member_ids):
        if member_id == leader.id:
            continue
        member = db.get(ReviewItem, member_id)
        if member is None or not groupable(member):
            continue
        if approved_answer_id is not None:
            edited = " ".join((answer or "").split()) != " ".join(member.draft_answer.split())
            status = "edited" if edited else "approved"
            values = {"final_answer": answer, "approved_answer_id": approved_answer_id}
            values["decision_reason"] = None
        else:
            status = "rejected"
            values = {"final_answer": answer or None, "decision_reason": reason}
        result = db.execute(
            sql_update(ReviewItem)
            .where(
                col(ReviewItem.id) == member_id,
                col(ReviewItem.route).in_(GROUPABLE_ROUTES),
                ReviewItem.priority != 0,
                _free_for(reviewer, cutoff),
            )
            .values(
                status=status,
                claimed_by=reviewer,
                claimed_at=now,
                decided_by=reviewer,
                decided_at=now,
                updated_at=now,
                **values,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            continue
        # no reference code in the append-only log: an erased resident's must not survive
        detail: dict[str, Any] = {"with_group_of": leader.id}
        if approved_answer_id is not None:
            detail["approved_answer_id"] = approved_answer_id
        else:
            detail["reason"] = reason
        audit.record(
            db,
            actor=reviewer,
            action="reject"
            if status == "rejected"
            else ("edit" if status == "edited" else "approve"),
            target_type="review_item",
            target_id=member_id,
            before=member.draft_answer,
            after=answer,
            detail=detail,
        )
        decided.append(member_id)
    return decided


@dataclass
class GroupDecision:
    """The near-identical questions a decision should answer too; `decided` is filled with
    the ones it did."""

    member_ids: list[int]
    ttl_minutes: int
    decided: list[int] = field(default_factory=list)
