"""Staff-approved answers as question cases, so every decision in the queue grows the test set.

Each live approved answer (not retired, not expired) becomes an `answer` case: its (redacted)
question, the approved text as the reference answer, its sources' file names and URLs as the
expected sources (any one counts), and its service area as the tag.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chatbot.records import ApprovedAnswer


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def expected_sources(sources: Iterable[dict[str, Any]]) -> list[str]:
    """File names (of each source page) then URLs, without repeats, in the answer's order."""
    out: list[str] = []
    for s in sources:
        for value in (str(s.get("page") or "").rsplit("/", 1)[-1], s.get("url")):
            if value and value not in out:
                out.append(value)
    return out


def case_from_answer(answer: ApprovedAnswer) -> dict[str, Any]:
    case: dict[str, Any] = {
        "id": f"approved-{answer.id}",
        "question": answer.question,
        "expect": "answer",
        "expected_sources": expected_sources(answer.sources or []),
        "reference_answer": answer.answer,
        "tags": [answer.service_area] if answer.service_area else [],
        "approved_by": answer.approved_by,
        "approved_at": _aware(answer.approved_at).isoformat(timespec="seconds"),
    }
    if not case["expected_sources"]:
        del case["expected_sources"]
    return case


def approved_cases(engine: Engine, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every live approved answer as a question case, oldest first."""
    now = now or datetime.now(UTC)
    with Session(engine) as db:
        rows = db.exec(
            select(ApprovedAnswer)
            .where(col(ApprovedAnswer.retired_at).is_(None))
            .order_by(col(ApprovedAnswer.id))
        ).all()
    return [case_from_answer(a) for a in rows if a.expires_at is None or _aware(a.expires_at) > now]


def to_jsonl(cases: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)
