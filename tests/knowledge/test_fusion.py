"""Fusion on hand-made rankings: both methods, unknown ids ignored, one chunk per section."""

from __future__ import annotations

import pytest

from knowledge.retrieval import FusionSettings, fuse
from knowledge.types import Chunk


def _chunk(chunk_id: str, section: str) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        page_id=chunk_id.split("-")[0] + ".md",
        title="T",
        heading_path=("T", section),
        section=section,
        anchor=section.lower(),
        url=None,
        section_url=None,
        text=f"text of {chunk_id}",
        service_area=None,
        content_hash="h",
    )


CHUNKS = {
    "a-h-0001": _chunk("a-h-0001", "One"),
    "a-h-0002": _chunk("a-h-0002", "One"),  # same section as a-h-0001
    "a-h-0003": _chunk("a-h-0003", "Two"),
    "b-h-0001": _chunk("b-h-0001", "One"),  # same heading, other page
}
BM25 = [("a-h-0003", 9.0), ("gone-h-0001", 8.0), ("a-h-0001", 4.0), ("b-h-0001", 1.0)]
DENSE = [("a-h-0002", 0.8), ("a-h-0001", 0.7), ("b-h-0001", 0.5), ("stale-h-0009", 0.4)]


@pytest.mark.parametrize("method", ["convex", "rrf"])
def test_fusion_ranks_dedupes_and_ignores_unknown(method: str) -> None:
    hits = fuse(BM25, DENSE, CHUNKS.get, k=10, settings=FusionSettings(method))
    ids = [h.chunk.chunk_id for h in hits]
    assert "gone-h-0001" not in ids and "stale-h-0009" not in ids
    assert len(ids) == 3  # a/One once, a/Two, b/One
    assert ids[0] == "a-h-0001"  # found by both
    best = hits[0]
    assert (best.bm25_rank, best.dense_rank) == (2, 2)  # ranks count known chunks only
    assert best.bm25_score == 4.0 and best.dense_score == 0.7
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_single_modes_use_raw_scores() -> None:
    bm25 = fuse(BM25, [], CHUNKS.get, k=2, mode="bm25")
    assert [h.chunk.chunk_id for h in bm25] == ["a-h-0003", "a-h-0001"]
    assert bm25[0].score == 9.0 and bm25[0].dense_score is None
    dense = fuse([], DENSE, CHUNKS.get, k=5, mode="dense")
    assert [h.score for h in dense] == [0.8, 0.5]  # a-h-0001 shares a-h-0002's section
