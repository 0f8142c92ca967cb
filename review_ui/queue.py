"""The review queue: what is waiting, atomic claims, and the reviewer's decisions.

A claim is one conditional UPDATE whose WHERE clause only matches an unclaimed item (or one
whose claim has lapsed); the row count says who won. Decisions work the same way, on an item
the reviewer still holds, so two reviewers can never decide the same item. Works the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy import update as sql_update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from chatbot.records import ApprovedAnswer, ReviewItem, utcnow
from review_ui import audit
from review_ui.groups import GroupDecision, decide_members

# An answer to one resident's own case, or to an urgent message, is about that person: it goes
# to them by their reference, and is never reused for anyone else's question.
NOT_REUSED_ROUTES = ("own_case", "urgent")
OPEN = ("new", "claimed")
DECIDED = ("approved", "edited", "rejected")
STATUSES = OPEN + DECIDED
ROUTES = (
    "urgent",
    "low_confidence",
    "not_covered",
    "own_case",
    "out_of_scope",
    "stale_answer",
    "search_unavailable",
    "feedback",
)
AGES = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "72h": timedelta(hours=72)}
MAX_ANSWER = 10_000
MAX_REASON = 2_000


class QueueActionRefused(Exception):
    """Plain reason an action could not be done (someone else has it, already decided...)."""


@dataclass
class QueueFilter:
    status: str = "open"  # open | all | one of STATUSES
    route: str = ""
    service_area: str = ""
    older_than: str = ""  # "" | a key of AGES

    @classmethod
    def from_query(cls, status: str, route: str, service_area: str, older_than: str) -> QueueFilter:
        """Unknown values fall back to the default instead of erroring (they come from a URL)."""
        return cls(
            status=status if status in STATUSES or status in ("open", "all") else "open",
            route=route if route in ROUTES else "",
            service_area=service_area[:60],
            older_than=older_than if older_than in AGES else "",
        )


@dataclass
class QueuePage:
    items: list[ReviewItem]
    counts: dict[str, int] = field(default_factory=dict)
    service_areas: list[str] = field(default_factory=list)


def claim_lapsed(item: ReviewItem, ttl_minutes: int, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (
        item.status == "claimed"
        and item.claimed_at is not None
        and item.claimed_at < now - timedelta(minutes=ttl_minutes)
    )


def list_queue(engine: Engine, flt: QueueFilter, *, limit: int = 200) -> QueuePage:
    """Urgent first, then oldest first; with counts per status and the service areas seen."""
    now = utcnow()
    query = select(ReviewItem)
    if flt.status == "open":
        query = query.where(col(ReviewItem.status).in_(OPEN))
    elif flt.status != "all":
        query = query.where(ReviewItem.status == flt.status)
    if flt.route:
        query = query.where(ReviewItem.route == flt.route)
    if flt.service_area:
        query = query.where(ReviewItem.service_area == flt.service_area)
    if flt.older_than:
        query = query.where(col(ReviewItem.created_at) < now - AGES[flt.older_than])
    query = query.order_by(col(ReviewItem.priority), col(ReviewItem.created_at), col(ReviewItem.id))
    with Session(engine) as db:
        items = list(db.exec(query.limit(limit)).all())
        counts = dict.fromkeys(STATUSES, 0)
        for status, n in db.exec(
            select(ReviewItem.status, func.count()).group_by(ReviewItem.status)
        ).all():
            counts[status] = int(n)
        areas = sorted(a for a in db.exec(select(ReviewItem.service_area).distinct()).all() if a)
    counts["open"] = counts["new"] + counts["claimed"]
    return QueuePage(items=items, counts=counts, service_areas=areas)


def get_item(engine: Engine, item_id: int) -> ReviewItem | None:
    with Session(engine) as db:
        return db.get(ReviewItem, item_id)


def claim(
    engine: Engine, item_id: int, reviewer: str, *, ttl_minutes: int, now: datetime | None = None
) -> bool:
    """Take the item if nobody holds it (or their claim lapsed). True only for the winner."""
    now = now or utcnow()
    cutoff = now - timedelta(minutes=ttl_minutes)
    before = get_item(engine, item_id)  # read apart: the write below starts its own transaction
    if before is None:
        return False
    previous = before.claimed_by if before.status == "claimed" else None
    with Session(engine) as db:
        claimable = or_(
            ReviewItem.status == "new",
            and_(
                ReviewItem.status == "claimed",
                or_(col(ReviewItem.claimed_at) < cutoff, ReviewItem.claimed_by == reviewer),
            ),
        )
        result = db.execute(
            _update()
            .where(col(ReviewItem.id) == item_id, claimable)
            .values(status="claimed", claimed_by=reviewer, claimed_at=now, updated_at=now)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.rollback()
            return False
        if previous and previous != reviewer:
            audit.record(
                db,
                actor="system",
                action="expire",
                target_type="review_item",
                target_id=item_id,
                detail={"claim_of": previous},
            )
        audit.record(
            db, actor=reviewer, action="claim", target_type="review_item", target_id=item_id
        )
        db.commit()
        return True


def release(engine: Engine, item_id: int, reviewer: str) -> bool:
    """Give the item back to the queue (only the person holding it can)."""
    now = utcnow()
    with Session(engine) as db:
        result = db.execute(
            _update()
            .where(
                col(ReviewItem.id) == item_id,
                ReviewItem.status == "claimed",
                ReviewItem.claimed_by == reviewer,
            )
            .values(status="new", claimed_by=None, claimed_at=None, updated_at=now)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.rollback()
            return False
        audit.record(
            db, actor=reviewer, action="release", target_type="review_item", target_id=item_id
        )
        db.commit()
        return True


def _update() -> Any:
    """An UPDATE of review items that leaves loaded objects alone (we re-read after commit)."""
    return sql_update(ReviewItem).execution_options(synchronize_session=False)


def _held_by(reviewer: str) -> Any:
    return and_(ReviewItem.status == "claimed", ReviewItem.claimed_by == reviewer)


def _why_not_held(item: ReviewItem | None, reviewer: str) -> str:
    if item is None:
        return "There is no such item"
    if item.status in DECIDED:
        return f"This item has already been decided ({item.status} by {item.decided_by})"
    if item.status == "claimed" and item.claimed_by != reviewer:
        return f"{item.claimed_by} is working on this item"
    return "Claim this item before you decide it"


def same_decision_done(
    engine: Engine, item_id: int, reviewer: str, decision: str, text: str
) -> bool:
    """Whether this reviewer already made exactly this decision (a browser resending the form
    after the first response was lost): the retry is shown as done, and nothing is written."""
    item = get_item(engine, item_id)
    if item is None or item.decided_by != reviewer:
        return False
    wanted = ("approved", "edited") if decision == "approve" else ("rejected",)
    typed = " ".join(text.replace("\r\n", "\n").split())
    return item.status in wanted and " ".join((item.final_answer or "").split()) == typed


def answer_sources(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources as an approved answer keeps them: with content hashes, without the page text."""
    keep = ("title", "url", "section", "page", "content_hash")
    return [
        {k: s.get(k) for k in keep} | ({"no_page": True} if s.get("no_page") else {})
        for s in sources
        if isinstance(s, dict)
    ]


def refreshed(sources: list[dict[str, Any]], current: dict[str, str]) -> list[dict[str, Any]]:
    """Sources with today's page hashes; pages that no longer exist are dropped."""
    from chatbot.approved import is_no_page, no_page_source

    kept = []
    for source in sources:
        if is_no_page(source):
            kept.append(no_page_source(current))
            continue
        page = source.get("page")
        if page is None or page in current:
            kept.append({**source, "content_hash": current.get(page, source.get("content_hash"))})
    return kept


def _retire_superseded(
    db: Session, item: ReviewItem, replacement: ApprovedAnswer, reviewer: str
) -> None:
    """Retire the approved answers in use with the stale item's text and pages."""
    pages = sorted(str(s.get("page")) for s in item.sources if isinstance(s, dict))
    now = utcnow()
    for old in db.exec(
        select(ApprovedAnswer).where(
            col(ApprovedAnswer.retired_at).is_(None),
            ApprovedAnswer.answer == item.draft_answer,
            col(ApprovedAnswer.id) != replacement.id,
        )
    ).all():
        if sorted(str(s.get("page")) for s in old.sources if isinstance(s, dict)) != pages:
            continue
        old.retired_at = now
        old.updated_at = now
        db.add(old)
        audit.record(
            db,
            actor=reviewer,
            action="answer_retire",
            target_type="approved_answer",
            target_id=old.id,
            before="active",
            after="retired",
            detail={"superseded_by": replacement.id, "review_item": item.id},
        )


def approve(
    engine: Engine,
    item_id: int,
    reviewer: str,
    answer: str,
    *,
    embedder: Any,
    expires_at: datetime | None = None,
    current_hashes: dict[str, str] | None = None,
    new_approved_answer: Callable[..., ApprovedAnswer] | None = None,
    sources: list[dict[str, Any]] | None = None,
    group: GroupDecision | None = None,
) -> ReviewItem:
    """Approve the draft as is, or an edited answer ("edited"); saves it for similar questions
    (not an answer to one resident's own case or urgent message: `NOT_REUSED_ROUTES`).

    For a stale approved answer (route `stale_answer`) the reviewer has checked it against the
    pages as they are now: its sources take the current page hashes (`current_hashes`), and the
    old approved answer it replaces is retired, so it stops sending items to the queue.
    `sources` are the ones the reviewer chose (review_ui.sources); None keeps the draft's."""
    if new_approved_answer is None:
        from chatbot.approved import new_approved_answer
    answer = answer.replace("\r\n", "\n").strip()
    if not answer:
        raise QueueActionRefused("Enter the answer the resident should get")
    if len(answer) > MAX_ANSWER:
        raise QueueActionRefused(f"The answer must be {MAX_ANSWER:,} characters or fewer")
    item = get_item(engine, item_id)
    if item is None or item.status != "claimed" or item.claimed_by != reviewer:
        raise QueueActionRefused(_why_not_held(item, reviewer))
    edited = " ".join(answer.split()) != " ".join(item.draft_answer.split())
    status = "edited" if edited else "approved"
    sources = answer_sources(item.sources if sources is None else sources)
    if item.route == "stale_answer" and current_hashes is not None:
        sources = refreshed(sources, current_hashes)
    approved = new_approved_answer(
        question=item.question,
        answer=answer,
        sources=sources,
        approved_by=reviewer,
        embedder=embedder,
        service_area=item.service_area,
        expires_at=expires_at,
        review_item_id=item_id,
    )
    now = utcnow()
    if item.route in NOT_REUSED_ROUTES:
        approved.retired_at = now  # kept for the record and the audit, never matched again
    with Session(engine) as db:
        result = db.execute(
            _update()
            .where(col(ReviewItem.id) == item_id, _held_by(reviewer))
            .values(
                status=status,
                decided_by=reviewer,
                decided_at=now,
                final_answer=answer,
                decision_reason=None,
                updated_at=now,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.rollback()
            raise QueueActionRefused(_why_not_held(get_item(engine, item_id), reviewer))
        db.add(approved)
        db.flush()
        db.execute(
            _update().where(col(ReviewItem.id) == item_id).values(approved_answer_id=approved.id)
        )
        if item.route == "stale_answer":
            _retire_superseded(db, item, approved, reviewer)
        if group is not None and group.member_ids:
            group.decided = decide_members(
                db,
                item,
                group.member_ids,
                reviewer,
                ttl_minutes=group.ttl_minutes,
                answer=answer,
                approved_answer_id=approved.id,
                now=now,
            )
        audit.record(
            db,
            actor=reviewer,
            action="edit" if edited else "approve",
            target_type="review_item",
            target_id=item_id,
            before=item.draft_answer,
            after=answer,
            # no reference code: the item id is enough, and an erased resident's reference
            # must not survive in the append-only log
            detail={
                "approved_answer_id": approved.id,
                "reused": item.route not in NOT_REUSED_ROUTES,
                "sources": [f"{s.get('page')}::{s.get('section')}" for s in sources],
            },
        )
        db.commit()
    return get_item(engine, item_id)  # type: ignore[return-value]


def reject(
    engine: Engine,
    item_id: int,
    reviewer: str,
    reason: str,
    reply: str = "",
    group: GroupDecision | None = None,
) -> ReviewItem:
    """Close the item with a reason; the optional reply is what the resident's reference shows.
    With `group`, the near-identical questions listed there are closed the same way."""
    reason = reason.strip()
    reply = reply.replace("\r\n", "\n").strip()
    if not reason:
        raise QueueActionRefused("Enter the reason for rejecting")
    if len(reason) > MAX_REASON:
        raise QueueActionRefused(f"The reason must be {MAX_REASON:,} characters or fewer")
    if len(reply) > MAX_ANSWER:
        raise QueueActionRefused(f"The reply must be {MAX_ANSWER:,} characters or fewer")
    item = get_item(engine, item_id)
    if item is None or item.status != "claimed" or item.claimed_by != reviewer:
        raise QueueActionRefused(_why_not_held(item, reviewer))
    now = utcnow()
    with Session(engine) as db:
        result = db.execute(
            _update()
            .where(col(ReviewItem.id) == item_id, _held_by(reviewer))
            .values(
                status="rejected",
                decided_by=reviewer,
                decided_at=now,
                decision_reason=reason,
                final_answer=reply or None,
                updated_at=now,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            db.rollback()
            raise QueueActionRefused(_why_not_held(get_item(engine, item_id), reviewer))
        audit.record(
            db,
            actor=reviewer,
            action="reject",
            target_type="review_item",
            target_id=item_id,
            before=item.draft_answer,
            after=None,  # the reply is the resident's; the log records that one was given
            detail={"reason": reason, "reply_given": bool(reply)},
        )
        if group is not None and group.member_ids:
            group.decided = decide_members(
                db,
                item,
                group.member_ids,
                reviewer,
                ttl_minutes=group.ttl_minutes,
                answer=reply or None,
                reason=reason,
                now=now,
            )
        db.commit()
    return get_item(engine, item_id)  # type: ignore[return-value]
