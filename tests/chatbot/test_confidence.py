"""Confidence: in [0, 1], and rising with each signal (all else equal)."""

from __future__ import annotations

import itertools

from chatbot.confidence import Signals, confidence, signals
from knowledge.types import Chunk, RetrievedChunk


def hit(
    page: str, score: float, dense: float | None, bm25_rank: int | None, dense_rank: int | None
):
    chunk = Chunk(f"{page}#1", page, "T", ("T",), "S", None, None, None, "text", None, "h")
    return RetrievedChunk(chunk, score, 1.0, dense, bm25_rank, dense_rank)


def test_confidence_is_a_probability_and_monotonic_in_every_signal() -> None:
    grid = [0.0, 0.3, 0.6, 1.0]
    for dense, agreement, margin, coverage in itertools.product(grid, [0, 0.5, 1], grid, grid):
        base = Signals(dense, agreement, margin, coverage)
        value = confidence(base)
        assert 0.0 <= value <= 1.0
        for field in ("dense", "agreement", "margin", "coverage"):
            better = Signals(**{**base.as_dict(), field: getattr(base, field) + 0.1})
            assert confidence(better) >= value


def test_signals_from_a_retrieval() -> None:
    agreed = [hit("a.md", 0.033, 0.8, 1, 1), hit("b.md", 0.016, 0.5, 2, 5)]
    s = signals(agreed, coverage=0.75)
    assert s.dense == 0.8 and s.agreement == 1.0 and s.coverage == 0.75
    assert 0.5 < s.margin < 0.52
    disagreed = [hit("a.md", 0.016, 0.4, None, 1), hit("b.md", 0.016, None, 1, None)]
    weak = signals(disagreed, coverage=0.25)
    assert weak.agreement == 0.5 and weak.margin == 0.0
    assert confidence(weak) < confidence(s)
    assert signals([], 1.0) == Signals(0.0, 0.0, 0.0, 0.0)
