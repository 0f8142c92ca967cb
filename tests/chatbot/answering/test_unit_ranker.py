"""The shipped unit ranker (fitted.json) puts the unit holding the asked-for fact first."""

from __future__ import annotations

import numpy as np

from chatbot.answering.candidates import candidate_units
from chatbot.answering.fact_types import asked_fact_types
from chatbot.answering.features import FEATURES
from chatbot.answering.model import LogisticModel
from chatbot.answering.ranker import UnitRanker
from tests.chatbot.answering.helpers import PERMITS, section


def rank(question: str, ranker: UnitRanker | None = None):  # type: ignore[no-untyped-def]
    found = [section(PERMITS)]
    ranker = ranker or UnitRanker()
    return ranker.rank(question, asked_fact_types(question), candidate_units(found), found)


def test_the_fitted_ranker_finds_the_asked_fact() -> None:
    assert rank("how much is a third permit")[0].text == "third permit: £150 a year"


def test_scores_are_probabilities_best_first() -> None:
    ranked = rank("how much is a third permit")
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


def test_a_given_model_is_used() -> None:
    n = len(FEATURES)
    coef = np.zeros(n)
    coef[FEATURES.index("position")] = 5.0  # prefers the end of a section
    model = LogisticModel(FEATURES, np.zeros(n), np.ones(n), coef, 0.0)
    assert rank("anything", UnitRanker(model))[0].text.startswith("We post the permit")
