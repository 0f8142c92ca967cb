"""Plain data the knowledge layer hands to the layers above it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Page:
    """One source page. `page_id` is its path relative to the ingested root (posix form)."""

    page_id: str
    root: str  # the ingested PATH, resolved, as a string
    title: str
    url: str | None  # source_url / url from front-matter; None when the page has none
    site_path: str | None
    service_area: str | None
    updated: str | None
    body: str  # clean text (Markdown-ish) after front-matter / HTML conversion
    content_hash: str  # sha256 of the raw file bytes
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return self.page_id.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    page_id: str
    title: str
    heading_path: tuple[str, ...]  # e.g. ("Blue Badges", "Who can apply")
    section: str  # the innermost heading text ("" for text before the first heading)
    anchor: str | None  # slug for the section, e.g. "who-can-apply"
    url: str | None  # page URL (no anchor)
    section_url: str | None  # page URL + "#anchor" when the page has a URL
    text: str  # the chunk text as shown to residents / composers (no title prefix)
    service_area: str | None
    content_hash: str  # of the page


@dataclass
class RetrievedChunk:
    chunk: Chunk
    score: float  # fused score, higher is better
    bm25_score: float | None = None  # raw BM25 score when BM25 found it
    dense_score: float | None = None  # cosine similarity in [-1, 1] when dense found it
    bm25_rank: int | None = None  # 1-based
    dense_rank: int | None = None  # 1-based
    # one embedding per unit (`knowledge.units.split_units(chunk.text)`), stored at ingestion;
    # None when the knowledge base has none for this chunk
    unit_vectors: np.ndarray | None = field(default=None, repr=False, compare=False)


@dataclass
class IngestSummary:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks: int = 0  # total chunks in the knowledge base after the run
    chunks_embedded: int = 0  # chunks embedded in this run
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
