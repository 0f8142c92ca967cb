"""Approved answers: made with the question's embedding, matched by similarity, stale when a
source page changed or vanished."""

from __future__ import annotations

import numpy as np

from chatbot.approved import best_approved_match, new_approved_answer, stale_sources
from chatbot.store import ApprovedCandidate


def candidate(n: int, vector: list[float]) -> ApprovedCandidate:
    v = np.asarray(vector, dtype=np.float32)
    return ApprovedCandidate(n, f"q{n}", f"a{n}", [], None, v / np.linalg.norm(v))


def test_best_match_needs_the_threshold() -> None:
    candidates = [candidate(1, [1, 0, 0]), candidate(2, [0.6, 0.8, 0])]
    match = best_approved_match(np.array([0.62, 0.78, 0.0]), candidates, threshold=0.86)
    assert match is not None and match.candidate.id == 2 and match.similarity > 0.99
    assert best_approved_match(np.array([0.0, 0.0, 1.0]), candidates, threshold=0.86) is None
    assert best_approved_match(np.array([1.0, 0, 0]), [], threshold=0.5) is None


def test_stale_sources_are_changed_or_vanished_pages() -> None:
    sources = [
        {"page": "a.md", "content_hash": "1"},
        {"page": "b.md", "content_hash": "2"},
        {"page": "c.md", "content_hash": "3"},
    ]
    current = {"a.md": "1", "b.md": "changed"}
    assert [s["page"] for s in stale_sources(sources, current)] == ["b.md", "c.md"]
    assert stale_sources(sources[:1], current) == []


def test_new_approved_answer_embeds_the_question(embedder) -> None:  # type: ignore[no-untyped-def]
    answer = new_approved_answer(
        question="How much is a garden waste bin?",
        answer="£52 a year.",
        sources=[
            {
                "title": "Garden waste",
                "url": None,
                "section": "Cost",
                "page": "g.md",
                "content_hash": "h",
            }
        ],
        approved_by="reviewer@council.example",
        embedder=embedder,
        review_item_id=7,
    )
    vector = np.asarray(answer.question_embedding)
    assert vector.shape == (384,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-3
    assert answer.sources[0]["content_hash"] == "h" and answer.review_item_id == 7
    similar = np.asarray(embedder.embed_query("what does a brown garden waste bin cost"))
    assert float(vector @ similar) > 0.6
