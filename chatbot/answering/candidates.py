"""Candidate units: every sentence, list item and table row of the retrieved sections.

Each candidate carries what the ranker needs: its section and page (and their ranks), the kinds
of fact it holds, and its similarity to the question from the unit vectors the knowledge base
stored at ingestion (no page text is embedded here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from chatbot.answering.fact_types import unit_fact_types
from chatbot.wording import content_terms
from knowledge.types import RetrievedChunk
from knowledge.units import Unit, split_units

__all__ = ["SECTIONS_USED", "Candidate", "candidate_units"]

SECTIONS_USED = 5  # the retrieved sections whose units may be quoted


@dataclass
class Candidate:
    unit: Unit
    section: int  # index of its section in the retrieved list (0 = best)
    page: str
    page_rank: int  # 0 = the page of the best section, 1 = the next page seen, ...
    similarity: float | None  # cosine to the question; None when no unit vector is stored
    facts: frozenset[str]
    units_in_section: int
    terms: frozenset[str] = frozenset()  # the unit's content words (stems)
    score: float = 0.0  # the ranker's probability that this unit holds the asked-for fact
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, int]:
        return (self.section, self.unit.order)

    @property
    def text(self) -> str:
        return self.unit.text


def candidate_units(
    retrieved: list[RetrievedChunk],
    question_embedding: np.ndarray | None = None,
    sections: int = SECTIONS_USED,
) -> list[Candidate]:
    """The units of the best `sections` sections, in retrieval then reading order."""
    out: list[Candidate] = []
    pages: dict[str, int] = {}
    query = None
    if question_embedding is not None:
        query = np.asarray(question_embedding, dtype=np.float32).ravel()
    for index, rc in enumerate(retrieved[:sections]):
        page = rc.chunk.page_id
        pages.setdefault(page, len(pages))
        units, facts, terms = _read(rc.chunk.chunk_id, rc.chunk.text)
        sims: np.ndarray | None = None
        vectors = rc.unit_vectors
        if query is not None and vectors is not None and len(vectors) == len(units):
            sims = np.asarray(vectors, dtype=np.float32) @ query
        for n, unit in enumerate(units):
            out.append(
                Candidate(
                    unit=unit,
                    section=index,
                    page=page,
                    page_rank=pages[page],
                    similarity=None if sims is None else float(sims[n]),
                    facts=facts[n],
                    units_in_section=len(units),
                    terms=terms[n],
                )
            )
    return out


@lru_cache(maxsize=8192)
def _read(
    chunk_id: str, text: str
) -> tuple[list[Unit], list[frozenset[str]], list[frozenset[str]]]:
    """A chunk's units with their fact kinds and words, worked out once per chunk version
    (chunk ids change with the page's content)."""
    units = split_units(text)
    facts = [unit_fact_types(u.text) for u in units]
    terms = [frozenset(content_terms(u.text)) for u in units]
    return units, facts, terms
