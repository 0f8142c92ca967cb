"""Townhall's knowledge layer: council pages in, the sections that answer a question out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from knowledge.types import Chunk, IngestSummary, Page, RetrievedChunk

if TYPE_CHECKING:
    from knowledge.base import KnowledgeBase
    from knowledge.retrieval import HybridRetriever

__all__ = ["Chunk", "HybridRetriever", "IngestSummary", "KnowledgeBase", "Page", "RetrievedChunk"]


def __getattr__(name: str) -> Any:
    """Heavy parts (ChromaDB, bm25s, LangChain) load only when asked for."""
    if name == "KnowledgeBase":
        from knowledge.base import KnowledgeBase

        return KnowledgeBase
    if name == "HybridRetriever":
        from knowledge.retrieval import HybridRetriever

        return HybridRetriever
    raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
