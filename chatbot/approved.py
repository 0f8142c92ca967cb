"""Staff-approved answers: made when staff approve a review item, and reused for questions close
enough to the approved one while the pages they came from are unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import numpy as np

from chatbot.records import ApprovedAnswer, utcnow
from chatbot.store import ApprovedCandidate


class QueryEmbedder(Protocol):
    def embed_query(self, text: str) -> Any: ...


def new_approved_answer(
    *,
    question: str,
    answer: str,
    sources: list[dict[str, Any]],
    approved_by: str,
    embedder: QueryEmbedder,
    service_area: str | None = None,
    expires_at: datetime | None = None,
    review_item_id: int | None = None,
) -> ApprovedAnswer:
    """An ApprovedAnswer with its question embedding computed; the caller adds and commits it.
    `question` and `answer` must already be redacted (they come from a review item)."""
    vector = np.asarray(embedder.embed_query(question), dtype=np.float32).ravel()
    now = utcnow()
    return ApprovedAnswer(
        question=question,
        question_embedding=[float(x) for x in vector],
        answer=answer,
        sources=[dict(source) for source in sources],
        service_area=service_area,
        approved_by=approved_by,
        approved_at=now,
        updated_at=now,
        expires_at=expires_at,
        review_item_id=review_item_id,
    )


def knowledge_fingerprint(current_hashes: dict[str, str]) -> str:
    """Changes whenever any page is added, changed or removed."""
    digest = hashlib.sha256()
    for page, content in sorted(current_hashes.items()):
        digest.update(f"{page}\0{content}\n".encode())
    return digest.hexdigest()


def no_page_source(current_hashes: dict[str, str]) -> dict[str, Any]:
    """The source of an answer staff approved from no page: since no page can mark it stale,
    it stands for every page as they were at approval, and any change makes it stale."""
    return {
        "no_page": True,
        "title": "No page (checked against every page)",
        "url": None,
        "section": None,
        "page": None,
        "content_hash": knowledge_fingerprint(current_hashes),
    }


def is_no_page(source: Any) -> bool:
    return isinstance(source, dict) and bool(source.get("no_page"))


def stale_sources(
    sources: list[dict[str, Any]], current_hashes: dict[str, str]
) -> list[dict[str, Any]]:
    """The sources whose page changed (hash differs) or vanished from the knowledge base; a
    "no page" answer's source is stale as soon as any page changed since approval."""
    stale = []
    for source in sources:
        if is_no_page(source):
            if source.get("content_hash") != knowledge_fingerprint(current_hashes):
                stale.append(source)
            continue
        page = source.get("page")
        if page is None:
            continue
        current = current_hashes.get(page)
        if current is None or current != source.get("content_hash"):
            stale.append(source)
    return stale


@dataclass
class ApprovedMatch:
    candidate: ApprovedCandidate
    similarity: float


def best_approved_match(
    question_embedding: np.ndarray, candidates: list[ApprovedCandidate], threshold: float
) -> ApprovedMatch | None:
    """The approved answer whose question is most similar (cosine) to this one, if at least
    `threshold`; None otherwise."""
    usable = [c for c in candidates if c.embedding.size == question_embedding.size]
    if not usable:
        return None
    matrix = np.stack([c.embedding for c in usable])
    query = question_embedding.astype(np.float32).ravel()
    norm = float(np.linalg.norm(query))
    if norm == 0.0:
        return None
    scores = matrix @ (query / norm)
    best = int(np.argmax(scores))
    if float(scores[best]) < threshold:
        return None
    return ApprovedMatch(usable[best], float(scores[best]))
