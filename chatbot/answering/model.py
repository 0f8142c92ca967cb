"""The fitted numbers the answering steps read: a small JSON file written by `make fit-answers`.

Both learned parts are logistic models over named features (standardised with the mean and
scale seen in fitting), so the file is readable and the run time needs only numpy.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FITTED_FILE", "FittedAnswering", "LogisticModel", "load_fitted"]

FITTED_FILE = Path(__file__).resolve().parent / "fitted.json"


@dataclass(frozen=True)
class LogisticModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def decision(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, len(self.features))
        return ((rows - self.mean) / self.scale) @ self.coef + self.intercept

    def probability(self, rows: np.ndarray) -> np.ndarray:
        z = np.clip(self.decision(rows), -30, 30)
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(float(self.intercept), 6),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], expected: tuple[str, ...]) -> LogisticModel:
        features = tuple(data["features"])
        if features != tuple(expected):
            raise ValueError(
                "fitted.json was fitted on other features than the code computes; "
                "run `make fit-answers`"
            )
        scale = np.asarray(data["scale"], dtype=np.float64)
        return cls(
            features=features,
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.where(scale > 0, scale, 1.0),
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),
        )


@dataclass(frozen=True)
class FittedAnswering:
    ranker: dict[str, Any]
    confidence: dict[str, Any]
    threshold: float
    assembly: dict[str, float]
    raw: dict[str, Any]


@lru_cache(maxsize=4)
def load_fitted(path: Path = FITTED_FILE) -> FittedAnswering:
    """The shipped fitted numbers (read once per process)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    threshold = float(data["threshold"])
    if not 0.0 <= threshold <= 1.0 or math.isnan(threshold):
        raise ValueError(f"{path}: threshold must be in [0, 1]")
    return FittedAnswering(
        ranker=data["unit_ranker"],
        confidence=data["confidence"],
        threshold=threshold,
        assembly={k: float(v) for k, v in (data.get("assembly") or {}).items()},
        raw=data,
    )
