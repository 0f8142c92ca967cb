"""Approved answers: search them, edit the text, retire them, set an expiry date.

An answer is stale when a page it was approved from has changed (or gone) since: the content
hash kept with each source no longer matches the knowledge base's current one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import update as sql_update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, or_, select

from chatbot.records import ApprovedAnswer, ReviewItem, utcnow
from review_ui import audit
from review_ui.queue import MAX_ANSWER, QueueActionRefused

SHOWS = ("active", "stale", "retired", "all")


@dataclass
class AnswerRow:
    answer: ApprovedAnswer
    stale: list[dict[str, Any]] = field(default_factory=list)
    expired: bool = False

    @property
    def retired(self) -> bool:
        return self.answer.retired_at is not None


def stale_checker(
    page_hashes: Callable[[], dict[str, str]],
) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None:
    """A function giving an answer's changed sources, or None when the knowledge base cannot
    be read (then nothing is flagged, rather than everything)."""
    from chatbot.approved import stale_sources

    try:
        current = page_hashes()
    except Exception:  # noqa: BLE001 - the list must still show without a knowledge base
        return None
    return lambda sources: stale_sources(sources, current)


def search_answers(
    engine: Engine,
    page_hashes: Callable[[], dict[str, str]],
    *,
    text: str = "",
    show: str = "active",
    limit: int = 200,
) -> tuple[list[AnswerRow], bool]:
    """Answers matching the search text; and whether the stale check could be done."""
    now = utcnow()
    query = select(ApprovedAnswer).order_by(col(ApprovedAnswer.approved_at).desc())
    text = text.strip()[:200]
    if text:
        like = f"%{text.lower()}%"
        query = query.where(
            or_(
                func.lower(ApprovedAnswer.question).like(like),
                func.lower(ApprovedAnswer.answer).like(like),
            )
        )
    if show in ("active", "stale"):
        query = query.where(col(ApprovedAnswer.retired_at).is_(None))
    elif show == "retired":
        query = query.where(col(ApprovedAnswer.retired_at).is_not(None))
    with Session(engine) as db:
        answers = list(db.exec(query.limit(limit)).all())
    check = stale_checker(page_hashes)
    rows = [
        AnswerRow(
            answer=a,
            stale=check(a.sources) if check else [],
            expired=a.expires_at is not None and a.expires_at <= now,
        )
        for a in answers
    ]
    if show == "stale":
        rows = [r for r in rows if r.stale]
    return rows, check is not None


def get_answer(engine: Engine, answer_id: int) -> ApprovedAnswer | None:
    with Session(engine) as db:
        return db.get(ApprovedAnswer, answer_id)


def _change(
    engine: Engine,
    answer_id: int,
    actor: str,
    action: str,
    apply: Callable[[ApprovedAnswer], Any],
    also: Callable[[Session], None] | None = None,
    detail: dict[str, Any] | None = None,
) -> ApprovedAnswer:
    """Apply one change and its audit row in one transaction (`also` joins it)."""
    with Session(engine) as db:
        answer = db.get(ApprovedAnswer, answer_id)
        if answer is None:
            raise QueueActionRefused("There is no such approved answer")
        before, after = apply(answer)
        answer.updated_at = utcnow()
        db.add(answer)
        if also is not None:
            also(db)
        audit.record(
            db,
            actor=actor,
            action=action,
            target_type="approved_answer",
            target_id=answer_id,
            before=before,
            after=after,
            detail=detail,
        )
        db.commit()
        db.refresh(answer)
        return answer


def edit_answer(
    engine: Engine,
    answer_id: int,
    text: str,
    *,
    actor: str,
    sources: list[dict[str, Any]] | None = None,
) -> ApprovedAnswer:
    """Change the wording and, when given, the sources (the question and its embedding stay
    as approved). Sources kept keep the page versions they were approved against."""
    from review_ui.queue import answer_sources

    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise QueueActionRefused("Enter the answer text")
    if len(text) > MAX_ANSWER:
        raise QueueActionRefused(f"The answer must be {MAX_ANSWER:,} characters or fewer")
    new_sources = None if sources is None else answer_sources(sources)
    detail: dict[str, Any] = {}

    def apply(a: ApprovedAnswer) -> tuple[str, str]:
        before, a.answer = a.answer, text
        if new_sources is not None and new_sources != a.sources:
            detail["sources_before"] = [_key(s) for s in a.sources or []]
            detail["sources_after"] = [_key(s) for s in new_sources]
            a.sources = new_sources
        return before, text

    def reword_reference(db: Session) -> None:
        # The resident who asked first reads the corrected wording under their reference too.
        db.execute(
            sql_update(ReviewItem)
            .where(
                col(ReviewItem.approved_answer_id) == answer_id,
                col(ReviewItem.status).in_(("approved", "edited")),
            )
            .values(final_answer=text, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )

    return _change(engine, answer_id, actor, "answer_edit", apply, reword_reference, detail)


def _key(source: Any) -> str:
    if not isinstance(source, dict):
        return "?"
    return "no page" if source.get("no_page") else f"{source.get('page')}::{source.get('section')}"


def retire_answer(engine: Engine, answer_id: int, *, actor: str) -> ApprovedAnswer:
    """Stop reusing the answer (it stays in the list under "retired")."""

    def apply(a: ApprovedAnswer) -> tuple[str, str]:
        if a.retired_at is None:
            a.retired_at = utcnow()
        return "active", "retired"

    return _change(engine, answer_id, actor, "answer_retire", apply)


def set_expiry(
    engine: Engine, answer_id: int, expires_at: datetime | None, *, actor: str
) -> ApprovedAnswer:
    """After this date the resident pipeline stops reusing the answer; None clears it."""

    def apply(a: ApprovedAnswer) -> tuple[str | None, str | None]:
        before = a.expires_at.date().isoformat() if a.expires_at else None
        a.expires_at = expires_at
        return before, expires_at.date().isoformat() if expires_at else None

    return _change(engine, answer_id, actor, "answer_expiry", apply)
