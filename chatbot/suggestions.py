"""Suggested questions on the empty chat page: the council's top tasks from its profile
(`top_tasks:`), or else the questions residents asked most in the last 30 days that were
answered, each asked in more than a handful of conversations (so no one resident's words are
shown), redacted text only and never one with a placeholder left in it.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from chatbot.records import Message, utcnow

if TYPE_CHECKING:
    from chatbot.council import CouncilProfile

__all__ = ["SuggestedQuestions"]

PLACEHOLDER = re.compile(r"<[A-Z_]+>")


class SuggestedQuestions:
    def __init__(
        self,
        engine: Engine,
        council: CouncilProfile,
        *,
        min_askers: int = 6,
        days: int = 30,
        limit: int = 5,
        cache_seconds: float = 600.0,
    ) -> None:
        self.engine = engine
        self.council = council
        self.min_askers = min_askers
        self.days = days
        self.limit = limit
        self.cache_seconds = cache_seconds
        self._cache: tuple[float, list[str]] | None = None

    def for_page(self, language: str = "en") -> list[str]:
        tasks = self.council.extra.get("top_tasks")
        if isinstance(tasks, list) and tasks:
            return [str(t) for t in tasks[: self.limit]]
        now = time.monotonic()
        if self._cache is None or now - self._cache[0] > self.cache_seconds:
            self._cache = (now, self.most_asked())
        return self._cache[1]

    def most_asked(self) -> list[str]:
        """Answered questions asked in more than `min_askers - 1` conversations lately."""
        from datetime import timedelta

        since = utcnow() - timedelta(days=self.days)
        reply = aliased(Message)
        with Session(self.engine) as db:
            rows = db.exec(
                select(Message.text, Message.conversation_id)
                .join(reply, col(reply.id) == col(Message.id) + 1)
                .where(Message.role == "resident")
                .where(reply.status == "answered")
                .where(col(Message.created_at) >= since)
                .limit(20_000)
            ).all()
        askers: dict[str, set[str]] = {}
        shown: dict[str, str] = {}
        for text, conversation in rows:
            if PLACEHOLDER.search(text) or len(text) > 120:
                continue
            key = " ".join(re.findall(r"\w+", text.lower()))
            if not key:
                continue
            askers.setdefault(key, set()).add(conversation)
            shown.setdefault(key, text.strip())
        popular = [k for k, who in askers.items() if len(who) >= self.min_askers]
        popular.sort(key=lambda k: (-len(askers[k]), k))
        return [shown[k] for k in popular[: self.limit]]
