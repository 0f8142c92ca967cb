"""The shipped fitted numbers: readable, matching the features the code computes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from chatbot.answering.confidence import CONFIDENCE_FEATURES
from chatbot.answering.features import FEATURES
from chatbot.answering.model import FITTED_FILE, LogisticModel, load_fitted


def test_the_shipped_file_matches_the_code() -> None:
    fitted = load_fitted()
    assert 0.0 < fitted.threshold < 1.0
    LogisticModel.from_dict(fitted.ranker, FEATURES)
    LogisticModel.from_dict(fitted.confidence, CONFIDENCE_FEATURES)
    data = json.loads(FITTED_FILE.read_text(encoding="utf-8"))
    assert data["fitted_on"] and "split:tune" in data["note"]


def test_a_file_fitted_on_other_features_is_refused() -> None:
    data = {"features": ["a"], "mean": [0], "scale": [1], "coef": [1], "intercept": 0}
    with pytest.raises(ValueError, match="make fit-answers"):
        LogisticModel.from_dict(data, FEATURES)


def test_round_trip_keeps_the_probabilities(tmp_path: Path) -> None:
    model = LogisticModel(
        ("a", "b"), np.array([1.0, 0]), np.array([2.0, 1]), np.array([1.0, -1]), 0.5
    )
    again = LogisticModel.from_dict(json.loads(json.dumps(model.to_dict())), ("a", "b"))
    rows = np.array([[0.0, 1.0], [3.0, -2.0]])
    assert np.allclose(model.probability(rows), again.probability(rows))
