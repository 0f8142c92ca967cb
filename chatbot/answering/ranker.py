"""The unit ranker: how likely each candidate unit is to hold the fact the resident asked for.

A logistic model over `features.FEATURES`, fitted on the tuning split only (`make fit-answers`,
cross-validated with folds grouped by page); labels were whether a unit holds a key fact.
"""

from __future__ import annotations

from chatbot.answering.candidates import Candidate
from chatbot.answering.features import FEATURES, question_terms, unit_features
from chatbot.answering.model import LogisticModel, load_fitted
from knowledge.types import RetrievedChunk

__all__ = ["UnitRanker"]


class UnitRanker:
    """Scores candidates in place and returns them best first."""

    def __init__(self, model: LogisticModel | None = None) -> None:
        self.model = model or LogisticModel.from_dict(load_fitted().ranker, FEATURES)

    def rank(
        self,
        question: str,
        asked: tuple[str, ...],
        candidates: list[Candidate],
        retrieved: list[RetrievedChunk],
    ) -> list[Candidate]:
        if not candidates:
            return []
        terms = question_terms(question, candidates)
        rows = unit_features(question, asked, candidates, retrieved, terms)
        for c, p in zip(candidates, self.model.probability(rows), strict=True):
            c.score = float(p)
        # ties keep retrieval then reading order
        return sorted(candidates, key=lambda c: (-c.score, c.section, c.unit.order))
