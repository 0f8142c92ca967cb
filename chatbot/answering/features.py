"""The unit ranker's features: one row per candidate unit, named so fitted weights stay readable.

Lexical overlap is weighted by how rare each question word is among the candidates (IDF), so a
resident who mentions savings is matched by "savings", not by "benefit", which every unit has.
"""

from __future__ import annotations

import math

import numpy as np

from chatbot.answering.candidates import Candidate
from chatbot.answering.fact_types import FACT_TYPES, OTHER
from chatbot.wording import content_terms
from knowledge.types import RetrievedChunk

__all__ = ["FEATURES", "QuestionTerms", "question_terms", "unit_features"]

FEATURES = (
    "lexical",  # IDF-weighted share of the question's words in the unit
    "lexical_rel",  # ... relative to the best candidate
    "heading",  # ... in the section's headings and page title, not in the unit
    "title",  # ... in the page title (what the whole page is about)
    "section_heading",  # ... in the unit's own section heading
    "section_lexical",  # ... anywhere in the unit's section
    "dense",  # cosine of the unit to the question
    "dense_rel",  # ... minus the best candidate's
    "section_dense",  # the section's own dense score
    "section_fused_rel",  # the section's fused retrieval score relative to the best section
    "section_rank",  # 1 / (1 + rank of the section)
    "top_page",  # the unit is on the page of the best section
    "page_rank",  # 1 / (1 + rank of its page)
    "fact_primary",  # holds the kind of fact the question asks for first
    "fact_any",  # holds any kind of fact the question asks for
    *(f"fact_{kind}" for kind in FACT_TYPES),  # ... per kind (asked and held)
    "asked_other",  # the question asks for no recognisable kind of fact
    "first_in_section",
    "position",  # 0 at the start of its section, 1 at the end
    "is_item",
    "is_row",
    "is_header",
    "introduces_list",
    "log_words",
    "has_number",
)


class QuestionTerms:
    """The question's content words, each weighted by its rarity among the candidates."""

    def __init__(self, terms: set[str], unit_terms: list[set[str]]) -> None:
        n = len(unit_terms)
        self.terms = terms
        self.unit_terms = unit_terms
        self.weights = {
            t: math.log(1 + (n + 1) / (1 + sum(t in u for u in unit_terms))) for t in terms
        }
        self.total = sum(self.weights.values())

    def share(self, words: set[str]) -> float:
        if not self.total:
            return 0.0
        return sum(w for t, w in self.weights.items() if t in words) / self.total


def question_terms(question: str, candidates: list[Candidate]) -> QuestionTerms:
    return QuestionTerms(set(content_terms(question)), [set(c.terms) for c in candidates])


def unit_features(
    question: str,
    asked: tuple[str, ...],
    candidates: list[Candidate],
    retrieved: list[RetrievedChunk],
    terms: QuestionTerms | None = None,
) -> np.ndarray:
    """A (candidates x FEATURES) matrix."""
    if not candidates:
        return np.zeros((0, len(FEATURES)), dtype=np.float64)
    terms = terms or question_terms(question, candidates)
    sections = sorted({c.section for c in candidates})
    title_words = {i: set(content_terms(retrieved[i].chunk.title)) for i in sections}
    own_heading = {i: set(content_terms(retrieved[i].chunk.section)) for i in sections}
    heading_words = {
        i: set(
            content_terms(" ".join((retrieved[i].chunk.title, *retrieved[i].chunk.heading_path)))
        )
        for i in sections
    }
    section_words: dict[int, set[str]] = {i: set() for i in sections}
    for c, words in zip(candidates, terms.unit_terms, strict=True):
        section_words[c.section] |= words
    top_fused = max((rc.score for rc in retrieved), default=0.0) or 1e-9
    lexical = [terms.share(w) for w in terms.unit_terms]
    best_lexical = max(lexical) or 1e-9
    dense = [
        c.similarity if c.similarity is not None else (retrieved[c.section].dense_score or 0.0)
        for c in candidates
    ]
    best_dense = max(dense)
    primary = asked[0]
    rows = []
    for n, c in enumerate(candidates):
        rc = retrieved[c.section]
        unit = c.unit
        heading_only = heading_words[c.section] - terms.unit_terms[n]
        words = len(unit.text.split())
        row = [
            lexical[n],
            lexical[n] / best_lexical,
            terms.share(heading_only),
            terms.share(title_words[c.section]),
            terms.share(own_heading[c.section]),
            terms.share(section_words[c.section]),
            dense[n],
            dense[n] - best_dense,
            rc.dense_score or 0.0,
            rc.score / top_fused,
            1.0 / (1 + c.section),
            1.0 if c.page_rank == 0 else 0.0,
            1.0 / (1 + c.page_rank),
            1.0 if primary in c.facts else 0.0,
            1.0 if any(a in c.facts for a in asked) else 0.0,
            *(1.0 if (kind in asked and kind in c.facts) else 0.0 for kind in FACT_TYPES),
            1.0 if primary == OTHER else 0.0,
            1.0 if unit.order == 0 else 0.0,
            unit.order / max(1, c.units_in_section - 1),
            1.0 if unit.kind == "item" else 0.0,
            1.0 if unit.kind == "row" else 0.0,
            1.0 if unit.kind == "header" else 0.0,
            1.0 if unit.introduces_list else 0.0,
            math.log1p(words),
            1.0 if any(ch.isdigit() for ch in unit.text) else 0.0,
        ]
        rows.append(row)
    return np.asarray(rows, dtype=np.float64)
