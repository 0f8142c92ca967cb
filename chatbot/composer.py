"""The offline answer, word for word from the retrieved sections, with its sources.

The work is done by the answering steps (`chatbot/answering/`): the kind of fact asked, the
candidate units, the learned unit ranker and the assembly rules. The pipeline runs those steps
in order and hands the ranked units in; called on its own (by the optional chat model's
fallback, or a tool), the composer runs them itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from chatbot.answering.assembly import Composition, assemble
from chatbot.answering.candidates import Candidate, candidate_units
from chatbot.answering.fact_types import asked_fact_types
from chatbot.answering.ranker import UnitRanker
from knowledge.types import RetrievedChunk
from knowledge.units import Unit, plain
from knowledge.units import split_units as _split_units

__all__ = [
    "Composition",
    "ExtractiveComposer",
    "plain",
    "review_sources",
    "sources_of",
    "split_units",
    "truncate_words",
]


class ExtractiveComposer:
    """Builds answers from retrieved sections only. Build once (loads the fitted ranker)."""

    name = "extractive"

    def __init__(
        self,
        embedder: Any = None,
        *,
        ranker: UnitRanker | None = None,
        assembly: dict[str, float] | None = None,
    ) -> None:
        # the grounding guard embeds the answer's sentences with it; page text is never
        # embedded here (the unit vectors were stored at ingestion)
        self.embedder = embedder
        self.ranker = ranker or UnitRanker()
        self.assembly = assembly

    def compose(
        self,
        question: str,
        retrieved: list[RetrievedChunk],
        max_words: int,
        question_embedding: np.ndarray | None = None,
        *,
        ranked: list[Candidate] | None = None,
    ) -> Composition:
        """The answer to `question` from `retrieved` (best first), about `max_words` words."""
        if ranked is None:
            asked = asked_fact_types(question)
            candidates = candidate_units(retrieved, question_embedding)
            ranked = self.ranker.rank(question, asked, candidates, retrieved)
        return assemble(ranked, retrieved, question, max_words, self.assembly)


def split_units(text: str, chunk_index: int = 0) -> list[Unit]:
    """The units of a chunk's text (kept for callers of the former composer; `chunk_index` is
    not needed any more)."""
    return _split_units(text)


def truncate_words(text: str, max_words: int) -> str:
    """At most `max_words` words, cut at a word boundary, keeping line breaks (for text a chat
    model wrote; quoted sentences are never cut)."""
    if len(text.split()) <= max_words:
        return text
    out: list[str] = []
    left = max_words
    for line in text.split("\n"):
        words = line.split()
        if left <= 0:
            break
        if len(words) > left:
            out.append(" ".join(words[:left]) + " …")
            left = 0
        else:
            out.append(line)
            left -= len(words)
    return "\n".join(out)


def sources_of(chunks: list[RetrievedChunk]) -> list[dict[str, Any]]:
    """Source dicts for the resident, one per section (the page's URL, or None)."""
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, Any]] = []
    for rc in chunks:
        c = rc.chunk
        key = (c.page_id, c.section)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {"title": c.title, "url": c.url, "section": c.section or c.title, "page": c.page_id}
        )
    return out


def review_sources(chunks: list[RetrievedChunk]) -> list[dict[str, Any]]:
    """Source dicts for staff: add the page's content hash and the retrieved text."""
    out = []
    for rc in chunks:
        c = rc.chunk
        out.append(
            {
                "title": c.title,
                "url": c.url,
                "section": c.section or c.title,
                "page": c.page_id,
                "content_hash": c.content_hash,
                "text": c.text,
            }
        )
    return out
