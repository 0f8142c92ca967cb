"""Dashboard numbers: how many questions, how many answered by themselves, how the queue is doing.

Counts come from the (redacted) transcript rows and review items; nothing here writes.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from chatbot.records import AnswerFeedback, Message, ReviewItem, utcnow

ESCALATED = ("escalated", "urgent")


@dataclass
class AreaRow:
    name: str
    items: int = 0
    open: int = 0
    decided: int = 0
    approved: int = 0

    @property
    def approval_rate(self) -> float | None:
        return self.approved / self.decided if self.decided else None


@dataclass
class HelpfulRow:
    """Residents' "Was this helpful?" on automatic answers in one service area."""

    name: str
    helpful: int = 0
    not_helpful: int = 0

    @property
    def rated(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def helpful_rate(self) -> float | None:
        return self.helpful / self.rated if self.rated else None


@dataclass
class Dashboard:
    days: int
    per_day: list[tuple[str, int]]
    questions: int
    replies: int
    answered: int
    escalated: int
    queue_size: int
    oldest_open: timedelta | None
    decided: int
    approved: int
    median_decision: timedelta | None
    areas: list[AreaRow] = field(default_factory=list)
    helpfulness: list[HelpfulRow] = field(default_factory=list)

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.replies if self.replies else None

    @property
    def escalated_share(self) -> float | None:
        return self.escalated / self.replies if self.replies else None

    @property
    def approval_rate(self) -> float | None:
        return self.approved / self.decided if self.decided else None


def _day(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)[:10]


def build_dashboard(engine: Engine, *, days: int = 14, now: datetime | None = None) -> Dashboard:
    """Numbers for the last `days` days (queue numbers are as of now)."""
    now = now or utcnow()
    since = now - timedelta(days=days)
    with Session(engine) as db:
        per_day_rows = db.exec(
            select(func.date(Message.created_at), func.count())
            .where(Message.role == "resident", col(Message.created_at) >= since)
            .group_by(func.date(Message.created_at))
        ).all()
        outcomes = dict(
            db.exec(
                select(Message.status, func.count())
                .where(Message.role == "assistant", col(Message.created_at) >= since)
                .group_by(Message.status)
            ).all()
        )
        open_items = db.exec(
            select(func.count(), func.min(ReviewItem.created_at)).where(
                col(ReviewItem.status).in_(("new", "claimed"))
            )
        ).one()
        decided_rows = db.exec(
            select(ReviewItem.status, ReviewItem.created_at, ReviewItem.decided_at).where(
                col(ReviewItem.decided_at).is_not(None), col(ReviewItem.decided_at) >= since
            )
        ).all()
        area_rows = db.exec(
            select(ReviewItem.service_area, ReviewItem.status, func.count())
            .where(col(ReviewItem.created_at) >= since)
            .group_by(ReviewItem.service_area, ReviewItem.status)
        ).all()
        feedback_rows = db.exec(
            select(AnswerFeedback.service_area, AnswerFeedback.helpful, func.count())
            .where(col(AnswerFeedback.created_at) >= since)
            .group_by(AnswerFeedback.service_area, AnswerFeedback.helpful)
        ).all()

    counts = {_day(d): int(n) for d, n in per_day_rows}
    per_day = [
        (day, counts.get(day, 0))
        for day in ((since + timedelta(days=i + 1)).date().isoformat() for i in range(days))
    ]
    replies = sum(int(n) for s, n in outcomes.items() if s not in (None, "greeting"))
    durations = [d - c for _, c, d in decided_rows if c is not None and d is not None]
    oldest = open_items[1]
    areas: dict[str, AreaRow] = {}
    for area, status, n in area_rows:
        row = areas.setdefault(area or "(none)", AreaRow(area or "(none)"))
        row.items += int(n)
        if status in ("new", "claimed"):
            row.open += int(n)
        else:
            row.decided += int(n)
            if status in ("approved", "edited"):
                row.approved += int(n)
    helpful: dict[str, HelpfulRow] = {}
    for area, was_helpful, n in feedback_rows:
        row_h = helpful.setdefault(area or "(none)", HelpfulRow(area or "(none)"))
        if was_helpful:
            row_h.helpful += int(n)
        else:
            row_h.not_helpful += int(n)
    return Dashboard(
        days=days,
        per_day=per_day,
        questions=sum(counts.values()),
        replies=replies,
        answered=int(outcomes.get("answered", 0)),
        escalated=sum(int(outcomes.get(s, 0)) for s in ESCALATED),
        queue_size=int(open_items[0] or 0),
        oldest_open=(now - oldest) if oldest is not None else None,
        decided=len(decided_rows),
        approved=sum(1 for s, _, _ in decided_rows if s in ("approved", "edited")),
        median_decision=statistics.median(durations) if durations else None,
        areas=sorted(areas.values(), key=lambda r: (-r.items, r.name)),
        helpfulness=sorted(helpful.values(), key=lambda r: (-r.rated, r.name)),
    )


def duration_label(value: timedelta | None) -> str:
    """ "3 h 20 min", "2 days 4 h", "45 s" — or "none"."""
    if value is None:
        return "none"
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes, hours, days = seconds // 60 % 60, seconds // 3600 % 24, seconds // 86400
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{value:.0%}"
