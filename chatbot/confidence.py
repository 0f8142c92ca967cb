"""Confidence in [0, 1] that an extractive answer is right, from measured signals.

Signals (all from this request): the dense (cosine) score of the best section, whether the
lexical (BM25) and dense rankings agree on the best page, the fused-score margin between the
best and the next section, and the share of the question's content words found in the sections
quoted. They are combined by a logistic function whose weights were fitted on the demo set and
the FixMyStreet dev set (`python -m evals.calibrate_confidence`, docs/calibration.md).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from knowledge.types import RetrievedChunk

# Logistic weights: intercept, dense score, rank agreement, margin, coverage.
# Fitted (L2-regularised logistic regression) on the dev data; see docs/calibration.md.
WEIGHTS = {
    "intercept": -7.0,
    "dense": 9.0,
    "agreement": 1.2,
    "margin": 1.0,
    "coverage": 3.0,
}


@dataclass(frozen=True)
class Signals:
    dense: float  # cosine similarity of the best section to the question (0 if none)
    agreement: float  # 1 both rankings put the best page in their top 3, 0.5 one does, else 0
    margin: float  # (best - second) / best fused score, in [0, 1]
    coverage: float  # share of the question's content words in the quoted sections

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def signals(retrieved: list[RetrievedChunk], coverage: float) -> Signals:
    """The measured signals for one retrieval and composition."""
    if not retrieved:
        return Signals(0.0, 0.0, 0.0, 0.0)
    top = retrieved[0]
    dense_scores = [rc.dense_score for rc in retrieved[:3] if rc.dense_score is not None]
    dense = top.dense_score if top.dense_score is not None else max(dense_scores, default=0.0)
    page = top.chunk.page_id
    bm25_top = {rc.chunk.page_id for rc in retrieved if rc.bm25_rank and rc.bm25_rank <= 3}
    dense_top = {rc.chunk.page_id for rc in retrieved if rc.dense_rank and rc.dense_rank <= 3}
    agreement = ((page in bm25_top) + (page in dense_top)) / 2
    if len(retrieved) > 1 and top.score > 0:
        margin = max(0.0, min(1.0, (top.score - retrieved[1].score) / top.score))
    else:
        margin = 1.0
    return Signals(float(dense), float(agreement), float(margin), float(coverage))


def confidence(s: Signals, weights: dict[str, float] | None = None) -> float:
    """The logistic combination of the signals, in [0, 1]."""
    w = weights or WEIGHTS
    z = (
        w["intercept"]
        + w["dense"] * s.dense
        + w["agreement"] * s.agreement
        + w["margin"] * s.margin
        + w["coverage"] * s.coverage
    )
    return 1.0 / (1.0 + math.exp(-z))
