"""The own-case model: is this a message only someone with the resident's records can answer?

"Why was my claim turned down", "has the form I posted arrived", "how much am I getting at the
moment" are about one resident's record; "how do I appeal a refused claim" is not. The routing
patterns catch the unmistakable phrasings; this model generalises from examples: a binary
logistic model over the message's all-MiniLM-L6-v2 embedding (which the pipeline computes
anyway) and the same hashed word, word-pair and in-word character n-gram counts the urgent
detector uses (`chatbot.safety.detector.lexical_features`). Fitted by `make fit-own-case`
(`own_case_fit.py`) on the team's own examples (`own_case_examples.yaml`) with the dev question
sets' tuning-split questions that expect an answer as more negatives; its threshold keeps those
questions' out-of-fold false routing at or under a small budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from chatbot.safety.detector import lexical_dot, lexical_features

__all__ = ["EXAMPLES_FILE", "MODEL_FILE", "OwnCaseModel"]

MODEL_FILE = Path(__file__).resolve().parent / "own_case_model.npz"
EXAMPLES_FILE = Path(__file__).resolve().parent / "own_case_examples.yaml"


@dataclass(frozen=True)
class OwnCaseModel:
    """`dense` (embedding dims), `sparse` (lexical hash buckets), `bias`; own case when the
    probability is at least `threshold`."""

    dense: np.ndarray
    sparse: np.ndarray
    bias: float
    threshold: float
    examples_sha256: str = ""

    def probability(self, text: str, embedding: np.ndarray | None) -> float:
        z = self.bias
        if embedding is not None:
            z += float(np.asarray(embedding, dtype=np.float64).ravel() @ self.dense)
        lexical = lexical_features(text)
        if lexical:
            z += float(lexical_dot(lexical, self.sparse))
        return float(1.0 / (1.0 + np.exp(-z)))

    def is_own_case(self, text: str, embedding: np.ndarray | None) -> bool:
        return self.probability(text, embedding) >= self.threshold

    def save(self, path: Path = MODEL_FILE) -> None:
        np.savez_compressed(
            path,
            dense=self.dense.astype(np.float32),
            sparse=self.sparse.astype(np.float32),
            bias=np.float64(self.bias),
            threshold=np.float64(self.threshold),
            examples_sha256=np.str_(self.examples_sha256),
        )

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> OwnCaseModel:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                dense=data["dense"].astype(np.float64),
                sparse=data["sparse"].astype(np.float64),
                bias=float(data["bias"]),
                threshold=float(data["threshold"]),
                examples_sha256=str(data["examples_sha256"]),
            )

    @classmethod
    def shipped(cls) -> OwnCaseModel:
        return _shipped()


@lru_cache(maxsize=1)
def _shipped() -> OwnCaseModel:
    return OwnCaseModel.load(MODEL_FILE)
